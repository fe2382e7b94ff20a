"""The training engine: a lean `Trainer` and a `TrainingJob` that runs it in a worker thread."""

from core.training.config import TrainConfig
from core.training.device import available_devices, pick_device
from core.training.engine import Trainer
from core.training.job import JobSlots, JobState, TrainingJob, default_slots

__all__ = ["TrainConfig", "Trainer", "TrainingJob", "JobState", "JobSlots", "default_slots", "pick_device",
           "available_devices"]
