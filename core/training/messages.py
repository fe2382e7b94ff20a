"""What a job says to the student, written once: both transports (a thread, a child process) show these."""

from __future__ import annotations

IDLE_PAUSED = "Paused because this page stopped watching (closed tab or lost connection). Press play to continue."
QUEUED = "Waiting for a free training slot on this server."


def diverged(epoch: int, value: float, lr: float | None) -> str:
    """Why training stopped when the loss became NaN or infinite, and what to change."""
    kind = "NaN (not a number)" if value != value else "infinite"
    advice = (f"This usually means the learning rate ({lr:g}) is too high for this network: try one 10 times "
              "smaller, then press Reset." if lr is not None else "Change the settings, then press Reset.")
    return f"Training stopped at epoch {epoch}: the loss became {kind} because the weights blew up. {advice}"


def failed(exc: BaseException) -> str:
    return f"Training stopped with an error: {exc}"


def finished(epochs: int) -> str:
    return f"Finished: trained {epochs} epochs."
