"""Writes of letters: save a template (checked, versioned, audited) and make a letter from
a source (`letter_make`: the PDF stored with the client, once per source state and
template version, audited)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trede.accounts import permissions as perms
from trede.audit import events, logevent
from trede.casework.policy.selectors import active_policy
from trede.portal.formatting import dutch_date
from trede.utils.concurrency import StaleEditError, claim_version, edit_token

from . import rendering, sandbox
from .kinds import KINDS, PLACEHOLDERS, LetterKind
from .models import Letter, LetterTemplate
from .sources import Source, check_source, digest, kind_for_source, values_for

PURPOSE = events.LETTERS
FIELDS = ("subject", "body")
SUBJECT_MAX = 300
BODY_MAX = 20_000
# The token of a template never saved: the form shows the shipped text.
SHIPPED = "meegeleverd"


def make_permission(kind: str) -> perms.Permission:
    if kind == LetterKind.PLAN:
        return perms.LETTER_PLAN_MAKE
    if kind == LetterKind.UITNODIGING_ONDERZOEK:
        return perms.LETTER_ONDERZOEK_MAKE
    return perms.LETTER_BESCHIKKING_MAKE


def read_permission(kind: str) -> perms.Permission:
    if kind == LetterKind.PLAN:
        return perms.LETTER_PLAN_READ
    if kind == LetterKind.UITNODIGING_ONDERZOEK:
        return perms.LETTER_ONDERZOEK_READ
    return perms.LETTER_BESCHIKKING_READ


def template_token(template: LetterTemplate) -> str:
    return edit_token(template, FIELDS) if template.pk else SHIPPED


def _shipped(kind: str) -> LetterTemplate:
    spec = KINDS[kind]
    return LetterTemplate(kind=kind, subject=spec.subject, body=spec.body, version=1)


def template_in_use(kind: str) -> LetterTemplate:
    """The stored template of this kind; the shipped text is stored as version 1 the first
    time a letter needs it (a race of two first uses stores it once)."""
    stored = LetterTemplate.objects.filter(kind=kind).first()
    if stored is not None:
        return stored
    shipped = _shipped(kind)
    try:
        with transaction.atomic():
            shipped.save()
    except IntegrityError:
        return LetterTemplate.objects.get(kind=kind)
    return shipped


def example_values(kind: str, used: set[str]) -> dict:
    return {name: PLACEHOLDERS[name].example for name in used}


def _checked(kind: str, subject: str, body: str) -> tuple[str, str]:
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    errors = {}
    if not subject:
        errors["subject"] = "Vul het onderwerp in."
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = (
            f"Het onderwerp is {len(subject)} tekens; het mogen er hoogstens {SUBJECT_MAX} zijn."
        )
    if not body.strip():
        errors["body"] = "Vul de tekst van de brief in."
    elif len(body) > BODY_MAX:
        errors["body"] = f"De tekst is {len(body)} tekens; het mogen er hoogstens {BODY_MAX} zijn."
    if not errors:
        # Each text on its own first (the message beside the field it is about), then the
        # placeholders the kind requires across both.
        for field, text in (("subject", subject), ("body", body)):
            try:
                sandbox.used_placeholders(kind, text, require=False)
            except sandbox.TemplateRefused as refusal:
                errors[field] = str(refusal)
    if not errors:
        try:
            used = sandbox.used_placeholders(kind, subject, body)
            # A trial with the example values: a template that checks must also render.
            sandbox.render(subject, example_values(kind, used))
            sandbox.render(body, example_values(kind, used))
        except sandbox.TemplateRefused as refusal:
            errors["body"] = str(refusal)
    if errors:
        raise ValidationError(errors)
    return subject, body


def template_save(*, user, kind: str, subject: str, body: str, token: str) -> LetterTemplate:
    """Store a new version of a kind's text: checked (only its own placeholders, the bezwaar
    clause of a beschikking, only {% if %} and {% for %}), refused over a colleague's newer
    version (409), audited; the history keeps every version."""
    perms.check(user, perms.LETTER_TEMPLATES_EDIT, purpose=PURPOSE)
    if kind not in KINDS:
        raise ValidationError("Deze soort brief bestaat niet.")
    subject, body = _checked(kind, subject, body)
    with transaction.atomic():
        stored = LetterTemplate.objects.select_for_update().filter(kind=kind).first()
        if token == SHIPPED:
            if stored is not None and stored.version > 1:
                raise StaleEditError([], what="dit sjabloon")
            current = stored or template_in_use(kind)
            current = claim_version(current, edit_token(current, FIELDS), FIELDS, what="dit sjabloon")
        else:
            if stored is None:
                raise ValidationError("Dit formulier hoort niet bij dit sjabloon. Open het sjabloon opnieuw.")
            current = claim_version(stored, token, FIELDS, what="dit sjabloon")
        changed = [
            str(LetterTemplate._meta.get_field(f).verbose_name)
            for f, new in (("subject", subject), ("body", body))
            if getattr(current, f) != new
        ]
        if not changed:
            raise ValidationError("Er is niets gewijzigd: pas het onderwerp of de tekst aan.")
        current.subject, current.body = subject, body
        current.version += 1
        current.updated_by = user
        current._change_reason = f"versie {current.version}"
        current.save()
        logevent.letter_template_saved(user, current, parts=", ".join(changed))
    return current


def _letterhead(letter_date: date, municipality: str) -> tuple[LetterTemplate, str, str]:
    head = template_in_use(LetterKind.BRIEFHOOFD)
    used = sandbox.used_placeholders(LetterKind.BRIEFHOOFD, head.subject, head.body)
    values = values_for(
        LetterKind.BRIEFHOOFD, None, used, user=None, letter_date=letter_date, municipality=municipality
    )
    return head, sandbox.render(head.subject, values).strip(), sandbox.render(head.body, values)


def _render(kind, template, values, *, head_title, head_text, name, client_number, letter_date, reference):
    subject = " ".join(sandbox.render(template.subject, values).split())
    html = rendering.letter_html(
        letterhead_title=head_title,
        letterhead_text=head_text,
        name=name,
        client_number=client_number,
        letter_date=dutch_date(letter_date),
        reference=reference,
        subject=subject,
        body_text=sandbox.render(template.body, values),
    )
    return subject, rendering.pdf_bytes(html)


def letter_make(*, user, source: Source, today: date | None = None) -> tuple[Letter, bool]:
    """Make the letter about `source` and store its PDF with the client; returns (letter,
    made). The same source, unchanged, with the same template versions on the same day is
    the letter made before (a double submit), not a second one."""
    kind = kind_for_source(source)
    perms.check(user, make_permission(kind), source.client, purpose=PURPOSE)
    check_source(kind, source)
    letter_date = today or timezone.localdate()
    municipality = active_policy().name
    template = template_in_use(kind)
    try:
        used = sandbox.used_placeholders(kind, template.subject, template.body)
        head, head_title, head_text = _letterhead(letter_date, municipality)
    except sandbox.TemplateRefused as refusal:
        raise ValidationError(
            f"Het sjabloon van deze brief klopt niet meer ({refusal}). Vraag de functioneel beheerder het aan te passen."
        ) from refusal
    values = values_for(kind, source, used, user=user, letter_date=letter_date, municipality=municipality)
    key = {
        "kind": kind,
        "source_type": source.type,
        "source_id": source.id,
        "template_version": template.version,
        "letterhead_version": head.version,
        "source_digest": digest(values),
        "letter_date": letter_date,
    }
    existing = Letter.objects.filter(**key).first()
    if existing is not None:
        return existing, False
    subject, pdf = _render(
        kind,
        template,
        values,
        head_title=head_title,
        head_text=head_text,
        name=source.client.name,
        client_number=source.client.client_id,
        letter_date=letter_date,
        reference=source.reference,
    )
    try:
        with transaction.atomic():
            letter = Letter.objects.create(
                **key,
                client=source.client,
                template=template,
                reference=source.reference,
                subject=subject,
                fields_used=sorted(used),
                pdf=pdf,
                size=len(pdf),
                created_by=user,
            )
            logevent.letter_made(user, letter)
    except IntegrityError:
        existing = Letter.objects.filter(**key).first()
        if existing is None:
            raise
        return existing, False
    return letter, True


def letter_preview(*, user, kind: str, subject: str, body: str) -> bytes:
    """A PDF of a text (saved or not) with the example values of its placeholders: no
    client's data, nothing stored."""
    perms.check(user, perms.LETTER_TEMPLATES_EDIT, purpose=PURPOSE)
    subject, body = _checked(kind, subject, body)
    letter_date = timezone.localdate()
    municipality = active_policy().name
    if kind == LetterKind.BRIEFHOOFD:
        used = sandbox.used_placeholders(kind, subject, body)
        values = example_values(kind, used) | {"gemeente": municipality}
        head_title, head_text = sandbox.render(subject, values).strip(), sandbox.render(body, values)
        demo_kind = LetterKind.MAATREGEL
        demo = template_in_use(demo_kind)
        template, used = demo, sandbox.used_placeholders(demo_kind, demo.subject, demo.body)
    else:
        _head, head_title, head_text = _letterhead(letter_date, municipality)
        template = LetterTemplate(kind=kind, subject=subject, body=body)
        used = sandbox.used_placeholders(kind, subject, body)
    values = example_values(template.kind, used)
    _subject, pdf = _render(
        template.kind,
        template,
        values,
        head_title=head_title,
        head_text=head_text,
        name=str(PLACEHOLDERS["naam"].example),
        client_number=str(PLACEHOLDERS["klantnummer"].example),
        letter_date=letter_date,
        reference=str(PLACEHOLDERS["kenmerk"].example),
    )
    return pdf


def letter_download(*, user, letter: Letter) -> bytes:
    """The stored PDF, for a user who may read the letter's source; audited."""
    perms.check(user, read_permission(letter.kind), letter.client, purpose=PURPOSE)
    logevent.letter_downloaded(user, letter)
    return bytes(letter.pdf)
