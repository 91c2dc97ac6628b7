"""Turning a table of covariates into a numeric design matrix.

Municipal tables mix numbers, codes and empty cells. Codes become one-hot columns (the
most frequent level is the reference), and an empty number becomes the column mean plus a
missing-indicator column, so that 'unknown' can carry its own effect instead of dropping
the row (clients without a diagnosis are not a random subset).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _as_number(series: pd.Series) -> pd.Series | None:
    """The column as floats when every non-empty cell is a number, else None."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype(float)
    if _is_numeric(series):
        return series.astype(float)
    text = series.astype("string").str.strip()
    blank = text.isna() | (text == "")
    parsed = pd.to_numeric(text.mask(blank), errors="coerce")
    if parsed[~blank].isna().any():
        return None
    return parsed.astype(float)


def encode_covariates(frame: pd.DataFrame, *, min_level_count: int = 1) -> tuple[np.ndarray, list[str]]:
    """Numeric design matrix (float64) and its column names.

    Numeric columns (or text columns holding only numbers) stay as they are; other
    columns are one-hot encoded with the most frequent level dropped. Constant columns
    are left out because they carry no information and make some solvers singular.
    Levels seen fewer than `min_level_count` times are pooled into `_overig`.
    """
    parts: list[np.ndarray] = []
    names: list[str] = []
    for col in frame.columns:
        series = frame[col]
        number = _as_number(series)
        if number is not None:
            values = number.to_numpy(dtype=float)
            missing = np.isnan(values)
            if missing.all():
                continue
            if missing.any():
                values = np.where(missing, np.nanmean(values), values)
                parts.append(missing.astype(float))
                names.append(f"{col}__onbekend")
            parts.append(values)
            names.append(str(col))
            continue
        text = series.astype("string").fillna("").str.strip().replace("", "onbekend")
        counts = text.value_counts()
        rare = counts.index[counts < min_level_count]
        if len(rare):
            text = text.where(~text.isin(rare), "_overig")
            counts = text.value_counts()
        reference = counts.index[0]
        for level in sorted(counts.index):
            if level == reference:
                continue
            parts.append((text == level).to_numpy(dtype=float))
            names.append(f"{col}={level}")
    if not parts:
        return np.zeros((len(frame), 0)), []
    matrix = np.column_stack(parts)
    keep = matrix.std(axis=0) > 0
    return matrix[:, keep], [n for n, k in zip(names, keep, strict=True) if k]
