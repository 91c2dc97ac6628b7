"""Writes of handhaving: a signal opens a zaak, the client is heard, a decision is taken
(computed from the preset's verordening by `rules.decide`), approved by a colleague where
the preset asks for four eyes, or the zaak is closed without a decision. Each step is
checked against the one permission declaration, refused with a Dutch message when it may
not be taken (audited as `handhaving_refused`, outside the refused transaction) and
audited. A final decision writes its `Measure` (measures.csv) in the same transaction.

Patterns shared with the rest of Trede (`trede.utils.concurrency`): create forms carry a
submission key (`create_once`: a double submit is one zaak, one hearing, one decision);
corrections carry an edit token (`claim_version`: a save over a colleague's newer one is
refused, nothing written); status steps are `move_status` (two people at once: one wins).
Four eyes as for premiums and claims: who approves did not decide (here and a check
constraint).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.utils.concurrency import claim_version, create_once, edit_token, move_status

from ..constants import MeasureKind
from ..models import Benefit, Measure
from . import rules, selectors
from .models import (
    OBLIGATION_OF,
    Besluit,
    BesluitStatus,
    Handhavingszaak,
    HearingForm,
    Horen,
    SignalKind,
    Verwijtbaarheid,
    ZaakStatus,
)

PURPOSE = events.HANDHAVING
ZAAK_FIELDS = ("signal_kind", "signal_date", "description", "benadelingsbedrag")
HOREN_FIELDS = ("held_on", "form", "statement")
REASON_MIN, REASON_MAX = 5, 500
NOT_HEARD = (
    "De klant is nog niet gehoord. Leg eerst vast wanneer en hoe de klant is gehoord en wat hij of zij zei; "
    "pas daarna kan een besluit worden genomen."
)
CHANGED = "De stand van deze zaak is intussen gewijzigd. Open de pagina opnieuw."


class HandhavingRefused(ValidationError):
    """A step that may not be taken now (no horen yet, one's own decision, the rules)."""

    status_code = 409


def _refuse(user, zaak, *, step: str, message: str) -> HandhavingRefused:
    logevent.handhaving_refused(user, zaak, step=step, reason=message)
    return HandhavingRefused(message)


def zaak_token(zaak: Handhavingszaak) -> str:
    return edit_token(zaak, ZAAK_FIELDS)


def horen_token(hearing: Horen) -> str:
    return edit_token(hearing, HOREN_FIELDS)


def _reason(reason: str, *, what: str) -> str:
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ValidationError(
            {"reason": f"Geef een reden voor het {what} (van {REASON_MIN} tot {REASON_MAX} tekens)."}
        )
    return reason


def _clean_signal(client, *, signal_kind, signal_date, description, benadelingsbedrag, today: date) -> dict:
    errors = {}
    if signal_kind not in SignalKind.values:
        errors["signal_kind"] = "Kies wat er gebeurde."
    if not isinstance(signal_date, date):
        errors["signal_date"] = "Vul de datum van de gedraging in."
    elif signal_date > today:
        errors["signal_date"] = "Een gedraging ligt niet in de toekomst: kies vandaag of eerder."
    elif not Benefit.objects.filter(client=client, start_date__lte=signal_date).exists():
        errors["signal_date"] = f"{client.name} had op die dag nog geen uitkering: controleer de datum."
    description = (description or "").strip()
    if not 5 <= len(description) <= 1000:
        errors["description"] = "Beschrijf kort wat er gebeurde (5 tot 1000 tekens)."
    obligation = OBLIGATION_OF.get(signal_kind)
    if benadelingsbedrag is not None:
        benadelingsbedrag = Decimal(benadelingsbedrag)
        if benadelingsbedrag < 0:
            errors["benadelingsbedrag"] = "Het benadelingsbedrag is € 0 of meer."
        elif obligation != rules.INLICHTINGEN:
            benadelingsbedrag = None  # only the inlichtingenplicht has one
    if errors:
        raise ValidationError(errors)
    return {
        "signal_kind": signal_kind,
        "obligation": obligation,
        "signal_date": signal_date,
        "description": description,
        "benadelingsbedrag": benadelingsbedrag,
    }


def zaak_register(
    *,
    user,
    client,
    signal_kind: str,
    signal_date,
    description: str,
    benadelingsbedrag=None,
    submission_key=None,
    today: date | None = None,
) -> Handhavingszaak:
    """A signal becomes a zaak that waits for horen; the same form twice opens one zaak."""
    perms.check(user, perms.HANDHAVING_SIGNAL, client, purpose=PURPOSE)
    values = _clean_signal(
        client,
        signal_kind=signal_kind,
        signal_date=signal_date,
        description=description,
        benadelingsbedrag=benadelingsbedrag,
        today=today or timezone.localdate(),
    )

    def create(key):
        zaak = Handhavingszaak.objects.create(client=client, created_by=user, submission_key=key, **values)
        logevent.handhaving_signal_registered(user, zaak)
        return zaak

    zaak, _created = create_once(Handhavingszaak, submission_key, create)
    return zaak


def zaak_correct(
    *,
    user,
    zaak: Handhavingszaak,
    token: str,
    signal_kind,
    signal_date,
    description,
    benadelingsbedrag,
    reason,
) -> Handhavingszaak:
    """Correct the signal with a reason, before a decision is taken (the history keeps the
    first version); refused over a colleague's newer edit."""
    perms.check(user, perms.HANDHAVING_SIGNAL, zaak.client, purpose=PURPOSE)
    if zaak.status not in (ZaakStatus.HOREN, ZaakStatus.GEHOORD):
        raise _refuse(
            user, zaak, step="corrigeren", message="Na een besluit wordt het signaal niet meer gecorrigeerd."
        )
    values = _clean_signal(
        zaak.client,
        signal_kind=signal_kind,
        signal_date=signal_date,
        description=description,
        benadelingsbedrag=benadelingsbedrag,
        today=timezone.localdate(),
    )
    reason = _reason(reason, what="corrigeren")
    with transaction.atomic():
        current = claim_version(zaak, token, ZAAK_FIELDS, what="deze zaak")
        if current.status not in (ZaakStatus.HOREN, ZaakStatus.GEHOORD):
            raise HandhavingRefused(CHANGED)
        changed = [
            str(Handhavingszaak._meta.get_field(f).verbose_name)
            for f in ZAAK_FIELDS
            if getattr(current, f) != values[f]
        ]
        if not changed:
            raise ValidationError(
                "Er is niets gewijzigd: pas het signaal, de datum, de beschrijving of het bedrag aan."
            )
        for field, value in values.items():
            setattr(current, field, value)
        current.correction_reason = reason
        current._change_reason = reason
        current.save()
        logevent.handhaving_signal_corrected(user, current, changed=", ".join(changed), reason=reason)
    return current


def _clean_hearing(zaak, *, held_on, form, statement, today: date) -> dict:
    errors = {}
    if not isinstance(held_on, date):
        errors["held_on"] = "Vul de datum van het horen in."
    elif held_on > today:
        errors["held_on"] = "Horen dat nog moet plaatsvinden wordt niet vastgelegd: kies vandaag of eerder."
    elif held_on < zaak.signal_date:
        errors["held_on"] = (
            f"Het horen ligt vóór de gedraging ({zaak.signal_date:%d-%m-%Y}): controleer de datum."
        )
    if form not in HearingForm.values:
        errors["form"] = "Kies hoe de klant is gehoord."
    statement = (statement or "").strip()
    if form != HearingForm.NIET_GEREAGEERD and len(statement) < 5:
        errors["statement"] = "Schrijf op wat de klant zei (ten minste 5 tekens)."
    elif len(statement) > 4000:
        errors["statement"] = "Houd het bij hoogstens 4000 tekens."
    if errors:
        raise ValidationError(errors)
    return {"held_on": held_on, "form": form, "statement": statement}


def horen_register(
    *,
    user,
    zaak: Handhavingszaak,
    held_on,
    form: str,
    statement: str,
    submission_key=None,
    today: date | None = None,
) -> Horen:
    """The client was heard (or invited and did not respond): the zaak may be decided."""
    perms.check(user, perms.HANDHAVING_DECIDE, zaak.client, purpose=PURPOSE)
    if zaak.status not in (ZaakStatus.HOREN, ZaakStatus.GEHOORD):
        raise _refuse(
            user, zaak, step="horen", message="In deze zaak is al besloten of afgezien; horen kan niet meer."
        )
    values = _clean_hearing(
        zaak, held_on=held_on, form=form, statement=statement, today=today or timezone.localdate()
    )

    def create(key):
        hearing = Horen.objects.create(zaak=zaak, recorded_by=user, submission_key=key, **values)
        if zaak.status == ZaakStatus.HOREN:
            move_status(
                zaak, expected=ZaakStatus.HOREN, refused=HandhavingRefused(CHANGED), status=ZaakStatus.GEHOORD
            )
        logevent.handhaving_heard(user, hearing)
        return hearing

    hearing, _created = create_once(Horen, submission_key, create)
    return hearing


def horen_correct(*, user, hearing: Horen, token: str, held_on, form, statement, reason) -> Horen:
    perms.check(user, perms.HANDHAVING_DECIDE, hearing.zaak.client, purpose=PURPOSE)
    zaak = hearing.zaak
    if zaak.status not in (ZaakStatus.HOREN, ZaakStatus.GEHOORD):
        raise _refuse(
            user,
            zaak,
            step="horen corrigeren",
            message="Na een besluit wordt het horen niet meer gecorrigeerd.",
        )
    values = _clean_hearing(zaak, held_on=held_on, form=form, statement=statement, today=timezone.localdate())
    reason = _reason(reason, what="corrigeren")
    with transaction.atomic():
        current = claim_version(hearing, token, HOREN_FIELDS, what="dit horen")
        changed = [
            str(Horen._meta.get_field(f).verbose_name)
            for f in HOREN_FIELDS
            if getattr(current, f) != values[f]
        ]
        if not changed:
            raise ValidationError("Er is niets gewijzigd: pas de datum, de vorm of wat de klant zei aan.")
        for field, value in values.items():
            setattr(current, field, value)
        current.correction_reason = reason
        current._change_reason = reason
        current.save()
        logevent.handhaving_hearing_corrected(user, current, changed=", ".join(changed), reason=reason)
    return current


def euro(value) -> str:
    """1234.5 → 1.234,50"""
    return f"{Decimal(value):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def dutch_number(value) -> str:
    """20.00 → 20, 12.50 → 12,5."""
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def _what(besluit: Besluit) -> str:
    """The decision in words (audit, Measure.reason)."""
    text = besluit.get_kind_display()
    if besluit.kind == MeasureKind.MAATREGEL:
        text += f" {dutch_number(besluit.percentage)} % gedurende {besluit.months} maand{'en' if besluit.months != 1 else ''}"
        text += f" (categorie {besluit.category}, {besluit.offence}e keer)"
    elif besluit.kind == MeasureKind.BOETE:
        text += f" € {euro(besluit.amount_eur)} (benadelingsbedrag € {euro(besluit.benadelingsbedrag)})"
    elif besluit.kind == MeasureKind.TEGENPRESTATIE:
        text += f" gedurende {besluit.months} maanden" + (
            f", {besluit.hours_per_week} uur per week" if besluit.hours_per_week else ""
        )
    return text


def _finalise(besluit: Besluit, *, day: date, policy: rules.Policy, **changes) -> Besluit:
    """Final: the decision date, the bezwaar term and the Measure row (measures.csv)."""
    zaak = besluit.zaak
    measure = Measure.objects.create(
        measure_id=besluit.planned_measure_id,
        client_id=zaak.client_id,
        date=day,
        kind=besluit.kind,
        reason=f"{zaak.number}, {zaak.get_signal_kind_display()}: {_what(besluit)}; {besluit.legal_ground}",
        percentage=besluit.percentage,
        months=besluit.months,
    )
    besluit = move_status(
        besluit,
        expected=besluit.status,
        refused=HandhavingRefused("De stand van dit besluit is intussen gewijzigd. Open de pagina opnieuw."),
        status=BesluitStatus.DEFINITIEF,
        decided_on=day,
        bezwaar_deadline=rules.bezwaar_deadline(day, policy.bezwaar_weeks),
        measure=measure,
        **changes,
    )
    move_status(zaak, expected=zaak.status, refused=HandhavingRefused(CHANGED), status=ZaakStatus.BESLOTEN)
    return besluit


def besluit_take(
    *,
    user,
    zaak: Handhavingszaak,
    kind: str,
    verwijtbaarheid: str,
    motivation: str,
    dringende_redenen: bool = False,
    dringende_redenen_note: str = "",
    category: str = "",
    tegenprestatie_months: int | None = None,
    hours_per_week: int | None = None,
    submission_key=None,
    today: date | None = None,
) -> Besluit:
    """Decide a zaak the client was heard in. The percentage and months (maatregel) and the
    amount (boete) follow from the verordening; the decision is final at once, or waits
    'ter goedkeuring' where the preset asks for four eyes."""
    perms.check(user, perms.HANDHAVING_DECIDE, zaak.client, purpose=PURPOSE)
    zaak = Handhavingszaak.objects.select_related("client").get(pk=zaak.pk)
    if submission_key:
        existing = Besluit.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing  # the same form submitted twice
    step = "besluiten"
    if not zaak.hearings.exists():
        raise _refuse(user, zaak, step=step, message=NOT_HEARD)
    if zaak.status != ZaakStatus.GEHOORD:
        raise _refuse(
            user,
            zaak,
            step=step,
            message=f"Deze zaak staat op '{zaak.get_status_display()}': er kan nu geen besluit bij.",
        )
    errors = {}
    if kind not in MeasureKind.values:
        errors["kind"] = "Kies het soort besluit."
    if verwijtbaarheid not in Verwijtbaarheid.values:
        errors["verwijtbaarheid"] = "Leg vast in welke mate de gedraging verwijtbaar is."
    motivation = (motivation or "").strip()
    if not 10 <= len(motivation) <= 4000:
        errors["motivation"] = (
            "Motiveer het besluit (10 tot 4000 tekens): de feiten, wat de klant zei en de afweging."
        )
    note = (dringende_redenen_note or "").strip()
    if dringende_redenen and len(note) < 5:
        errors["dringende_redenen_note"] = "Beschrijf de dringende redenen."
    if hours_per_week is not None and kind == MeasureKind.TEGENPRESTATIE:
        policy_hours = selectors.handhaving_policy().tegenprestatie_max_hours
        if not 1 <= hours_per_week <= policy_hours:
            errors["hours_per_week"] = f"Een tegenprestatie is 1 tot {policy_hours} uur per week."
    if errors:
        raise ValidationError(errors)
    policy = selectors.handhaving_policy()
    day = today or timezone.localdate()
    offence, earlier = 1, 0
    if kind == MeasureKind.MAATREGEL and policy.category(category) is not None:
        offence = rules.offence_number(
            selectors.earlier_maatregel_dates(zaak.client_id, category=category, before_zaak=zaak.pk),
            on=zaak.signal_date,
            months=policy.recidive_months,
        )
    if zaak.obligation == rules.INLICHTINGEN:
        earlier = selectors.earlier_waarschuwing_or_boete(
            zaak.client_id, on=zaak.signal_date, months=policy.waarschuwing_lookback_months, until=day
        )
    outcome = rules.decide(
        policy,
        kind=kind,
        obligation=zaak.obligation,
        verwijtbaarheid=verwijtbaarheid,
        dringende_redenen=dringende_redenen,
        category=category,
        offence=offence,
        benadeling=zaak.benadelingsbedrag,
        earlier_in_lookback=earlier,
        tegenprestatie_months=tegenprestatie_months,
    )
    if outcome.refusal:
        raise _refuse(user, zaak, step=step, message=outcome.refusal)
    four_eyes = rules.needs_four_eyes(policy, kind)
    cat = policy.category(category) if kind == MeasureKind.MAATREGEL else None

    def create(key):
        besluit = Besluit.objects.create(
            zaak=zaak,
            kind=kind,
            legal_ground=outcome.legal_ground,
            category=cat.code if cat else "",
            category_name=cat.name if cat else "",
            offence=outcome.offence,
            verwijtbaarheid=verwijtbaarheid,
            dringende_redenen=dringende_redenen,
            dringende_redenen_note=note if dringende_redenen else "",
            motivation=motivation,
            percentage=outcome.percentage,
            months=outcome.months,
            hours_per_week=hours_per_week if kind == MeasureKind.TEGENPRESTATIE else None,
            benadelingsbedrag=zaak.benadelingsbedrag,
            amount_eur=outcome.amount,
            four_eyes=four_eyes,
            status=BesluitStatus.TER_GOEDKEURING,
            proposed_by=user,
            submission_key=key,
        )
        besluit.zaak = zaak
        if four_eyes:
            move_status(
                zaak,
                expected=ZaakStatus.GEHOORD,
                refused=HandhavingRefused(CHANGED),
                status=ZaakStatus.TER_GOEDKEURING,
            )
        else:
            besluit = _finalise(besluit, day=day, policy=policy)
        logevent.handhaving_decided(user, besluit, what=_what(besluit))
        return besluit

    try:
        besluit, _created = create_once(Besluit, submission_key, create)
    except IntegrityError as error:
        raise _refuse(user, zaak, step=step, message="In deze zaak is al een besluit genomen.") from error
    return besluit


def _load(besluit: Besluit) -> Besluit:
    return Besluit.objects.select_related("zaak", "zaak__client", "proposed_by").get(pk=besluit.pk)


def besluit_approve(*, user, besluit: Besluit, today: date | None = None) -> Besluit:
    """Second pair of eyes: a colleague who did not decide makes the decision final."""
    besluit = _load(besluit)
    zaak = besluit.zaak
    perms.check(user, perms.HANDHAVING_APPROVE, zaak.client, purpose=PURPOSE)
    step = "goedkeuren"
    if besluit.status != BesluitStatus.TER_GOEDKEURING:
        raise _refuse(
            user, zaak, step=step, message="Alleen een besluit ter goedkeuring kan worden goedgekeurd."
        )
    if besluit.proposed_by_id == user.pk:
        raise _refuse(
            user,
            zaak,
            step=step,
            message="U heeft dit besluit zelf genomen. Een collega keurt het goed (vier ogen).",
        )
    policy = selectors.handhaving_policy()
    with transaction.atomic():
        besluit = _finalise(
            besluit,
            day=today or timezone.localdate(),
            policy=policy,
            approved_by=user,
            approved_at=timezone.now(),
        )
        logevent.handhaving_approved(user, besluit)
    return besluit


def besluit_return(*, user, besluit: Besluit, reason: str) -> Besluit:
    """The approver sends a decision back with a reason; the zaak may be decided anew."""
    besluit = _load(besluit)
    zaak = besluit.zaak
    perms.check(user, perms.HANDHAVING_APPROVE, zaak.client, purpose=PURPOSE)
    if besluit.status != BesluitStatus.TER_GOEDKEURING:
        raise _refuse(
            user,
            zaak,
            step="terugsturen",
            message="Alleen een besluit ter goedkeuring kan worden teruggestuurd.",
        )
    if besluit.proposed_by_id == user.pk:
        raise _refuse(
            user,
            zaak,
            step="terugsturen",
            message="U heeft dit besluit zelf genomen; een collega beoordeelt het.",
        )
    reason = _reason(reason, what="terugsturen")
    with transaction.atomic():
        besluit = move_status(
            besluit,
            expected=BesluitStatus.TER_GOEDKEURING,
            refused=HandhavingRefused(
                "De stand van dit besluit is intussen gewijzigd. Open de pagina opnieuw."
            ),
            status=BesluitStatus.AFGEWEZEN,
            rejected_by=user,
            rejection_reason=reason,
        )
        move_status(
            zaak,
            expected=ZaakStatus.TER_GOEDKEURING,
            refused=HandhavingRefused(CHANGED),
            status=ZaakStatus.GEHOORD,
        )
        logevent.handhaving_returned(user, besluit, reason=reason)
    return besluit


def _withdraw(user, besluit: Besluit, *, reason: str) -> Besluit:
    """The decision becomes 'ingetrokken' (kept, with the reason); its measures.csv row goes
    (the Measure's history keeps it), and the zaak is open for a corrected decision."""
    measure = besluit.measure
    besluit = move_status(
        besluit,
        expected=BesluitStatus.DEFINITIEF,
        refused=HandhavingRefused("De stand van dit besluit is intussen gewijzigd. Open de pagina opnieuw."),
        status=BesluitStatus.INGETROKKEN,
        withdrawal_reason=reason,
        withdrawn_by=user,
        withdrawn_at=timezone.now(),
        measure=None,
    )
    if measure is not None:
        measure.delete()
    zaak = besluit.zaak
    move_status(
        zaak, expected=ZaakStatus.BESLOTEN, refused=HandhavingRefused(CHANGED), status=ZaakStatus.GEHOORD
    )
    logevent.handhaving_withdrawn(user, besluit, reason=reason)
    return besluit


def besluit_withdraw(*, user, besluit: Besluit, reason: str) -> Besluit:
    """Withdraw a final decision with a reason (a mistake found, a bezwaar that succeeds).
    Where the preset asks four eyes for this kind, the withdrawal waits for a colleague
    (`besluit_withdraw_confirm`); otherwise it takes effect now. A correction is a
    withdrawal followed by a new decision in the same zaak: the original stays."""
    besluit = _load(besluit)
    zaak = besluit.zaak
    perms.check(user, perms.HANDHAVING_DECIDE, zaak.client, purpose=PURPOSE)
    step = "intrekken"
    if besluit.status != BesluitStatus.DEFINITIEF:
        raise _refuse(user, zaak, step=step, message="Alleen een definitief besluit kan worden ingetrokken.")
    if besluit.withdrawal_requested_by_id:
        raise _refuse(user, zaak, step=step, message="De intrekking van dit besluit wacht al op een collega.")
    reason = _reason(reason, what="intrekken")
    with transaction.atomic():
        if besluit.four_eyes or rules.needs_four_eyes(selectors.handhaving_policy(), besluit.kind):
            updated = Besluit.objects.filter(
                pk=besluit.pk, status=BesluitStatus.DEFINITIEF, withdrawal_requested_by__isnull=True
            ).update(withdrawal_requested_by=user, withdrawal_reason=reason)
            if not updated:
                raise HandhavingRefused(
                    "De stand van dit besluit is intussen gewijzigd. Open de pagina opnieuw."
                )
            besluit.withdrawal_requested_by, besluit.withdrawal_reason = user, reason
            logevent.handhaving_withdrawal_requested(user, besluit, reason=reason)
            return besluit
        besluit.withdrawal_requested_by = user
        Besluit.objects.filter(pk=besluit.pk).update(withdrawal_requested_by=user)
        return _withdraw(user, besluit, reason=reason)


def besluit_withdraw_confirm(*, user, besluit: Besluit) -> Besluit:
    """Second pair of eyes on a withdrawal: a colleague who did not ask for it confirms."""
    besluit = _load(besluit)
    zaak = besluit.zaak
    perms.check(user, perms.HANDHAVING_APPROVE, zaak.client, purpose=PURPOSE)
    step = "intrekking bevestigen"
    if besluit.status != BesluitStatus.DEFINITIEF or not besluit.withdrawal_requested_by_id:
        raise _refuse(user, zaak, step=step, message="Er wacht geen intrekking van dit besluit.")
    if besluit.withdrawal_requested_by_id == user.pk:
        raise _refuse(
            user,
            zaak,
            step=step,
            message="U heeft de intrekking zelf voorgesteld. Een collega bevestigt haar (vier ogen).",
        )
    with transaction.atomic():
        return _withdraw(user, besluit, reason=besluit.withdrawal_reason)


def besluit_withdraw_refuse(*, user, besluit: Besluit, reason: str) -> Besluit:
    """The colleague does not confirm a withdrawal (with a reason): the decision stays final
    as it was, the request is cleared (the audit log keeps who asked, why and who refused),
    and a new withdrawal may be asked for."""
    besluit = _load(besluit)
    zaak = besluit.zaak
    perms.check(user, perms.HANDHAVING_APPROVE, zaak.client, purpose=PURPOSE)
    step = "intrekking weigeren"
    if besluit.status != BesluitStatus.DEFINITIEF or not besluit.withdrawal_requested_by_id:
        raise _refuse(user, zaak, step=step, message="Er wacht geen intrekking van dit besluit.")
    if besluit.withdrawal_requested_by_id == user.pk:
        raise _refuse(
            user,
            zaak,
            step=step,
            message="U heeft de intrekking zelf voorgesteld. Een collega beoordeelt haar (vier ogen).",
        )
    reason = _reason(reason, what="weigeren")
    asked_by, asked_reason = besluit.withdrawal_requested_by, besluit.withdrawal_reason
    with transaction.atomic():
        updated = Besluit.objects.filter(
            pk=besluit.pk,
            status=BesluitStatus.DEFINITIEF,
            withdrawal_requested_by=asked_by,
            withdrawal_reason=asked_reason,
        ).update(withdrawal_requested_by=None, withdrawal_reason="")
        if not updated:
            raise HandhavingRefused("De stand van dit besluit is intussen gewijzigd. Open de pagina opnieuw.")
        besluit.withdrawal_requested_by, besluit.withdrawal_reason = None, ""
        logevent.handhaving_withdrawal_refused(
            user, besluit, asked_by=asked_by, asked_reason=asked_reason, reason=reason
        )
    return besluit


def zaak_close(*, user, zaak: Handhavingszaak, reason: str) -> Handhavingszaak:
    """No decision follows (no blame, dringende redenen, the signal was wrong): closed with
    a reason, kept."""
    perms.check(user, perms.HANDHAVING_DECIDE, zaak.client, purpose=PURPOSE)
    if zaak.status not in (ZaakStatus.HOREN, ZaakStatus.GEHOORD):
        raise _refuse(
            user, zaak, step="afzien", message="Alleen van een zaak zonder besluit kan worden afgezien."
        )
    reason = _reason(reason, what="afzien")
    with transaction.atomic():
        zaak = move_status(
            zaak,
            expected=zaak.status,
            refused=HandhavingRefused(CHANGED),
            status=ZaakStatus.AFGEZIEN,
            closed_reason=reason,
        )
        logevent.handhaving_closed(user, zaak, reason=reason)
    return zaak
