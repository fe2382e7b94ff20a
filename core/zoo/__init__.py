"""Pretrained models every lab may use: the CNNs this project trains and ships (`shipped.py`, made by
`python -m core.zoo.pretrain NAME`), ResNet-18 with ImageNet weights when they can be had
(`resnet.py`), and the checked safetensors loader both use."""
