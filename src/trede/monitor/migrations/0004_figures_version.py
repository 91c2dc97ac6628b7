"""The counter that invalidates the monitor's figures cache, and its triggers
(`trede.monitor.figures_cache`, decision 98). Also run after every `migrate` (apps.py),
because SQLite drops a table's triggers when a migration rebuilds it."""

from django.db import migrations


def forward(apps, schema_editor):
    from trede.monitor.figures_cache import install

    install(schema_editor.connection)


def backward(apps, schema_editor):
    from trede.monitor.figures_cache import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("monitor", "0003_peers"),
        ("benefits", "0001_initial"),
        ("clients", "0001_initial"),
        ("casework", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
