"""The Generalization lab's core: variants of one overfitting network trained side by side, sweeps of
capacity, data and label noise, and image augmentations."""
