"""The Playground's core: its network of hidden layers and neuron maps (`network.py`), the frame a
live redraw shows (`frame.py`), training hints (`diagnostics.py`), saved experiments
(`experiment.py`) and the network as PyTorch code (`export.py`)."""
