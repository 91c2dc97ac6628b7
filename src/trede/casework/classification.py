"""Client groups (klantgroepen) as Steenwijkerland defines them (seed 002 §3-4).

Pure functions without Django, so that the generator, the importer, the monitor and the
effects engine classify a client the same way from the same registered facts.
"""

from __future__ import annotations

from .policy.presets import DEFAULT_PRESET, PRESETS

CLIENT_GROUPS = (
    "direct_werk",
    "werken_en_ervaren",
    "leren_en_ontwikkelen",
    "zorg",
    "werkvoorzienend",
    "geplaatst",
    "onbekend",
)

CLIENT_GROUP_LABELS = {
    "direct_werk": "Direct werk",
    "werken_en_ervaren": "Werken en ervaren",
    "leren_en_ontwikkelen": "Leren en ontwikkelen",
    "zorg": "Zorg",
    "werkvoorzienend": "Werkvoorzienend",
    "geplaatst": "Geplaatst",
    "onbekend": "Onbekend",
}


def client_group(
    *,
    months_to_work: int | None,
    ladder_step: int | None,
    dgr: bool | None,
    placed: bool = False,
    config: dict | None = None,
) -> str:
    """The client group on a day, from the latest diagnosis on or before that day.

    `placed` means a placement is running that day (work with a supplementary benefit,
    a proefplaatsing or a detachering). The order matters: a placed client is `geplaatst`
    whatever the diagnosis says, and a doelgroepregister client far from regular work is
    `werkvoorzienend` (Wsw/beschut) rather than `zorg`.

    The bounds are the preset's `client_groups`; without a preset (the generator and the
    effects engine, which have no database) the default preset's.
    """
    bounds = (config if config is not None else PRESETS[DEFAULT_PRESET]["config"])["client_groups"]
    if placed:
        return "geplaatst"
    if months_to_work is None:
        return "onbekend"
    if months_to_work <= bounds["direct_werk_max_months"]:
        return "direct_werk"
    if months_to_work <= bounds["werken_en_ervaren_max_months"]:
        return "werken_en_ervaren"
    if dgr:
        return "werkvoorzienend"
    if ladder_step is not None and ladder_step <= bounds["zorg_max_ladder_step"]:
        return "zorg"
    return "leren_en_ontwikkelen"
