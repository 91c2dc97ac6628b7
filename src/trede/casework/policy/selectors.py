"""Reads of the policy in use: the active PolicyPreset and its settings."""

from __future__ import annotations

from dataclasses import dataclass

from .models import PolicyPreset
from .presets import DEFAULT_PRESET, PRESETS


@dataclass(frozen=True)
class ActivePolicy:
    key: str
    name: str
    config: dict


def active_policy() -> ActivePolicy:
    """The active PolicyPreset; the default preset's rules when none is marked active."""
    preset = PolicyPreset.objects.filter(active=True).first()
    if preset is not None:
        return ActivePolicy(key=preset.key, name=preset.name, config=preset.config)
    fallback = PRESETS[DEFAULT_PRESET]
    return ActivePolicy(key=DEFAULT_PRESET, name=fallback["name"], config=fallback["config"])


def policy_preset_active() -> PolicyPreset | None:
    return PolicyPreset.objects.filter(active=True).first()


def policy_config_active() -> dict:
    """The settings of the preset in use (the default preset's when none is active)."""
    preset = policy_preset_active()
    return preset.config if preset else PRESETS[DEFAULT_PRESET]["config"]
