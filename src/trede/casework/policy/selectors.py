"""The policy in use: the one place that decides which preset's rules apply."""

from __future__ import annotations

from dataclasses import dataclass

from .models import PolicyPreset
from .presets import DEFAULT_PRESET, PRESETS


@dataclass(frozen=True)
class ActivePolicy:
    key: str
    name: str
    config: dict
    preset: PolicyPreset | None  # None: no preset is marked active, the default's rules apply


def active_policy() -> ActivePolicy:
    """The active PolicyPreset; the default preset's rules when none is marked active."""
    preset = PolicyPreset.objects.filter(active=True).first()
    if preset is not None:
        return ActivePolicy(key=preset.key, name=preset.name, config=preset.config, preset=preset)
    fallback = PRESETS[DEFAULT_PRESET]
    return ActivePolicy(key=DEFAULT_PRESET, name=fallback["name"], config=fallback["config"], preset=None)
