"""The author's full name and the documented event on every audit row; the database now
refuses DELETE on SQLite and TRUNCATE on PostgreSQL as well.

On SQLite, adding a column rebuilds the table and so drops its triggers: this migration
(re)creates both after the columns. A later migration that changes this table on SQLite
must do the same (the tests in audit/tests/test_append_only.py fail otherwise).
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS audit_append_only",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'het auditlog is alleen aanvulbaar (append-only)');
END;""",
    "DROP TRIGGER IF EXISTS audit_no_delete",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'het auditlog is alleen aanvulbaar (append-only)');
END;""",
]
PG_FORWARD = [
    "DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent",
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION trede_audit_append_only();""",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='event',
            field=models.CharField(blank=True, max_length=60, verbose_name='gebeurtenis'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='full_name',
            field=models.CharField(blank=True, max_length=300, verbose_name='naam'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('read', 'ingezien'), ('search', 'gezocht'), ('create', 'aangemaakt'), ('update', 'gewijzigd'), ('delete', 'verwijderd'), ('export', 'geëxporteerd'), ('denied', 'geweigerd'), ('grant', 'toegang verleend'), ('import', 'ingelezen'), ('login', 'ingelogd'), ('loginfail', 'inloggen mislukt'), ('logout', 'uitgelogd')], max_length=10, verbose_name='handeling'),
        ),
        migrations.RunPython(forward, backward),
    ]
