"""The Generative lab's link: its fields bound to the widgets' session keys."""

from __future__ import annotations

from ui.kit.fieldmap import Bind, FieldMap, near
from ui.kit.registry import BY_ID

RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01)
NOISES = (0.0, 0.1, 0.2, 0.3, 0.5)

LINK = FieldMap(BY_ID["generative_lab"], (
    Bind("view", "gn_view"),
    Bind("data", "ae_data"),
    Bind("bottleneck", "ae_bottleneck", int),
    Bind("conv", "ae_conv", bool),
    Bind("vae", "ae_vae", bool),
    Bind("denoise", "ae_denoise", near(NOISES)),
    Bind("left_out", "ae_left_out", int),
    Bind("target", "gan_target"),
    Bind("loss", "gan_loss"),
    Bind("compare", "gan_compare", list, tuple),
    Bind("k", "gan_k", int),
    Bind("noise", "gan_noise", int),
    Bind("lr_g", "gan_lr_g", near(RATES)),
    Bind("lr_d", "gan_lr_d", near(RATES)),
    Bind("images", "gan_images"),
))
