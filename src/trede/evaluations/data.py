"""Interchange-shaped DataFrames from the database, for the effects engine.

`trede.effects` is pure Python (no Django); this is the one place where the database
becomes the frames the engine reads, column names as in docs/interchange.md.
"""

from __future__ import annotations

import pandas as pd
from django.db.models import F

from trede.benefits.models import Benefit
from trede.casework.models import Diagnosis
from trede.clients.models import Client
from trede.effects.frames import COLUMNS, normalise_frames
from trede.employers.models import Placement
from trede.instruments.models import Trajectory

_CHUNK = 20_000


def _frame(queryset, columns: tuple[str, ...]) -> pd.DataFrame:
    rows = queryset.values_list(*columns).iterator(chunk_size=_CHUNK)
    return pd.DataFrame.from_records(list(rows), columns=list(columns))


def load_frames_from_db() -> dict[str, pd.DataFrame]:
    """clients, benefits, diagnoses, trajectories and placements, normalised like a CSV folder."""
    trajectories = Trajectory.objects.annotate(instrument_code=F("instrument_id"))
    frames = {
        "clients": _frame(Client.objects.order_by(), COLUMNS["clients"]),
        "benefits": _frame(Benefit.objects.order_by(), COLUMNS["benefits"]),
        "diagnoses": _frame(Diagnosis.objects.order_by(), COLUMNS["diagnoses"]),
        "trajectories": _frame(trajectories.order_by(), COLUMNS["trajectories"]),
        "placements": _frame(Placement.objects.order_by(), COLUMNS["placements"]),
    }
    return normalise_frames(frames)
