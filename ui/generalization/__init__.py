"""The Generalization lab's page parts: variants side by side, sweeps, data augmentation."""
