"""The CNN lab's page parts: the views of a pretrained CNN and the "train your own" tab."""
