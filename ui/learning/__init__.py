"""The Learning lab's page parts: the optimizers race on a loss landscape, live on the kit."""
