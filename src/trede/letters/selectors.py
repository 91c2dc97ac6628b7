"""Reads of letters and their templates."""

from __future__ import annotations

from dataclasses import dataclass

from trede.accounts import permissions as perms

from .kinds import KINDS, LetterKind
from .models import Letter, LetterTemplate


@dataclass(frozen=True)
class TemplateRow:
    kind: str
    label: str
    version: int
    stored: LetterTemplate | None
    changed_from_shipped: bool


def template_rows() -> list[TemplateRow]:
    """Every kind with its text in use (stored, or the shipped text not yet stored)."""
    stored = {t.kind: t for t in LetterTemplate.objects.select_related("updated_by")}
    rows = []
    for kind, label in LetterKind.choices:
        template = stored.get(kind)
        spec = KINDS[kind]
        changed = template is not None and (template.subject, template.body) != (spec.subject, spec.body)
        rows.append(TemplateRow(kind, label, template.version if template else 1, template, changed))
    return rows


def template_or_shipped(kind: str) -> LetterTemplate:
    stored = LetterTemplate.objects.filter(kind=kind).select_related("updated_by").first()
    if stored is not None:
        return stored
    spec = KINDS[kind]
    return LetterTemplate(kind=kind, subject=spec.subject, body=spec.body, version=1)


def template_history(template: LetterTemplate) -> list:
    if template.pk is None:
        return []
    return list(template.history.select_related("history_user").order_by("-history_date", "-history_id"))


def readable_kinds(user, client, *, relation=None) -> set[str]:
    """The kinds of letter this user may read for this client."""
    from .services import read_permission

    return {
        kind
        for kind in KINDS
        if kind != LetterKind.BRIEFHOOFD
        and perms.allowed(user, read_permission(kind), client, relation=relation)
    }


def letters_of_client(client, kinds: set[str]) -> list[Letter]:
    """The client's letters of these kinds, newest first, without their PDF bytes."""
    return list(
        Letter.objects.filter(client=client, kind__in=kinds)
        .defer("pdf")
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def letters_of_source(source_type: str, source_id: str) -> list[Letter]:
    return list(
        Letter.objects.filter(source_type=source_type, source_id=str(source_id))
        .defer("pdf")
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def letter_or_none(letter_id) -> Letter | None:
    return Letter.objects.select_related("client").filter(pk=letter_id).first()
