"""The Explain lab's page parts: model sources, controls, cached computing, the grid, trust and tables."""
