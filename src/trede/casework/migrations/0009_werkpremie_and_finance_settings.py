"""Stored presets get the werkpremie (seed 004 §4.8, decision 73) beside the uitstroompremie,
and the ceiling and BUIG vangnet settings (decision 74) where they lack them, with the values
the code used until now (the default preset's), so behaviour is unchanged until a beheerder
edits them. The values are frozen here (not imported from presets.py), as a migration must
mean the same thing whatever the code later says.
"""

import copy

from django.db import migrations

WERKPREMIE = {
    "code": "werkpremie",
    "name": "Werkpremie",
    "trigger": "deelname_traject",
    "regulations": ["pw", "ioaw", "ioaz"],
    "instrument_types": [
        "vrijwilligerswerk",
        "sociale_activering",
        "werkervaringsplaats",
        "werkstage",
        "taalstage",
        "scholing",
        "maatwerktraject",
        "sollicitatietraining",
        "proefplaatsing",
    ],
    "monthly_amount_eur": 50,
    "months_from": "2018-01-01",
    "funding": "reintegratiebudget",
    "line": "werkpremies",
}
CEILINGS = {"warn_pct": 90, "block_pct": 100}
BUIG_VANGNET = {
    "own_risk_pct": 7.5,
    "band_to_pct": 12.5,
    "band_share": 0.5,
    "source": "Besluit Participatiewet, hoofdstuk 3 (vangnetuitkering), regeling vanaf 2019: "
    "eigen risico 7,5 % van het BUIG-budget; van het tekort tussen 7,5 % en 12,5 % wordt de helft "
    "vergoed, daarboven alles",
}


def add_settings(apps, schema_editor):
    PolicyPreset = apps.get_model("casework", "PolicyPreset")
    for preset in PolicyPreset.objects.all():
        config = copy.deepcopy(preset.config)
        changed = False
        for key, value in (("ceilings", CEILINGS), ("buig_vangnet", BUIG_VANGNET)):
            if key not in config:
                config[key] = copy.deepcopy(value)
                changed = True
        schemes = (config.get("premiums") or {}).get("schemes")
        if isinstance(schemes, list) and not any(
            isinstance(s, dict) and s.get("code") == WERKPREMIE["code"] for s in schemes
        ):
            schemes.append(copy.deepcopy(WERKPREMIE))
            changed = True
        if changed:
            preset.config = config
            preset.save(update_fields=["config"])


class Migration(migrations.Migration):
    dependencies = [("casework", "0008_contact_corrections_and_withdrawals")]

    operations = [migrations.RunPython(add_settings, migrations.RunPython.noop)]
