"""The sequence lab's tasks, generated offline from a seed and bounded in size.

Every task gives float inputs of shape (N, T, F) (one-hot tokens, or values), targets of shape (N, T)
and a mask (N, T) of the steps whose prediction counts:

- `sine`: a mixture of two sines, predict the next value (regression at every step);
- `walk`: a noisy random walk, predict the next value;
- `delay`: remember the first symbol (A-D) through T - 1 random distractor steps, say it at the cue "?";
- `adding`: T steps of (value, marker); at the end, the sum of the two marked values (regression);
- `parens`: is this string of brackets balanced? (classification at the last step);
- `text`: the next character of a text the student types (a small generated text by default).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch

TASKS: dict[str, tuple[str, str]] = {
    "delay": ("Remember the first symbol", "The first step shows A, B, C or D, then come random distractors; at the "
              "last step ('?') the network must say which symbol came first, T steps ago."),
    "adding": ("Adding problem", "Each step holds a random value and a marker; two steps are marked. At the end the "
               "network must output the sum of the two marked values."),
    "parens": ("Balanced brackets", "Is the string of ( and ) balanced? The network reads it one bracket at a time "
               "and answers at the end: it has to count how many are still open."),
    "sine": ("Sine mixture", "Each sequence is the sum of two sine waves with random speeds and phases; at every step "
             "the network predicts the next value."),
    "walk": ("Noisy random walk", "A random walk seen through noise; at every step the network predicts the next "
             "value. The best it can do is close to the last value, smoothed."),
    "text": ("Next character", "Text read one character at a time; at every step the network predicts the next "
             "character. Type or paste your own text."),
}
MAX_TEXT, MAX_CHARS, MAX_LENGTH = 20_000, 80, 200
SYMBOLS, DISTRACTORS = ("A", "B", "C", "D"), ("w", "x", "y", "z")

_WORDS = {"who": ("the cat", "a dog", "the old fox", "my friend", "a small bird", "the teacher"),
          "did": ("sat on", "ran past", "looked at", "jumped over", "sang to", "slept near"),
          "what": ("the mat", "a red ball", "the green hill", "the river", "a tall tree", "the moon")}


def default_text(seed: int = 0, sentences: int = 300) -> str:
    """A small text generated from a tiny grammar (offline, seeded): repeating words a model can learn."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(sentences):
        who, did, what = (_WORDS[k][rng.integers(len(_WORDS[k]))] for k in ("who", "did", "what"))
        out.append(f"{who} {did} {what}.")
    return " ".join(out)


