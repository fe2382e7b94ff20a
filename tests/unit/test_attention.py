"""The Attention lab's core: tasks say what they claim, attention rows are distributions that respect the
causal mask, the written-out attention equals torch's own `nn.MultiheadAttention`, the step-by-step numbers
equal the forward pass, the reverse task is learned, generation and Integrated Gradients keep their
guarantees, and the race against the LSTM is made of real runs."""

import math
from functools import partial

import numpy as np
import pytest
import torch
from torch import nn

from core.attention.explain import generate, next_distribution, token_attributions
from core.attention.model import Shape, TinyTransformer, attention_maps, query_steps, sinusoidal, trace
from core.attention.tasks import DIGIT_VOCAB, AttnTask, encode, make_data
from core.attention.trainer import AttnSpec, AttnTrainer
from core.attention.versus import LengthRace, LengthRaceTrainer, as_sequences, lstm_for
from core.training import TrainConfig, make_job


def _digits(ids) -> str:
    return "".join(DIGIT_VOCAB[int(i)] for i in ids)


@pytest.mark.parametrize("task, check", [
    ("reverse", lambda p, a: a == p[::-1]),
    ("sort", lambda p, a: a == "".join(sorted(p))),
    ("shift", lambda p, a: a == p[2:] + p[:2]),
    ("add", lambda p, a: int(a) == int(p.split("+")[0]) + int(p.split("+")[1])),
])
def test_digit_tasks_hold_their_answers_after_the_equals_sign(task, check):
    d = make_data(AttnTask(task, 3 if task == "add" else 6, n_train=50, n_test=20))
    for i in range(20):
        tokens, targets, mask = d.tokens[i], d.targets[i], d.mask[i]
        prompt = _digits(tokens[:d.prompt])
        assert DIGIT_VOCAB[int(tokens[d.prompt])] == "=" and mask[d.prompt:].all() and not mask[:d.prompt].any()
        answer = _digits(targets[mask])
        assert check(prompt, answer), (prompt, answer)
        # GPT style: after "=" the input is the answer so far (each place predicts the next answer token)
        assert _digits(tokens[d.prompt + 1:]) == answer[:-1]


def test_bert_style_fills_blanks_and_text_predicts_the_next_character():
    d = make_data(AttnTask("reverse", 5, causal=False, n_train=20, n_test=10))
    assert set(d.words(d.tokens[:, d.prompt + 1:])) == {"_"}
    t = make_data(AttnTask("text", 16, n_train=30, n_test=10, text="abcabcabd " * 20))
    assert t.mask.all() and torch.equal(t.tokens[:, 1:], t.targets[:, :-1]) and t.prompt == 0
    assert torch.equal(make_data(AttnTask("sort", 7, seed=3)).tokens, make_data(AttnTask("sort", 7, seed=3)).tokens)


@pytest.mark.parametrize("bad", [dict(task="text", causal=False), dict(length=40), dict(task="add", length=9),
                                 dict(task="shift", length=5, offset=5), dict(task="nope")])
def test_bad_tasks_are_refused_in_words(bad):
    with pytest.raises(ValueError):
        AttnTask(**bad)
    with pytest.raises(ValueError, match="vocabulary"):
        encode(make_data(AttnTask(n_train=10, n_test=10)), "12a")


@pytest.mark.parametrize("causal", [True, False])
def test_attention_rows_are_distributions_that_respect_the_mask(causal):
    m = TinyTransformer(Shape(13, 12, 32, 2, 4, causal=causal))
    m.init(1)
    maps = attention_maps(m, torch.randint(0, 13, (12,)))
    assert maps.shape == (2, 4, 12, 12)
    assert np.allclose(maps.sum(-1), 1.0, atol=1e-6) and (maps >= 0).all()
    above = maps[..., np.triu_indices(12, 1)[0], np.triu_indices(12, 1)[1]]
    assert (above == 0).all() if causal else (above > 0).all()


@pytest.mark.parametrize("causal", [True, False])
def test_attention_equals_torchs_multihead_attention_with_the_same_weights(causal):
    torch.manual_seed(0)
    m = TinyTransformer(Shape(13, 9, 32, 1, 4, causal=causal))
    m.init(2)
    attn = m.blocks[0].attn
    with torch.no_grad():
        for lin in (attn.q, attn.k, attn.v, attn.o):
            lin.bias.normal_()
    ref = nn.MultiheadAttention(32, 4, batch_first=True)
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.cat([attn.q.weight, attn.k.weight, attn.v.weight]))
        ref.in_proj_bias.copy_(torch.cat([attn.q.bias, attn.k.bias, attn.v.bias]))
        ref.out_proj.weight.copy_(attn.o.weight)
        ref.out_proj.bias.copy_(attn.o.bias)
    x = torch.randn(3, 9, 32)
    mask = torch.ones(9, 9, dtype=torch.bool).triu(1) if causal else None
    want, want_w = ref(x, x, x, attn_mask=mask, average_attn_weights=False)
    rec: dict = {}
    got = attn(x, causal, rec)
    assert torch.allclose(got, want, atol=1e-5) and torch.allclose(rec["weights"], want_w, atol=1e-6)


