"""The Transfer lab's core: the split holds the same images out whatever the training size, a frozen
backbone stays exactly as pretrained (batch-norm statistics too), fine-tuning moves it, with two images per
class the frozen backbone beats training from scratch on held-out images (seeded), the data-efficiency curve
is made of real runs, bad images are refused by the app's readers, and the model exports as PyTorch code."""

import io
import math
import zipfile
from functools import partial

import numpy as np
import pytest
import torch
from PIL import Image

from core.export import pytorch_code
from core.models import Network
from core.transfer.images import ImageSet, from_lists, from_zip, read_upload, split, starter_set
from core.transfer.model import build, build_resnet, features
from core.transfer.trainer import DataCurve, DataCurveTrainer, TransferCompare, TransferSpec, TransferTrainer, confusion
from core.zoo.shipped import load_shipped
from tests.unit.test_cnn_core import _bomb_png, _noise_png, _png


def _epochs(t, n: int):
    for _ in range(n):
        t.run()
    return t


def test_the_split_holds_the_same_images_out_for_every_training_size():
    imgs = starter_set(10)
    tests = set()
    for k in (1, 2, 5, None):
        train, test = split(imgs, k, 0.3, seed=0)
        assert not set(train) & set(test)
        tests.add(tuple(test))
        for c in range(3):
            assert (imgs.labels[test] == c).sum() == 3 and (imgs.labels[train] == c).sum() == (k or 7)
    assert len(tests) == 1


def test_a_frozen_backbone_stays_as_pretrained_and_fine_tuning_moves_it():
    imgs = starter_set(6)
    pretrained = load_shipped("tinyvgg").model.state_dict()
    frozen = _epochs(TransferTrainer(TransferSpec(per_class=2), imgs, "frozen"), 2)
    state = frozen.model.state_dict()
    assert all(torch.equal(state[k], pretrained[k]) for k in state if k.startswith("conv_"))
    assert state["dense_1.weight"].abs().sum() > 0  # the head trained (it starts at zero)
    tuned = _epochs(TransferTrainer(TransferSpec(per_class=2), imgs, "finetune"), 2).model.state_dict()
    assert not torch.equal(tuned["conv_1.weight"], pretrained["conv_1.weight"])
    scratch = TransferTrainer(TransferSpec(per_class=2), imgs, "scratch").model.state_dict()
    assert not torch.equal(scratch["conv_1.weight"], pretrained["conv_1.weight"])


def test_a_frozen_resnet_keeps_its_weights_and_batch_norm_statistics():
    from core.zoo.resnet import resnet18

    state = resnet18(1000).state_dict()  # no download here: the freezing is what is checked
    imgs = ImageSet(torch.rand(6, 3, 64, 64), torch.tensor([0, 0, 0, 1, 1, 1]), ("a", "b"))
    t = _epochs(TransferTrainer(TransferSpec(backbone="resnet18", batch_size=4), imgs, "frozen", state), 1)
    after = t.model.state_dict()
    assert all(torch.equal(after[k], state[k]) for k in after if not k.startswith("fc"))
    assert isinstance(build_resnet("scratch", 2, {}), torch.nn.Module)


def test_with_two_images_per_class_the_frozen_backbone_beats_training_from_scratch():
    imgs = starter_set()
    c = _epochs(TransferCompare(TransferSpec(per_class=2, modes=("scratch", "frozen")), imgs), 15)
    m = c.evaluate()
    # tolerance: the frozen backbone at least 25 points above scratch on the held-out images
    # (3 classes, chance 33%; the seeded run: frozen about 70%, scratch about 30%)
    assert m["frozen_test_acc"] >= m["scratch_test_acc"] + 0.25, m
    maps = c.maps()
    k = confusion(maps["frozen"], maps["labels"], 3)
    assert k.sum() == len(maps["labels"]) and np.trace(k) / k.sum() == pytest.approx(m["frozen_test_acc"])


def test_the_data_curve_is_made_of_real_runs():
    imgs = starter_set(6)
    curve = DataCurve(TransferSpec(modes=("scratch", "frozen")), per_class=(1, 0), epochs=2)
    t = DataCurveTrainer(curve, imgs)
    rows = []
    while not t.done:
        if t.run(math.inf):
            rows.append(t.evaluate())
    assert [r["per_class"] for r in rows] == [1, 4]  # 0: all the 4 left after the test share
    alone = _epochs(TransferTrainer(curve.base.with_(per_class=1), imgs, "frozen"), 2)
    assert rows[0]["frozen_acc"] == pytest.approx(alone.evaluate()["test_acc"])


@pytest.mark.parametrize("data, message", [(b"", "empty"), (b"this is not an image", "not an image"),
                                           (_noise_png()[:400], "damaged"), (_bomb_png(30000, 30000), "million"),
                                           (_png("RGB", size=(1, 1)), "at least")])
def test_bad_webcam_or_uploaded_images_are_refused(data, message):
    with pytest.raises(ValueError, match=message):
        read_upload(data, "upload")
    assert read_upload(_noise_png()).shape == (3, 64, 64)


def test_classes_are_checked_and_a_zip_makes_a_set():
    img = torch.rand(3, 64, 64)
    with pytest.raises(ValueError, match="same name"):
        from_lists({"cat": [img, img], " cat ": [img, img]})
    with pytest.raises(ValueError, match="at least 2 images"):
        from_lists({"cat": [img, img], "dog": [img]})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for cls, col in (("red", (255, 0, 0)), ("blue", (0, 0, 255))):
            for i in range(3):
                b = io.BytesIO()
                Image.new("RGB", (20, 20), col).save(b, format="PNG")
                z.writestr(f"{cls}/{i}.png", b.getvalue())
    got, _ = from_zip(buf.getvalue())
    assert got.classes == ("blue", "red") and got.counts() == [3, 3] and got.images.shape[1:] == (3, 64, 64)


def test_the_model_is_a_plain_network_and_exports_as_pytorch_code():
    model = build("frozen", 3)
    assert isinstance(model, Network) and features(model, torch.rand(2, 3, 64, 64)).shape == (2, 10)
    code = pytorch_code(model.spec)
    namespace: dict = {}
    exec(compile(code, "export.py", "exec"), namespace)
    rebuilt = namespace["build"]()
    rebuilt.load_state_dict(model.state_dict())
    x = torch.rand(2, 3, 64, 64)
    assert torch.allclose(rebuilt.eval()(x), model.eval()(x))


def test_the_comparison_runs_as_a_job():
    from core.training import TrainConfig, make_job

    spec = TransferSpec(per_class=2, modes=("scratch", "frozen"))
    job = make_job(partial(TransferCompare, spec, starter_set(4)), config=TrainConfig(max_epochs=1),
                   snapshot_every_s=0.05)
    try:
        job.step(1)
        view = job.wait(lambda v: v.epoch >= 1 and not v.active, timeout=120)
        assert {"scratch_test_acc", "frozen_test_acc"} <= set(view.history)
        assert view.snapshot.plane["frozen"].shape == (len(view.snapshot.plane["labels"]), 3)
    finally:
        job.stop()
