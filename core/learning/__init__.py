"""The Learning lab's core: gradient descent on 2D loss landscapes (`landscape.py`), a `Trainable`
that any job trains live."""
