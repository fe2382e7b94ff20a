"""The Sequence lab's page parts."""
