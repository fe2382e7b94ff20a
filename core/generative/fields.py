"""The Generative lab's share link: the view, the autoencoder (data, bottleneck, kind, the class left out
for anomaly detection) and the GAN (target, loss, variants, k, noise, learning rates, image set). Points a
student clicked for their own GAN target stay in their session."""

from __future__ import annotations

from core.generative.data import AE_SETS, GAN_TARGETS
from core.generative.gan import LOSSES
from core.generative.gan_trainer import IMAGES
from core.share import Field, common

HIDEABLE = ("data", "network")
VIEWS = ("ae", "anomaly", "gan", "images")

GENERATIVE_LAB: tuple[Field, ...] = (
    Field("view", "choice", "ae", choices=VIEWS),
    Field("data", "choice", "digits", choices=tuple(AE_SETS)),
    Field("bottleneck", "int", 2, 1, 16),
    Field("conv", "bool", False),
    Field("vae", "bool", False),
    Field("denoise", "float", 0.0, 0.0, 1.0),
    Field("left_out", "int", 1, 0, 9),
    Field("target", "choice", "ring", choices=tuple(GAN_TARGETS)),
    Field("loss", "choice", "nonsaturating", choices=tuple(LOSSES)),
    Field("compare", "choices", (), choices=tuple(LOSSES)),
    Field("k", "int", 1, 1, 10),
    Field("noise", "int", 2, 1, 16),
    Field("lr_g", "float", 0.001, 1e-5, 0.1),
    Field("lr_d", "float", 0.001, 1e-5, 0.1),
    Field("images", "choice", "digits", choices=tuple(IMAGES)),
    *common(HIDEABLE),
)
