"""Training an autoencoder live (`AETrainer`, a `Trainable`), and the anomaly detector it makes.

History columns: `train_loss`, `test_loss` (the reconstruction MSE on the test set's normal classes),
`kl` (a VAE's KL per sample; 0 otherwise) and, when some classes were left out of training, `auc`:
how well the reconstruction error tells the left-out classes from the rest (ROC AUC). Snapshots carry
what the page draws live: the test set's codes in the plane, each test input's error, and a few
reconstructions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.metrics import precision_score, recall_score, roc_auc_score, roc_curve

from core.generative.autoencoder import AESpec, ae_loss, build, code_plane, errors
from core.generative.data import AEData, ae_data
from core.training.device import pick_device
from core.training.lab_trainer import LabTrainer
from core.training.optim import make_optimizer
from core.training.snapshot import Snapshot, take_snapshot

SHOWN = 8  # reconstructions sent live


@dataclass(frozen=True)
class Detector:
    """Reconstruction error as an anomaly score: the ROC curve, its area, and any threshold's precision
    and recall (scikit-learn's own metrics)."""

    scores: np.ndarray  # (N,) reconstruction errors
    anomalous: np.ndarray  # (N,) bool

    @property
    def auc(self) -> float:
        return float(roc_auc_score(self.anomalous, self.scores))

    def roc(self) -> tuple[np.ndarray, np.ndarray]:
        fpr, tpr, _ = roc_curve(self.anomalous, self.scores)
        return fpr, tpr

    def at(self, threshold: float) -> tuple[float, float]:
        """(precision, recall) of calling every error above `threshold` an anomaly."""
        flagged = self.scores > threshold
        return (float(precision_score(self.anomalous, flagged, zero_division=0)),
                float(recall_score(self.anomalous, flagged, zero_division=0)))


class AETrainer(LabTrainer):
    """An autoencoder trained on one dataset, a slice at a time (a `Trainable`)."""

    def __init__(self, spec: AESpec, data: AEData | None = None):
        self.spec = spec
        self.data = self.dataset = data if data is not None else ae_data(spec.data, spec.normal, spec.seed)
        self.device = pick_device(spec.device)
        self.model = build(spec, self.data).to(self.device)
        self.x, self.xt = self.data.x_train.to(self.device), self.data.x_test.to(self.device)
        self.normal_test = ~torch.from_numpy(self.data.anomalous)
        self.n = len(self.x)
        self.params = list(self.model.parameters())
        self.names = [n for n, _ in self.model.named_parameters()]
        self.keep_initial_weights()
        self.optimizer = make_optimizer(spec.optimizer, self.params, spec.learning_rate)
        self.generator = torch.Generator()
        self.reset()

    def step(self, idx: torch.Tensor) -> None:
        x = self.x.index_select(0, idx.to(self.device))
        noisy = x
        if self.spec.denoise:
            noisy = x + self.spec.denoise * torch.randn(x.shape, generator=self.generator).to(self.device)
        gen = self.generator if self.device.type == "cpu" else None
        loss, _, _ = ae_loss(self.model, noisy, x, self.spec.beta, gen)
        grads = list(torch.autograd.grad(loss, self.params))
        with torch.no_grad():
            self.optimizer.step(grads)
        self.last_grads = grads
        self.step_count += 1

    def detector(self) -> Detector:
        return Detector(errors(self.model, self.xt), self.data.anomalous)

    def evaluate(self) -> dict[str, float]:
        self.model.eval()
        with torch.no_grad():
            tr = float(ae_loss(self.model, self.x, self.x, self.spec.beta)[1])
            _, te, kl = ae_loss(self.model, self.xt[self.normal_test], self.xt[self.normal_test], self.spec.beta)
        out = {"train_loss": tr, "test_loss": float(te), "kl": float(kl)}
        if self.data.anomalous.any():
            out["auc"] = self.detector().auc
        return out

    def inside(self) -> dict[str, np.ndarray]:
        self.model.eval()
        with torch.no_grad():  # one pass: the codes, and the rebuilds their errors and the pictures come from
            mu = self.model.encode(self.xt)[0]
            recon = self.model.decode(mu)
        z = mu.cpu().numpy()
        err = (recon - self.xt).pow(2).flatten(1).mean(1).cpu().numpy()
        plane = code_plane(z)
        return {"plane": plane.to_plane(z).astype(np.float32), "err": err.astype(np.float32),
                "recon": recon[:SHOWN].cpu().numpy().astype(np.float32), "axes": plane.axes, "mean": plane.mean}

    def snapshot(self) -> Snapshot:
        return take_snapshot(self.names, self.params, self.last_grads, self.epoch, self.step_count, self.train_time,
                             plane=self.inside())

    def set(self, **live: float) -> None:
        unknown = sorted(set(live) - {"learning_rate"})
        if unknown:
            raise ValueError(f"these settings cannot change while training: {', '.join(unknown)[:80]}")
        if "learning_rate" in live:
            self.optimizer.lr = self.spec.with_(learning_rate=live["learning_rate"]).learning_rate

    def live(self) -> dict[str, float]:
        return {"learning_rate": self.optimizer.lr}
