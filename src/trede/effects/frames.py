"""Interchange-shaped DataFrames: reading a CSV folder and normalising column types.

The panel builder works on the columns the interchange format names (shared
interchange.md), whether the frames come from a CSV folder or from the database. This
module makes both look alike: ids as strings, dates as datetime64 (NaT when empty),
numbers as floats (NaN when empty), codes as strings ('' when empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

# The columns the effects engine reads, per interchange file.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "clients": (
        "client_id",
        "birth_date",
        "gender",
        "household",
        "education",
        "dutch_language",
        "statushouder",
        "dgr",
    ),
    "benefits": ("benefit_id", "client_id", "regulation", "start_date", "end_date", "end_reason"),
    "diagnoses": ("diagnosis_id", "client_id", "date", "months_to_work", "ladder_step", "wage_value_pct"),
    "trajectories": (
        "trajectory_id",
        "client_id",
        "instrument_code",
        "start_date",
        "planned_end_date",
        "end_date",
    ),
    "placements": ("placement_id", "client_id", "start_date", "end_date"),
}
DATE_COLUMNS = {"birth_date", "start_date", "end_date", "planned_end_date", "date"}
NUMBER_COLUMNS = {"months_to_work", "ladder_step", "wage_value_pct"}
FLAG_COLUMNS = {"statushouder", "dgr"}


def read_interchange_folder(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The five frames from an interchange folder; absent optional files give empty frames.

    Every cell is read as text first (a BSN or id may start with 0), then normalised.
    Extra columns are ignored, absent optional columns read as empty.
    """
    folder = Path(folder)
    frames = {}
    for name in COLUMNS:
        path = folder / f"{name}.csv"
        if path.exists():
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            raw = pd.DataFrame(columns=list(COLUMNS[name]))
        frames[name] = raw
    return normalise_frames(frames)


def _flag(series: pd.Series) -> pd.Series:
    """'1'/'0'/'' and True/False/None alike become '1'/'0'/''."""
    mapping = {"1": "1", "0": "0", "true": "1", "false": "0", "1.0": "1", "0.0": "0"}
    text = series.astype("string").str.strip().str.lower()
    return text.map(mapping).fillna("").astype(object)


def normalise_frames(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Only the engine's columns, in one set of types, whatever the source."""
    out = {}
    for name, columns in COLUMNS.items():
        frame = frames.get(name)
        frame = pd.DataFrame(columns=list(columns)) if frame is None else frame
        clean = pd.DataFrame(index=range(len(frame)))
        for col in columns:
            values = (
                frame[col].reset_index(drop=True) if col in frame.columns else pd.Series([None] * len(frame))
            )
            if col in DATE_COLUMNS:
                if not pd.api.types.is_datetime64_any_dtype(values):
                    text = values.astype("string").str.strip().replace("", pd.NA)
                    values = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
                clean[col] = values.astype("datetime64[ns]")
            elif col in NUMBER_COLUMNS:
                clean[col] = pd.to_numeric(
                    values.astype("string").str.strip().replace("", pd.NA), errors="coerce"
                )
                clean[col] = clean[col].astype(float)
            elif col in FLAG_COLUMNS:
                clean[col] = _flag(values)
            else:
                clean[col] = values.astype("string").fillna("").str.strip().astype(object)
        out[name] = _in_id_order(clean, columns[0])
    return out


def _in_id_order(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Rows in one canonical order (ids by length, then as text: decision 4), so an
    estimate does not depend on the order a database or a CSV happened to return them
    in (cross-fitting folds and control sampling follow row order)."""
    if frame.empty:
        return frame
    ids = frame[key].astype(str)
    order = pd.DataFrame({"n": ids.str.len().to_numpy(), "id": ids.to_numpy()}).sort_values(
        ["n", "id"], kind="stable"
    )
    return frame.iloc[order.index.to_numpy()].reset_index(drop=True)


def days(values: pd.Series, *, missing: int) -> np.ndarray:
    """Dates as int64 days since 1970-01-01, `missing` for NaT."""
    arr = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = arr.astype(np.int64)
    out[np.isnat(arr)] = missing
    return out
