"""Premium parts (four eyes, paid once) and the premium settings in every stored preset.

Stored presets get the `premiums` key (Hof van Twente's uitstroompremie, seed 004 §4.8)
when they lack it. The values are frozen here, not imported from presets.py, as a
migration must mean the same thing whatever the code later says (see casework 0005).
"""

import copy

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


PREMIUMS = {
    "source": "Hof van Twente, beleidsplan participatie (seed 004 §4.8)",
    "outflow_from": "2018-01-01",
    "schemes": [
        {
            "code": "uitstroompremie",
            "name": "Uitstroompremie",
            "trigger": "uitstroom_werk",
            "min_benefit_months": 12,
            "regulations": ["pw", "ioaw", "ioaz"],
            "parts": [{"after_months": 3, "amount_eur": 375}, {"after_months": 6, "amount_eur": 375}],
            "total_eur": 750,
            "funding": "reintegratiebudget",
            "line": "uitstroompremie",
        }
    ],
}


def add_premium_settings(apps, schema_editor):
    PolicyPreset = apps.get_model("casework", "PolicyPreset")
    for preset in PolicyPreset.objects.all():
        if "premiums" not in preset.config:
            preset.config = {**preset.config, "premiums": copy.deepcopy(PREMIUMS)}
            preset.save(update_fields=["config"])


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0008_contact_corrections_and_withdrawals"),
        ('benefits', '0002_initial'),
        ('clients', '0002_postcode'),
        ('finance', '0002_ceiling_override'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PremiumPart',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('submission_key', models.UUIDField(blank=True, editable=False, help_text='Eén per geopend formulier: een tweede verzending maakt geen tweede vastlegging.', null=True, unique=True, verbose_name='formuliersleutel')),
                ('scheme', models.CharField(max_length=40, verbose_name='regeling')),
                ('scheme_name', models.CharField(max_length=100, verbose_name='naam regeling')),
                ('part', models.PositiveSmallIntegerField(verbose_name='deel')),
                ('outflow_date', models.DateField(verbose_name='uitstroom op')),
                ('due_date', models.DateField(verbose_name='verdiend op')),
                ('amount_eur', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='bedrag (EUR)')),
                ('funding', models.CharField(blank=True, choices=[('reintegratiebudget', 're-integratiebudget'), ('buig', 'BUIG'), ('overig', 'overig')], max_length=24, verbose_name='financiering')),
                ('line', models.CharField(blank=True, max_length=100, verbose_name='begrotingspost')),
                ('status', models.CharField(choices=[('voorgesteld', 'voorgesteld'), ('gecontroleerd', 'gecontroleerd'), ('betaald', 'goedgekeurd en betaald'), ('afgewezen', 'afgewezen')], default='voorgesteld', max_length=16, verbose_name='status')),
                ('proposed_at', models.DateTimeField(verbose_name='voorgesteld op')),
                ('checked_at', models.DateTimeField(blank=True, null=True, verbose_name='gecontroleerd op')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='goedgekeurd op')),
                ('rejected_at', models.DateTimeField(blank=True, null=True, verbose_name='afgewezen op')),
                ('rejection_reason', models.CharField(blank=True, max_length=500, verbose_name='reden van afwijzing')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='goedgekeurd door')),
                ('benefit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='premium_parts', to='benefits.benefit', verbose_name='uitkering die eindigde')),
                ('checked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gecontroleerd door')),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='premium_parts', to='clients.client', verbose_name='klant')),
                ('payment', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='premium_part', to='finance.payment', verbose_name='betaling')),
                ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='voorgesteld door')),
                ('rejected_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='afgewezen door')),
            ],
            options={
                'verbose_name': 'premiedeel',
                'verbose_name_plural': 'premiedelen',
                'ordering': ['due_date', 'client_id', 'scheme', 'part'],
                'indexes': [models.Index(fields=['status', 'due_date'], name='premium_status_due_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['voorgesteld', 'gecontroleerd', 'betaald', 'afgewezen'])), name='premium_status_code'), models.CheckConstraint(condition=models.Q(('funding__in', ['reintegratiebudget', 'buig', 'overig']), ('funding', ''), _connector='OR'), name='premium_funding_code'), models.UniqueConstraint(condition=models.Q(('status', 'afgewezen'), _negated=True), fields=('client', 'scheme', 'part'), name='premium_part_once'), models.CheckConstraint(condition=models.Q(('part__gte', 1)), name='premium_part_from_one'), models.CheckConstraint(condition=models.Q(('amount_eur__gte', 0)), name='premium_amount_not_negative'), models.CheckConstraint(condition=models.Q(('approved_by__isnull', True), models.Q(('approved_by', models.F('checked_by')), _negated=True), _connector='OR'), name='premium_approver_is_not_checker'), models.CheckConstraint(condition=models.Q(('approved_by__isnull', True), models.Q(('approved_by', models.F('proposed_by')), _negated=True), _connector='OR'), name='premium_approver_is_not_proposer'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'betaald'), _negated=True), models.Q(('checked_by__isnull', False), ('approved_by__isnull', False), ('payment__isnull', False)), _connector='OR'), name='premium_paid_after_check_and_approval'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'afgewezen'), _negated=True), models.Q(('rejection_reason', ''), _negated=True), _connector='OR'), name='premium_rejection_has_reason')],
            },
        ),
        migrations.RunPython(add_premium_settings, migrations.RunPython.noop),
    ]
