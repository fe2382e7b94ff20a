"""The CNN lab's core: shipped pretrained models, feature maps, operations, feature visualization."""
