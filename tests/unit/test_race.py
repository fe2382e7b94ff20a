"""The optimizers race against torch.optim on the same function, a diverging racer stops alone, the
step inspector adds up, and a learning rate too low is named as crawling."""

import pytest
import torch

from core.learning.landscape import LANDSCAPES
from core.learning.race import RACERS, RaceSpec, RaceTrainer, inspect

TORCH = {"sgd": lambda p, lr: torch.optim.SGD([p], lr=lr),
         "momentum": lambda p, lr: torch.optim.SGD([p], lr=lr, momentum=0.9),
         "nesterov": lambda p, lr: torch.optim.SGD([p], lr=lr, momentum=0.9, nesterov=True),
         "rmsprop": lambda p, lr: torch.optim.RMSprop([p], lr=lr),
         "adagrad": lambda p, lr: torch.optim.Adagrad([p], lr=lr),
         "adam": lambda p, lr: torch.optim.Adam([p], lr=lr)}


@pytest.mark.parametrize("landscape", ["ravine", "himmelblau"])
def test_every_racer_follows_torch_optim(landscape):
    spec = RaceSpec(landscape, tuple(RACERS), 0.01, steps_per_s=0)
    race = RaceTrainer(spec)
    for _ in range(25):
        race.run()
    got = race.evaluate()
    _, fn, start = LANDSCAPES[landscape]
    for name in RACERS:
        p = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
        opt = TORCH[name](p, 0.01)
        for _ in range(25):
            opt.zero_grad()
            fn(p[0], p[1]).backward()
            opt.step()
        assert got[f"{name}_x"] == pytest.approx(float(p[0]), rel=1e-7, abs=1e-9), name
        assert got[f"{name}_y"] == pytest.approx(float(p[1]), rel=1e-7, abs=1e-9), name


def test_a_racer_that_blows_up_stops_alone():
    # SGD at 1.5 on x^2 + y^2 diverges, Adam does not
    race = RaceTrainer(RaceSpec("bowl", ("sgd", "adam"), 1.5, steps_per_s=0))
    for _ in range(400):
        race.run()
    m = race.evaluate()
    assert m["sgd_diverged"] == 1.0 and m["adam_diverged"] == 0.0 and m["adam_value"] < 1.0


def test_only_visible_zig_zags_are_counted():
    import numpy as np

    from ui.learning.race import _turns

    tiny = 1e-6 * (-0.6) ** np.arange(50)  # SGD's decaying alternation, far below a pixel
    big = 0.5 * (-0.9) ** np.arange(20)
    assert _turns(tiny, 0.04) == 0 and _turns(big, 0.04) >= 10


@pytest.mark.parametrize("racer", list(RACERS))
def test_the_step_inspector_replays_the_race_and_its_steps_add_up(racer):
    spec = RaceSpec("ravine", (racer,), 0.02, steps_per_s=0)
    race = RaceTrainer(spec)
    for _ in range(15):
        race.run()
    got = race.evaluate()
    steps = inspect(spec, racer, 15)
    assert [s.step for s in steps] == list(range(1, 16))
    end = (steps[-1].point[0] + steps[-1].move[0], steps[-1].point[1] + steps[-1].move[1])
    assert end == pytest.approx((got[f"{racer}_x"], got[f"{racer}_y"]), rel=1e-9, abs=1e-12)
    first = steps[0]
    _, fn, start = LANDSCAPES["ravine"]
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    g = torch.autograd.grad(fn(p[0], p[1]), p)[0]
    assert first.grad == pytest.approx(tuple(g.tolist()))
    assert first.plain == pytest.approx((-0.02 * float(g[0]), -0.02 * float(g[1])))
    if racer in ("sgd", "momentum", "nesterov"):
        assert first.scale is None
    if racer == "sgd":
        assert all(s.move == pytest.approx(s.plain) for s in steps)  # plain SGD steps -lr g exactly
    if racer == "momentum":
        assert steps[1].velocity == pytest.approx(tuple(-m / 0.02 for m in steps[1].move))  # p -= lr v


def test_the_bowls_condition_number_sets_its_steepness_and_the_race_follows_torch():
    from core.learning.landscape import loss_function

    fn = loss_function("bowl", 30.0)
    assert float(fn(torch.tensor(1.0), torch.tensor(1.0))) == pytest.approx(31.0)
    spec = RaceSpec("bowl", ("sgd", "momentum"), 0.03, condition=30.0, steps_per_s=0)
    race = RaceTrainer(spec)
    for _ in range(20):
        race.run()
    got = race.evaluate()
    for name in ("sgd", "momentum"):
        p = torch.nn.Parameter(torch.tensor(LANDSCAPES["bowl"][2], dtype=torch.float64))
        opt = TORCH[name](p, 0.03)
        for _ in range(20):
            opt.zero_grad()
            fn(p[0], p[1]).backward()
            opt.step()
        assert got[f"{name}_y"] == pytest.approx(float(p[1]), rel=1e-7, abs=1e-9)
    with pytest.raises(ValueError, match="condition number"):
        RaceSpec("bowl", condition=0.5)


def _raced(spec: RaceSpec, steps: int) -> dict:
    race = RaceTrainer(spec)
    rows = []
    for _ in range(steps):
        race.run()
        rows.append(race.evaluate())
    return {k: [r[k] for r in rows] for k in rows[0]}


def test_a_learning_rate_too_low_is_named_as_crawling():
    from types import SimpleNamespace

    from ui.learning.race import explain

    slow, fast = RaceSpec("bowl", ("sgd",), 0.0001, steps_per_s=0), RaceSpec("bowl", ("sgd",), 0.1, steps_per_s=0)
    text = explain(SimpleNamespace(epoch=60, history=_raced(slow, 60)), slow)
    assert "crawls" in text and "too low" in text
    assert "crawl" not in explain(SimpleNamespace(epoch=60, history=_raced(fast, 60)), fast)
