"""Thresholds that were written into the code now live in every preset's config.

Stored presets get the keys with the values the code used, so behaviour is unchanged until a
beheerder edits them. The values are frozen here (not imported from presets.py), as a
migration must mean the same thing whatever the code later says.
"""

import copy

from django.db import migrations

NEW_SETTINGS = {
    "client_groups": {"direct_werk_max_months": 6, "werken_en_ervaren_max_months": 24, "zorg_max_ladder_step": 2},
    "ladder_target": {"work_max_months": 6, "step_5_max_months": 24, "one_step_max_months": 48, "hold_from_step": 4},
    "plan_required_under_age": 27,
    "no_show_contact_days": 30,
    "nazorg_days": 365,
}


def add_settings(apps, schema_editor):
    PolicyPreset = apps.get_model("casework", "PolicyPreset")
    for preset in PolicyPreset.objects.all():
        missing = {key: copy.deepcopy(value) for key, value in NEW_SETTINGS.items() if key not in preset.config}
        if missing:
            preset.config = {**preset.config, **missing}
            preset.save(update_fields=["config"])


class Migration(migrations.Migration):
    dependencies = [("casework", "0004_policy_presets")]

    operations = [migrations.RunPython(add_settings, migrations.RunPython.noop)]
