"""Dutch messages for the effects engine's typed exceptions (trede.effects.errors).

The engine is pure Python and speaks English to programmers; whoever shows its refusals to
a user (the `trede effects` command, the stored runs behind "Wat werkt voor wie") goes
through `dutch_effects_error`, so the same condition reads the same everywhere.
"""

from __future__ import annotations

from trede.effects.errors import (
    EffectsError,
    InvalidData,
    InvalidSetting,
    MissingColumns,
    NoOverlap,
    NoStartMonth,
    NoStarts,
    NotEnoughData,
)

COLUMN_LABELS = {
    "treatment": "de behandelkolom",
    "outcome": "de uitkomstkolom",
    "weights": "de gewichtenkolom",
    "groups": "de groepenkolom",
}


def dutch_effects_error(exc: EffectsError, *, cli: bool = False) -> str:
    """The refusal in Dutch; with `cli`, the hint names the command's options."""
    if isinstance(exc, NoStartMonth):
        hint = "kies een kortere horizon of een latere --until" if cli else "kies een kortere horizon"
        return (
            f"geen startmaand past tussen de eerste start ({exc.first_month}) en de einddatum min "
            f"de horizon van {exc.horizon} maanden ({exc.last_month}); {hint}"
        )
    if isinstance(exc, NoStarts):
        hint = "geef --from op of laad eerst gegevens" if cli else "laad eerst gegevens"
        return f"geen gestarte trajecten gevonden; {hint}"
    if isinstance(exc, NotEnoughData):
        return "te weinig gegevens: er zijn geen rijen met behandeling of geen rijen zonder"
    if isinstance(exc, NoOverlap):
        return (
            "geen vergelijking mogelijk: na het weglaten van klanten zonder vergelijkbare "
            "tegenhangers blijven er geen behandelde of geen onbehandelde rijen over"
        )
    if isinstance(exc, MissingColumns):
        return f"kolom(men) niet gevonden: {', '.join(exc.columns)}"
    if isinstance(exc, InvalidSetting):
        return f"ongeldige waarde {exc.value!r} voor {exc.name}; kies uit {', '.join(exc.allowed)}"
    if isinstance(exc, InvalidData):
        what = COLUMN_LABELS.get(exc.column, exc.column)
        rule = {
            "treatment": "mag alleen 0 en 1 bevatten",
            "outcome": "moet in elke rij een eindig getal zijn",
            "weights": "moet overal groter dan 0 zijn",
        }.get(exc.column, "bevat ongeldige waarden")
        return f"{what} {rule}"
    return "effectschatting niet mogelijk"
