"""The Generative lab's settings table (see `core.setting`) and its share link derived from it: the view, the
autoencoder (data, bottleneck, kind, the class left out for anomaly detection, its training) and the GAN
(target, loss, variants, k, noise, networks, learning rates, image set). The lab has two parts, so each
setting is named by its part (`ae_`, `gan_`), which is also its widget key; a link uses the short names.
Points a student clicked for their own GAN target stay in their session."""

from __future__ import annotations

from core.generative.autoencoder import OPTIMIZERS as AE_OPTIMIZERS
from core.generative.data import AE_SETS, GAN_TARGETS
from core.generative.gan import LOSSES
from core.generative.gan_trainer import IMAGES
from core.generative.gan_trainer import OPTIMIZERS as GAN_OPTIMIZERS
from core.setting import Setting, Table
from core.share import Field

VIEWS = ("ae", "anomaly", "gan", "images")
AE_HIDDEN = {"64, 32": (64, 32), "128, 64": (128, 64), "32": (32,), "256, 128, 64": (256, 128, 64)}
GAN_HIDDEN = {"64, 64": (64, 64), "32": (32,), "128, 128": (128, 128), "256": (256,)}
_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01)

SETTINGS = Table("", (
    Setting("gn_view", "choice", "ae", "view", choices=VIEWS, link="view"),
    Setting("ae_data", "choice", "digits", "data", choices=tuple(AE_SETS), link="data", hide="data"),
    Setting("ae_bottleneck", "int", 2, "bottleneck", 1, 16, link="bottleneck",
            help="How many numbers the encoder may keep. Two can be drawn as a plane directly; more are drawn on "
                 "their two main directions."),
    Setting("ae_hidden", "choice", "64, 32", "hidden layers", choices=tuple(AE_HIDDEN), link=None, hide="network"),
    Setting("ae_conv", "bool", False, "convolutional", link="conv", hide="network",
            help="Images only: two strided convolutions down, two transposed convolutions up."),
    Setting("ae_vae", "bool", False, "variational", link="vae", hide="network",
            help="The encoder gives a mean and a spread; the code is sampled from them, and a KL term pulls all "
                 "codes towards a standard normal, so the plane has no holes."),
    Setting("ae_beta", "float", 0.2, "KL weight", steps=(0.05, 0.1, 0.2, 0.5, 1.0), link=None, hide="network"),
    Setting("ae_denoise", "float", 0.0, "denoising noise", 0.0, 1.0, steps=(0.0, 0.1, 0.2, 0.3, 0.5),
            link="denoise", hide="network", help="Train to rebuild the clean input from a noisy one."),
    Setting("ae_optimizer", "choice", "adam", "optimizer", choices=AE_OPTIMIZERS, link=None),
    Setting("ae_learning_rate", "float", 0.003, "learning rate", steps=_RATES, link=None, live=True,
            help="Changes live while it trains."),
    Setting("ae_left_out", "int", 1, "class left out", 0, 9, link="left_out",
            help="The autoencoder trains on every other class; in the test set this class is the anomaly it has "
                 "to spot by rebuilding it badly."),
    Setting("gan_target", "choice", "ring", "target", choices=tuple(GAN_TARGETS), link="target", hide="data",
            help="The distribution the generator must learn to imitate."),
    Setting("gan_loss", "choice", "nonsaturating", "loss", choices=tuple(LOSSES), link="loss",
            help="How D scores real and generated samples, and what G tries to change."),
    Setting("gan_compare", "choices", (), "variants", choices=tuple(LOSSES), link="compare"),
    Setting("gan_k", "int", 1, "D steps per G step", 1, 10, link="k",
            help="The Wasserstein GAN paper used 5: a critic trained closer to its best gives G better directions."),
    Setting("gan_noise", "int", 2, "noise numbers", 1, 16, link="noise", hide="network"),
    Setting("gan_lr_g", "float", 0.001, "generator learning rate", 1e-5, 0.1, steps=_RATES, link="lr_g", live=True,
            help="Changes live."),
    Setting("gan_lr_d", "float", 0.001, "discriminator learning rate", 1e-5, 0.1, steps=_RATES, link="lr_d",
            live=True),
    Setting("gan_g", "choice", "64, 64", "generator hidden layers", choices=tuple(GAN_HIDDEN), link=None,
            hide="network"),
    Setting("gan_d", "choice", "64, 64", "discriminator hidden layers", choices=tuple(GAN_HIDDEN), link=None,
            hide="network"),
    Setting("gan_optimizer", "choice", "adam", "optimizer", choices=GAN_OPTIMIZERS, link=None),
    Setting("gan_images", "choice", "digits", "image set", choices=tuple(IMAGES), link="images"),
))

HIDEABLE = SETTINGS.hideable
GENERATIVE_LAB: tuple[Field, ...] = SETTINGS.link_fields()