def test_sinusoidal_positions_follow_the_formula():
    pe = sinusoidal(20, 16)
    for pos, i in ((3, 0), (7, 5), (19, 14)):
        angle = pos / 10_000 ** (2 * (i // 2) / 16)
        assert math.isclose(float(pe[pos, i]), math.sin(angle) if i % 2 == 0 else math.cos(angle), abs_tol=1e-5)


@pytest.mark.parametrize("causal", [True, False])
def test_the_step_by_step_numbers_equal_the_models_own_forward(causal):
    m = TinyTransformer(Shape(13, 10, 32, 2, 2, positions="sinusoidal", causal=causal))
    m.init(4)
    tokens = torch.randint(0, 13, (10,))
    _, records = trace(m, tokens[None])
    for layer in range(2):
        for head in range(2):
            for place in (0, 4, 9):
                s = query_steps(m, tokens, layer, head, place)
                assert np.allclose(s.weights, records[layer]["weights"][0, head, place].numpy(), atol=1e-6)
                assert np.allclose(s.out, records[layer]["heads"][0, head, place].numpy(), atol=1e-5)
                assert np.allclose(s.q, records[layer]["q"][0, head, place].numpy(), atol=1e-5)
                assert np.allclose(s.scaled, s.scores / math.sqrt(16))
                assert np.isinf(s.masked[place + 1:]).all() == causal or place == 9


def test_the_reverse_task_is_learned_within_six_epochs():
    t = AttnTrainer(AttnSpec(AttnTask("reverse", 6, n_train=2000, n_test=300), learning_rate=0.003))
    for _ in range(6):
        t.run(math.inf)
    m = t.evaluate()
    assert t.step_count == 6 * math.ceil(2000 / 64)
    assert m["test_acc"] > 0.97 and m["test_exact"] > 0.9, m
    # the trained model writes the reversal itself, token by token, greedily
    d = t.data
    prompt = d.test_tokens[0, :d.prompt + 1]
    steps = generate(t.model, prompt, d.answer, temperature=0)
    assert _digits([s.token for s in steps]) == _digits(d.test_targets[0, d.prompt:])


def test_generation_is_the_models_own_next_token_distribution():
    m = TinyTransformer(Shape(13, 12, 32, 1, 2))
    m.init(5)
    prompt = torch.tensor([1, 2, 3, 11])
    steps = generate(m, prompt, 4, temperature=0.7, top_k=3, seed=1)
    ids = prompt.tolist()
    for s in steps:
        with torch.no_grad():
            logits = m(torch.tensor([ids]))[0, -1].double()
        top = torch.topk(logits, 3).indices
        want = torch.zeros(13, dtype=torch.float64)
        want[top] = torch.softmax(logits[top] / 0.7, -1)
        assert np.allclose(s.probs, want.numpy(), atol=1e-6) and s.token in top.tolist()
        ids.append(s.token)
    drawn = [[s.token for s in generate(m, prompt, 6, 1.0, seed=7)] for _ in range(2)]
    assert drawn[0] == drawn[1]  # seeded
    assert [s.token for s in generate(m, prompt, 3, 0.0)] == [s.token for s in generate(m, prompt, 3, 1.0, top_k=1)]
    with pytest.raises(ValueError):
        next_distribution(torch.zeros(3), 9.0, 0)


def test_integrated_gradients_on_embeddings_is_complete_and_blind_to_later_tokens():
    m = TinyTransformer(Shape(13, 10, 32, 2, 2))
    m.init(6)
    tokens = torch.randint(0, 13, (10,))
    a = token_attributions(m, tokens, place=5, steps=128)
    assert a.per_token.shape == (10,) and a.delta < 1e-2
    assert math.isclose(a.per_token.sum(), a.score - a.base_score, abs_tol=max(1e-2, 2 * a.delta))
    assert np.abs(a.per_token[6:]).max() < 1e-6  # the causal mask: later tokens cannot have mattered
    assert np.abs(a.per_token[:6]).max() > 1e-4


def test_the_trainer_runs_as_a_job_with_its_maps_and_restarts_from_its_snapshot():
    spec = AttnSpec(AttnTask("sort", 4, n_train=128, n_test=20), width=16, layers=1, heads=2)
    job = make_job(partial(AttnTrainer, spec), config=TrainConfig(max_epochs=2), snapshot_every_s=0.05)
    try:
        job.set(sample=3.0)
        job.step(2)
        view = job.wait(lambda v: v.epoch >= 2, timeout=60)
        plane = view.snapshot.plane
        assert plane["attn"].shape == (1, 2, 8, 8) and plane["probs"].shape == (8, 13) and int(plane["sample"]) == 3
        assert plane["embed"].shape == (13, 2) and set(view.history) >= {"test_acc", "test_exact", "train_loss"}
        with pytest.raises(ValueError):
            job.set(sample=99.0)
        again = AttnTrainer(spec)
        again.model.load_state_dict({k: torch.as_tensor(v) for k, v in view.snapshot.state.items()})
        assert np.allclose(again.inside(3)["attn"], plane["attn"], atol=1e-6)
    finally:
        job.stop()


def test_the_race_against_the_lstm_is_real_runs_with_curves():
    race = LengthRace(AttnSpec(AttnTask("reverse", 4, n_train=64, n_test=20), width=16, layers=1),
                      lengths=(3, 5), epochs=2, lstm_hidden=8)
    t = LengthRaceTrainer(race)
    rows = []
    while not t.done:
        if t.run(math.inf):
            rows.append(t.evaluate())
    assert [r["length"] for r in rows] == [3, 5] and t.progress() == 1.0
    alone = AttnTrainer(race.point(5))
    lstm = lstm_for(race.point(5), 8)
    for _ in range(2):
        alone.run(math.inf)
        lstm.run(math.inf)
    assert math.isclose(rows[1]["transformer_acc"], alone.evaluate()["test_acc"])
    assert math.isclose(rows[1]["lstm_acc"], lstm.evaluate()["test_acc"])
    curves = t.snapshot().plane
    assert len(curves[(1, "lstm")]) == 2 and math.isclose(curves[(1, "lstm")][-1], rows[1]["lstm_acc"], rel_tol=1e-6)
    seq = as_sequences(alone.data)
    assert torch.equal(seq.x_train.argmax(-1), alone.data.tokens)
