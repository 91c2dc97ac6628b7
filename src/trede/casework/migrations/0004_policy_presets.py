"""The three policy presets of the seeds; Leidschendam-Voorburg is active by default."""

from django.db import migrations


def create_presets(apps, schema_editor):
    from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS

    PolicyPreset = apps.get_model("casework", "PolicyPreset")
    for key, preset in PRESETS.items():
        PolicyPreset.objects.update_or_create(
            key=key,
            defaults={"name": preset["name"], "description": preset["description"], "config": preset["config"],
                      "active": key == DEFAULT_PRESET},
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_intake_policy_plans_caseload")]
    operations = [migrations.RunPython(create_presets, migrations.RunPython.noop)]