@dataclass(frozen=True)
class TaskSpec:
    task: str = "delay"
    length: int = 30  # T: steps per sequence (the delay, for the memory task)
    n_train: int = 1000
    n_test: int = 500
    seed: int = 0
    text: str = ""  # the text task's text ("" = the generated default)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"choose a task among {', '.join(TASKS)}")
        for name, lo, hi in (("length", 4, MAX_LENGTH), ("n_train", 10, 5000), ("n_test", 10, 2000)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{name.replace('_', ' ')} must be a whole number from {lo} to {hi}, not {v!r}")
        if self.task == "parens" and self.length % 2:
            raise ValueError("a bracket string of odd length is never balanced: choose an even length")
        if len(self.text) > MAX_TEXT:
            raise ValueError(f"the text is {len(self.text):,} characters; paste at most {MAX_TEXT:,}")

    def with_(self, **changes: object) -> TaskSpec:
        return replace(self, **changes)


@dataclass(frozen=True, eq=False)
class SeqData:
    """A task's tensors and what a page needs to label them."""

    task: str
    kind: str  # "classification" or "regression"
    x_train: torch.Tensor  # (N, T, F) float32
    y_train: torch.Tensor  # (N, T) int64 classes or float32 values
    m_train: torch.Tensor  # (N, T) bool: the steps that count
    x_test: torch.Tensor
    y_test: torch.Tensor
    m_test: torch.Tensor
    tokens: tuple[str, ...] = ()  # input tokens (one-hot tasks), in feature order
    classes: tuple[str, ...] = ()  # output classes (classification)
    readout: str = "every"  # "last": only the last step counts

    @property
    def n_in(self) -> int:
        return int(self.x_train.shape[2])

    @property
    def n_out(self) -> int:
        return len(self.classes) if self.kind == "classification" else 1

    @property
    def length(self) -> int:
        return int(self.x_train.shape[1])


def _onehot(idx: np.ndarray, n: int) -> np.ndarray:
    return np.eye(n, dtype=np.float32)[idx]


def _last_mask(n: int, t: int) -> np.ndarray:
    m = np.zeros((n, t), bool)
    m[:, -1] = True
    return m


def _delay(rng: np.random.Generator, n: int, t: int):
    k, d = len(SYMBOLS), len(DISTRACTORS)
    first = rng.integers(0, k, n)
    seq = rng.integers(k, k + d, (n, t))
    seq[:, 0] = first
    seq[:, -1] = k + d  # the cue
    y = np.zeros((n, t), np.int64)
    y[:, -1] = first
    return _onehot(seq, k + d + 1), y, _last_mask(n, t)


def _adding(rng: np.random.Generator, n: int, t: int):
    vals = rng.random((n, t), dtype=np.float32)
    marks = np.zeros((n, t), np.float32)
    half = t // 2
    a, b = rng.integers(0, half, n), rng.integers(half, t, n)
    marks[np.arange(n), a] = marks[np.arange(n), b] = 1.0
    y = np.zeros((n, t), np.float32)
    y[:, -1] = vals[np.arange(n), a] + vals[np.arange(n), b]
    return np.stack([vals, marks], axis=2), y, _last_mask(n, t)


def _balanced(rng: np.random.Generator, t: int) -> np.ndarray:
    """A random balanced string of 0 = '(' and 1 = ')' of even length t."""
    out, depth = np.empty(t, np.int64), 0
    for i in range(t):
        left = t - i
        if depth == 0 or (depth < left and rng.random() < 0.5):
            out[i], depth = 0, depth + 1
        else:
            out[i], depth = 1, depth - 1
    return out


def _parens(rng: np.random.Generator, n: int, t: int):
    seqs = np.stack([_balanced(rng, t) for _ in range(n)])
    label = (rng.random(n) < 0.5).astype(np.int64)
    for i in np.flatnonzero(label == 0):  # make these unbalanced: one bracket flipped, or two swapped
        s = seqs[i]
        if rng.random() < 0.5:
            s[rng.integers(t)] ^= 1
        else:  # same counts, but a prefix closes more than it opened: swap the first '(' with a later ')'
            j = int(np.flatnonzero(s == 0)[0])
            later = np.flatnonzero(s[j:] == 1) + j
            k = int(later[rng.integers(len(later))])
            s[j], s[k] = 1, 0
    y = np.zeros((n, t), np.int64)
    y[:, -1] = label
    return _onehot(seqs, 2), y, _last_mask(n, t)


def _sine(rng: np.random.Generator, n: int, t: int):
    steps = np.arange(t + 1, dtype=np.float32)
    f = rng.uniform(0.02, 0.12, (n, 2, 1))
    ph = rng.uniform(0, 2 * np.pi, (n, 2, 1))
    amp = rng.uniform(0.3, 0.6, (n, 2, 1))
    s = (amp * np.sin(2 * np.pi * f * steps + ph)).sum(1).astype(np.float32)
    mask = np.ones((n, t), bool)
    mask[:, :3] = False  # the first few steps cannot tell the speeds yet
    return s[:, :t, None], s[:, 1:], mask


def _walk(rng: np.random.Generator, n: int, t: int):
    w = np.cumsum(rng.normal(0, 0.1, (n, t + 1)), axis=1)
    obs = (w + rng.normal(0, 0.05, (n, t + 1))).astype(np.float32)
    return obs[:, :t, None], obs[:, 1:], np.ones((n, t), bool)


def text_vocab(text: str) -> tuple[str, ...]:
    chars = tuple(sorted(set(text)))
    if len(chars) > MAX_CHARS:
        raise ValueError(f"the text uses {len(chars)} different characters; at most {MAX_CHARS} are allowed")
    return chars


def text_windows(text: str, t: int, n_train: int, n_test: int, rng: np.random.Generator
                 ) -> tuple[tuple[str, ...], list[tuple[np.ndarray, np.ndarray]]]:
    """The text's characters and, for training and for testing, windows of `t` character ids with the next
    character at each place: [(inputs (n, t), targets (n, t)), ...]. The test windows come from the end of
    the text, unseen in training. Shared with the Attention lab's text task."""
    if len(text) < 4 * (t + 1):
        raise ValueError(f"the text is too short for sequences of {t} characters: paste at least {4 * (t + 1)} "
                         "characters, or shorten the sequence length")
    vocab = text_vocab(text)
    ids = np.array([vocab.index(c) for c in text], np.int64)
    cut = int(len(ids) * 0.85)
    parts = []
    for part, n in ((ids[:cut], n_train), (ids[cut - t:], n_test)):
        if len(part) < t + 1:
            part = ids
        starts = rng.integers(0, len(part) - t, n)
        win = np.stack([part[s:s + t + 1] for s in starts])
        parts.append((win[:, :t], win[:, 1:]))
    return vocab, parts


def _text(spec: TaskSpec, rng: np.random.Generator):
    vocab, parts = text_windows(spec.text or default_text(spec.seed), spec.length, spec.n_train, spec.n_test, rng)
    return [(_onehot(x, len(vocab)), y, np.ones(y.shape, bool)) for x, y in parts], vocab


def make_task(spec: TaskSpec) -> SeqData:
    """The task's training and test sets, from its seed (the test set from its own stream)."""
    t = spec.length
    if spec.task == "text":
        ((xa, ya, ma), (xb, yb, mb)), vocab = _text(spec, np.random.default_rng(spec.seed))
        return SeqData("text", "classification", *map(torch.from_numpy, (xa, ya, ma, xb, yb, mb)),
                       tokens=vocab, classes=vocab)
    make = {"delay": _delay, "adding": _adding, "parens": _parens, "sine": _sine, "walk": _walk}[spec.task]
    train = make(np.random.default_rng(spec.seed), spec.n_train, t)
    test = make(np.random.default_rng(spec.seed + 10_000), spec.n_test, t)
    tensors = [torch.from_numpy(np.ascontiguousarray(a)) for a in (*train, *test)]
    if spec.task == "delay":
        return SeqData("delay", "classification", *tensors, tokens=(*SYMBOLS, *DISTRACTORS, "?"), classes=SYMBOLS,
                       readout="last")
    if spec.task == "parens":
        return SeqData("parens", "classification", *tensors, tokens=("(", ")"), classes=("unbalanced", "balanced"),
                       readout="last")
    if spec.task == "adding":
        return SeqData("adding", "regression", *tensors, tokens=("value", "marker"), readout="last")
    return SeqData(spec.task, "regression", *tensors, tokens=("value",))


def describe(data: SeqData, x: torch.Tensor) -> list[str]:
    """One sequence's steps as text labels (tokens, or values)."""
    if data.task in ("delay", "parens", "text"):
        return [data.tokens[int(i)] for i in x.argmax(-1)]
    if data.task == "adding":
        return [f"{v:.2f}{'*' if m > 0 else ''}" for v, m in x.tolist()]
    return [f"{float(v):.2f}" for v in x[:, 0]]
