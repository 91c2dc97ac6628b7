"""The placement settings of the active policy (`plaatsingen`, over the shipped default's,
so a preset stored before them works), and the draaideur window the monitor uses
(`duurzaamheid.draaideur_months`): one threshold for the worklist and the figures."""

from __future__ import annotations

from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.policy.selectors import active_policy


def placement_settings(config: dict | None = None) -> dict:
    config = config if config is not None else active_policy().config
    default = PRESETS[DEFAULT_PRESET]["config"]
    merged = {**default["plaatsingen"], **(config.get("plaatsingen") or {})}
    window = {**default["duurzaamheid"], **(config.get("duurzaamheid") or {})}["draaideur_months"]
    return merged | {"draaideur_months": int(window)}
