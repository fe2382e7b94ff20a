"""Free cores from /proc/stat readings, and torch's thread count set from them for page-side work."""

import torch

from core import cores
from core.cnn.featureviz import maximize
from core.models import build_model
from core.presets import tiny_vgg


def _readings(*pairs):
    it = iter(pairs)
    return lambda: next(it)


def test_busy_share_is_the_busy_part_of_the_time_between_two_readings():
    assert cores.busy_share((10, 100), (60, 200)) == 0.5
    assert cores.busy_share((10, 100), (10, 100)) == 0.0  # no time passed: nothing known to be busy
    assert cores.busy_share((0, 0), (300, 200)) == 1.0  # clipped


def test_free_cores_counts_whole_cores_nobody_uses_at_least_one(monkeypatch):
    monkeypatch.setattr(cores, "usable_cores", lambda: 4)
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 4)
    assert cores.free_cores(sample=_readings((0, 0), (0, 100)), sample_s=0) == 4  # quiet
    assert cores.free_cores(sample=_readings((0, 0), (50, 100)), sample_s=0) == 2  # two cores' worth busy
    assert cores.free_cores(cap=1, sample=_readings((0, 0), (0, 100)), sample_s=0) == 1
    assert cores.free_cores(sample=_readings((0, 0), (100, 100)), sample_s=0) == 1  # all busy: still one
    assert cores.free_cores(sample=_readings((0, 0), (30, 100)), sample_s=0) == 3  # 1.2 cores busy: 3 free


def test_proc_stat_is_read_where_linux_has_it():
    reading = cores._stat_times()
    if reading is not None:
        busy, total = reading
        assert 0 <= busy <= total
    assert 1 <= cores.free_cores() <= cores.usable_cores()


def test_torch_threads_sets_the_count_inside_and_restores_it():
    was = torch.get_num_threads()
    with cores.torch_threads(1) as n:
        assert n == torch.get_num_threads() == 1
    assert torch.get_num_threads() == was


def test_feature_visualization_runs_on_the_free_cores_and_restores_the_threads(monkeypatch):
    small_cnn = build_model(tiny_vgg(3, 32, 4, filters=4), seed=1).eval()
    seen = []
    was = torch.get_num_threads()
    monkeypatch.setattr("core.cnn.featureviz.free_cores", lambda: 1)  # a busy server: one core free
    maximize(small_cnn, "conv_2", 1, (3, 32, 32), steps=16, progress=lambda s, a: seen.append(torch.get_num_threads()))
    assert seen == [1] and torch.get_num_threads() == was
    seen.clear()
    maximize(small_cnn, "conv_2", 1, (3, 32, 32), steps=16, threads=2,
             progress=lambda s, a: seen.append(torch.get_num_threads()))
    assert seen == [2]
