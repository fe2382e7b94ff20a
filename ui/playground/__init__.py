"""The Playground's page parts: session state, controls, the live area, more views, save and links."""
