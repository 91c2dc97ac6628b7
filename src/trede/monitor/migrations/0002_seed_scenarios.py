"""The three scenarios of Steenwijkerland's appendix (seed 002, Berenschot, "Bijstandsvolume
op basis van 4 scenario's economische gevolgen coronacrisis": from 670 in 2019 to 848 in
2022 in the basis, 772 with full recovery, 983 with weak recovery, 1,012 with a second
wave). The seed gives volumes, not rates: these multipliers are our editable starting
points in the same direction and order (decision 62); policy advisors edit them."""

from decimal import Decimal

from django.db import migrations

SCENARIOS = [
    (
        "volledig_herstel",
        "Volledig herstel",
        "De economie herstelt volledig: minder instroom en meer uitstroom dan in de basis.",
        "0.90",
        "1.10",
    ),
    (
        "zwak_herstel",
        "Zwak herstel",
        "De economie herstelt zwak: meer instroom en minder uitstroom dan in de basis.",
        "1.15",
        "0.90",
    ),
    (
        "tweede_golf",
        "Tweede golf",
        "Een tweede golf: nog meer instroom dan bij zwak herstel en minder uitstroom.",
        "1.25",
        "0.85",
    ),
]


def create(apps, schema_editor):
    scenario = apps.get_model("monitor", "ForecastScenario")
    for code, name, description, inflow, outflow in SCENARIOS:
        scenario.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "inflow_multiplier": Decimal(inflow),
                "outflow_multiplier": Decimal(outflow),
            },
        )


def remove(apps, schema_editor):
    apps.get_model("monitor", "ForecastScenario").objects.filter(code__in=[s[0] for s in SCENARIOS]).delete()


class Migration(migrations.Migration):
    dependencies = [("monitor", "0001_forecast_scenarios")]
    operations = [migrations.RunPython(create, remove)]
