"""The Attention lab's tasks, generated offline from a seed and bounded in size.

Each digit task shows a prompt, then "=", then the answer, and the model writes the answer one token
at a time (GPT style, with the causal mask: the input after "=" is the answer so far). Without the
causal mask (BERT style) the answer's places hold blanks "_" and the model fills them all at once.

- `reverse`: the prompt's digits backwards; `sort`: in increasing order;
- `shift`: the prompt copied starting `offset` places in (wrapping round);
- `add`: two numbers of `length` digits, "123+456=", and their sum with `length + 1` digits;
- `text`: the next character of a text the student types (a small generated text by default).

Tokens are (N, T) int64, targets (N, T) int64 and a mask (N, T) of the places whose prediction counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch

from core.sequence.tasks import MAX_TEXT, default_text, text_windows

TASKS: dict[str, tuple[str, str]] = {
    "reverse": ("Reverse", "Write the digits backwards: 3 1 4 1 = 1 4 1 3. To write each answer digit the model must "
                "find one place in the prompt: attention's job."),
    "sort": ("Sort digits", "Write the digits in increasing order: 3 1 4 1 = 1 1 3 4."),
    "shift": ("Copy with an offset", "Copy the digits starting a few places in, wrapping round: with offset 2, "
              "3 1 4 1 = 4 1 3 1."),
    "add": ("Add two numbers", "Add two numbers digit by digit: 12+39=051 (the sum has one digit more, so a carry "
            "has room)."),
    "text": ("Next character", "Text read one character at a time; at every place the model predicts the next "
             "character. Type or paste your own text."),
}
DIGITS = tuple("0123456789")
PLUS, EQUALS, BLANK = "+", "=", "_"
DIGIT_VOCAB = (*DIGITS, PLUS, EQUALS, BLANK)
LENGTHS = {"reverse": (3, 16), "sort": (3, 16), "shift": (3, 16), "add": (1, 6), "text": (8, 64)}


@dataclass(frozen=True)
class AttnTask:
    task: str = "reverse"
    length: int = 8  # digits in the prompt (each number's, for add); the context, for text
    offset: int = 2  # the shift task's offset
    causal: bool = True  # GPT style (write one token at a time); False: BERT style (fill in the blanks)
    n_train: int = 2000
    n_test: int = 500
    seed: int = 0
    text: str = ""  # the text task's text ("" = the generated default)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"choose a task among {', '.join(TASKS)}")
        lo, hi = LENGTHS[self.task]
        for name, a, b in (("length", lo, hi), ("n_train", 10, 20_000), ("n_test", 10, 5000)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not a <= v <= b:
                raise ValueError(f"{name.replace('_', ' ')} must be a whole number from {a} to {b} here, not {v!r}")
        if self.task == "shift" and not (isinstance(self.offset, int) and 1 <= self.offset < self.length):
            raise ValueError(f"the offset must be from 1 to {self.length - 1} (one less than the length)")
        if self.task == "text" and not self.causal:
            raise ValueError("next-character prediction needs the causal mask: a model that could see the next "
                             "character would simply copy it")
        if len(self.text) > MAX_TEXT:
            raise ValueError(f"the text is {len(self.text):,} characters; paste at most {MAX_TEXT:,}")

    def with_(self, **changes: object) -> AttnTask:
        return replace(self, **changes)


@dataclass(frozen=True, eq=False)
class AttnData:
    task: AttnTask
    vocab: tuple[str, ...]
    tokens: torch.Tensor  # (N, T) int64
    targets: torch.Tensor  # (N, T) int64
    mask: torch.Tensor  # (N, T) bool: the places that count
    test_tokens: torch.Tensor
    test_targets: torch.Tensor
    test_mask: torch.Tensor
    prompt: int  # the prompt's places, before "=" (the answer is predicted from "=" on); 0 for text

    @property
    def length(self) -> int:
        return int(self.tokens.shape[1])

    @property
    def answer(self) -> int:
        return self.length - self.prompt

    def words(self, ids: torch.Tensor | np.ndarray) -> list[str]:
        return [self.vocab[int(i)] for i in np.asarray(ids).reshape(-1)]


def _answers(task: AttnTask, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Prompts (n, P) and answers (n, A) as digit-vocabulary ids."""
    L = task.length
    if task.task == "add":
        a, b = rng.integers(0, 10, (n, L)), rng.integers(0, 10, (n, L))
        value = (a * 10 ** np.arange(L - 1, -1, -1)).sum(1) + (b * 10 ** np.arange(L - 1, -1, -1)).sum(1)
        answer = (value[:, None] // 10 ** np.arange(L, -1, -1)) % 10
        prompt = np.concatenate([a, np.full((n, 1), DIGIT_VOCAB.index(PLUS)), b], 1)
        return prompt, answer
    prompt = rng.integers(0, 10, (n, L))
    if task.task == "reverse":
        return prompt, prompt[:, ::-1]
    if task.task == "sort":
        return prompt, np.sort(prompt, 1)
    return prompt, np.roll(prompt, -task.offset, 1)


def _digit_set(task: AttnTask, rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    prompt, answer = _answers(task, rng, n)
    p, a = prompt.shape[1], answer.shape[1]
    filler = answer[:, :-1] if task.causal else np.full((n, a - 1), DIGIT_VOCAB.index(BLANK))
    tokens = np.concatenate([prompt, np.full((n, 1), DIGIT_VOCAB.index(EQUALS)), filler], 1)
    targets = np.zeros_like(tokens)
    targets[:, p:] = answer
    mask = np.zeros(tokens.shape, bool)
    mask[:, p:] = True
    return tokens, targets, mask


def _text_sets(task: AttnTask, rng: np.random.Generator) -> tuple[tuple[str, ...], list[tuple[np.ndarray, ...]]]:
    vocab, parts = text_windows(task.text or default_text(task.seed), task.length, task.n_train, task.n_test, rng)
    return vocab, [(x, y, np.ones(y.shape, bool)) for x, y in parts]


def make_data(task: AttnTask) -> AttnData:
    """The task's training and test sets, from its seed (the test set from its own stream)."""
    if task.task == "text":
        vocab, (train, test) = _text_sets(task, np.random.default_rng(task.seed))
        prompt = 0
    else:
        vocab = DIGIT_VOCAB
        train = _digit_set(task, np.random.default_rng(task.seed), task.n_train)
        test = _digit_set(task, np.random.default_rng(task.seed + 10_000), task.n_test)
        prompt = int(np.argmax(train[2][0]))
    t = [torch.from_numpy(np.ascontiguousarray(a)) for a in (*train, *test)]
    return AttnData(task, vocab, t[0], t[1], t[2], t[3], t[4], t[5], prompt)


def encode(data: AttnData, text: str) -> torch.Tensor:
    """A typed prompt as token ids (1, T); characters outside the vocabulary are refused by name."""
    bad = sorted({c for c in text if c not in data.vocab})
    if bad:
        raise ValueError(f"these characters are not in the model's vocabulary: {' '.join(bad)[:60]}")
    if not text:
        raise ValueError("type a prompt of at least one character")
    return torch.tensor([[data.vocab.index(c) for c in text]], dtype=torch.long)
