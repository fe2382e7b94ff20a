"""Your own data: a CSV file, a label column and feature columns, turned into a `Dataset`.

Untrusted bytes: the size is capped before parsing, rows and columns are capped, text is decoded
explicitly, and every problem (missing values, text in a numeric column, a single class, too few
rows) becomes a `ValueError` whose message says what to fix.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.data.dataset import Dataset, make_dataset
from core.data.tabular import standardize

MAX_CSV_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MIN_ROWS = 10
MAX_CLASSES = 20


@dataclass(frozen=True)
class CsvTable:
    frame: pd.DataFrame
    name: str

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    @property
    def text_columns(self) -> list[str]:
        """Columns holding text that is not a number (a name, a category): they cannot be features."""
        out = []
        for c in self.frame.columns:
            s = self.frame[c]
            if (pd.to_numeric(s, errors="coerce").isna() & s.notna()).any():
                out.append(str(c))
        return out


def read_csv(data: bytes, name: str = "data.csv") -> CsvTable:
    """Parse CSV bytes into a table, or raise `ValueError` with a readable reason."""
    if len(data) > MAX_CSV_BYTES:
        raise ValueError(f"'{name[:60]}' is {len(data) / 2**20:.0f} MB; the Playground accepts CSV files up to "
                         f"{MAX_CSV_BYTES // 2**20} MB. Keep fewer rows or columns.")
    if not data.strip():
        raise ValueError(f"'{name[:60]}' is empty")
    if b"\x00" in data[:4096]:
        raise ValueError(f"'{name[:60]}' is not a text CSV file (it contains binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        frame = pd.read_csv(io.StringIO(text), nrows=MAX_ROWS + 1, sep=_delimiter(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise ValueError(f"'{name[:60]}' could not be read as CSV: {str(exc)[:200]}") from None
    if len(frame) > MAX_ROWS:
        raise ValueError(f"'{name[:60]}' has more than {MAX_ROWS:,} rows; keep at most {MAX_ROWS:,}")
    if frame.shape[1] > MAX_COLUMNS:
        raise ValueError(f"'{name[:60]}' has {frame.shape[1]} columns; at most {MAX_COLUMNS} are allowed")
    if frame.shape[1] < 2:
        raise ValueError(f"'{name[:60]}' has only {frame.shape[1]} column; it needs a label column and at least "
                         "one feature column (is it separated by commas?)")
    frame.columns = [str(c)[:60] for c in frame.columns]
    return CsvTable(frame, name)


def _delimiter(text: str) -> str:
    """Comma, semicolon, tab or bar, whichever the file's first lines use (comma by default)."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _numeric(series: pd.Series, column: str) -> np.ndarray:
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() & series.notna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        line = int(series.index[pos]) + 2  # the frame keeps the file's row labels; line 1 is the header
        raise ValueError(f"column '{column}' has text ('{str(series.iloc[pos])[:30]}' on line {line} of the file); "
                         "features must be numbers. Leave this column out or fix the file.")
    return values.to_numpy(dtype=np.float64)


def csv_dataset(table: CsvTable, label: str, features: list[str], train_fraction: float = 0.7,
                seed: int = 0) -> tuple[Dataset, list[str]]:
    """Build a standardized tabular `Dataset`; also returns notes on what was changed (dropped rows)."""
    df = table.frame
    if label not in df.columns:
        raise ValueError(f"there is no column '{label[:60]}' to use as the label")
    features = [f for f in features if f != label]
    if not features:
        raise ValueError("choose at least one feature column besides the label")
    missing = [f for f in features if f not in df.columns]
    if missing:
        raise ValueError(f"there is no column '{missing[0][:60]}'")
    notes = []
    sub = df[[*features, label]]
    incomplete = sub.isna().any(axis=1)
    if incomplete.any():
        notes.append(f"{int(incomplete.sum())} row(s) with missing values were left out")
        sub = sub[~incomplete]
    if len(sub) < MIN_ROWS:
        raise ValueError(f"the data needs at least {MIN_ROWS} complete rows to train and test on; it has {len(sub)}")
    x = np.stack([_numeric(sub[f], f) for f in features], 1)
    if not np.isfinite(x).all():
        raise ValueError("a feature column holds an infinite value; fix the file")
    y_raw = sub[label]
    y_num = pd.to_numeric(y_raw, errors="coerce")
    is_numeric = not y_num.isna().any()
    n_unique = y_raw.nunique()
    if is_numeric and not (np.allclose(y_num, np.round(y_num)) and n_unique <= MAX_CLASSES):
        ds = make_dataset("csv", "regression", "tabular", x.astype(np.float32), y_num.to_numpy(np.float32),
                          train_fraction, seed, feature_names=tuple(features),
                          meta={"title": f"Your data ({table.name[:40]})", "label": label})
        return standardize(ds), notes
    if n_unique < 2:
        raise ValueError(f"the label column '{label}' has only one class ('{str(y_raw.iloc[0])[:30]}'): "
                         "a classifier needs at least two")
    if n_unique > MAX_CLASSES:
        raise ValueError(f"the label column '{label}' has {n_unique} different values; a classifier here takes at "
                         f"most {MAX_CLASSES} classes (pick a numeric column to predict a number)")
    classes = sorted(y_raw.astype(str).unique(), key=lambda c: (len(c), c))
    index = {c: i for i, c in enumerate(classes)}
    y = y_raw.astype(str).map(index).to_numpy(np.int64)
    counts = np.bincount(y, minlength=len(classes))
    if counts.min() < 2:
        rare = classes[int(counts.argmin())]
        raise ValueError(f"class '{rare[:30]}' has a single row: each class needs at least 2 to train and test on")
    ds = make_dataset("csv", "classification", "tabular", x.astype(np.float32), y, train_fraction, seed,
                      class_names=tuple(c[:30] for c in classes), feature_names=tuple(features),
                      meta={"title": f"Your data ({table.name[:40]})", "label": label})
    return standardize(ds), notes
