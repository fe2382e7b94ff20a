"""The training engine: jobs (`make_job`: a child process, or a worker thread) that drive any
`Trainable`, with the supervised `Trainer` as the first one. See `protocol.py` for what a lab's own
trainer provides."""

from core.training.config import TrainConfig
from core.training.device import available_devices, pick_device
from core.training.engine import Trainer
from core.training.job import JobSlots, JobState, TrainingJob, default_slots
from core.training.process_job import ProcessJob, make_job
from core.training.protocol import Job, Trainable
from core.training.view import JobView

__all__ = ["TrainConfig", "Trainer", "TrainingJob", "ProcessJob", "Job", "JobView", "Trainable", "JobState",
           "JobSlots", "default_slots", "make_job", "pick_device", "available_devices"]
