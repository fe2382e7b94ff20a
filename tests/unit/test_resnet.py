"""ResNet-18 defined here: torchvision's layout and names, a block against plain torch ops, loading
through torch's hub helper from a locally made file (nothing downloaded), and the offline refusal."""

import hashlib

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from core.cnn.ops import pool_step
from core.zoo import resnet


@pytest.fixture(scope="module")
def net():
    torch.manual_seed(0)
    return resnet.resnet18().eval()


def test_layout_and_names_are_torchvisions(net):
    state = net.state_dict()
    # torchvision documents 11,689,512 parameters; its state dict has 122 entries
    assert sum(p.numel() for p in net.parameters()) == 11_689_512
    assert len(state) == 122
    expected = {"conv1.weight": (64, 3, 7, 7), "bn1.running_var": (64,), "layer1.0.conv1.weight": (64, 64, 3, 3),
                "layer2.0.downsample.0.weight": (128, 64, 1, 1), "layer2.0.downsample.1.bias": (128,),
                "layer4.1.bn2.num_batches_tracked": (), "fc.weight": (1000, 512), "fc.bias": (1000,)}
    for name, shape in expected.items():
        assert tuple(state[name].shape) == shape
    assert "layer1.0.downsample.0.weight" not in state and "normalize.mean" not in state
    relus = [m for m in net.modules() if isinstance(m, nn.ReLU)]
    assert len(relus) == len({id(m) for m in relus}) == 17 and not any(m.inplace for m in relus)


def test_a_downsampling_block_equals_plain_torch_ops(net):
    block = net.layer2[0]
    x = torch.randn(1, 64, 16, 16)

    def bn(t, m):
        return F.batch_norm(t, m.running_mean, m.running_var, m.weight, m.bias, False)

    out = bn(F.conv2d(F.relu(bn(F.conv2d(x, block.conv1.weight, stride=2, padding=1), block.bn1)),
                      block.conv2.weight, padding=1), block.bn2)
    skip = bn(F.conv2d(x, block.downsample[0].weight, stride=2), block.downsample[1])
    torch.testing.assert_close(block(x), F.relu(out + skip))


def test_normalization_uses_imagenet_statistics(net):
    x = torch.rand(1, 3, 4, 4)
    mean = torch.tensor(resnet.MEAN).view(1, 3, 1, 1)
    std = torch.tensor(resnet.STD).view(1, 3, 1, 1)
    torch.testing.assert_close(net.normalize(x), (x - mean) / std)


def _saved(state, folder, tag=None):
    path = folder / "weights.pth"
    torch.save(state, path)
    digest = tag or hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    named = folder / f"resnet18-{digest}.pth"
    path.rename(named)
    return named.as_uri()


def test_weights_load_through_the_hub_helper_from_a_local_file(net, tmp_path):
    url = _saved(net.state_dict(), tmp_path)
    sm = resnet.from_state_dict(resnet.fetch_state_dict(url, model_dir=str(tmp_path / "hub")))
    x = torch.rand(2, 3, 64, 64)
    torch.testing.assert_close(sm.model(x), net(x))
    assert sm.input_shape == (3, 224, 224) and len(sm.class_names) == 1000
    assert sm.class_names[0] == "tench" and sm.class_names[281] == "tabby"
    assert not any(p.requires_grad for p in sm.model.parameters())


def test_a_file_whose_hash_does_not_match_is_refused(net, tmp_path):
    url = _saved(net.state_dict(), tmp_path, tag="deadbeef")
    with pytest.raises(RuntimeError, match="hash"):
        resnet.fetch_state_dict(url, model_dir=str(tmp_path / "hub"))


class Payload:
    def __reduce__(self):
        return (print, ("pickle code ran",))


def test_a_pickle_with_code_is_not_unpickled(tmp_path):
    url = _saved({"fc.weight": Payload()}, tmp_path)
    with pytest.raises(Exception, match="[Ww]eights only"):
        resnet.fetch_state_dict(url, model_dir=str(tmp_path / "hub"))


def test_weights_of_the_wrong_shape_are_refused(net):
    state = dict(net.state_dict())
    state["fc.weight"] = torch.zeros(10, 512)
    with pytest.raises(ValueError, match="fc.weight"):
        resnet.from_state_dict(state)


def test_offline_the_choice_says_why(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setenv("NN_OFFLINE", "1")
    ok, why = resnet.weights_status()
    assert not ok and "offline" in why and "download.pytorch.org" in why
    resnet.cached_path().parent.mkdir(parents=True)
    resnet.cached_path().write_bytes(b"x")
    assert resnet.weights_status()[0]


def test_overlapping_padded_max_pool_matches_torch():
    x = torch.randn(3, 9, 9)
    pool = nn.MaxPool2d(3, 2, 1)
    out = pool(x[None])[0]
    for r in range(out.shape[1]):
        for c in range(out.shape[2]):
            assert pool_step(x.numpy(), pool, 2, r, c).value == pytest.approx(float(out[2, r, c]))
    assert np.isneginf(pool_step(x.numpy(), pool, 0, 0, 0).window[0, 0])
