"""The access overview: the declaration of permissions as a table a privacy officer can
sign off, generated from `permissions.matrix()` (so it is always what the code enforces)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from trede.utils.export import table_response

from . import permissions as perms
from .models import Role

NOT_PER_CLIENT = "niet per klant"


def _relations_label(perm: perms.Permission) -> str:
    if perm.relations is None:
        return NOT_PER_CLIENT
    if perm.relations == perms.ANY_RELATION:
        label = "elke relatie van de rol met de klant"
    else:
        label = ", ".join(sorted(perm.relations))
    return f"{label}; {perm.author_rule}" if perm.author_rule else label


def _rows():
    roles = list(Role)
    for row in perms.matrix():
        yield {
            "name": row.permission.name,
            "label": row.permission.label,
            "relations": _relations_label(row.permission),
            "writes": row.permission.writes,
            "cells": [row.granted[role.value] for role in roles],
        }


@perms.permission_required(perms.ACCESS_OVERVIEW)
def access_overview(request):
    context = {
        "roles": [str(role.label) for role in Role],
        "rows": list(_rows()),
        "relations": [
            (value, text)
            for value, text in (
                (perms.Relation.EIGEN_CASELOAD, "de klant staat in de eigen caseload"),
                (perms.Relation.EIGEN_TEAM, "de klant hoort bij een consulent van het eigen team"),
                (
                    perms.Relation.TEAM_AANMELDING,
                    "een nieuwe aanmelding in het eigen team, zolang de intake loopt",
                ),
                (perms.Relation.WAARNEMING, "een lopende waarneming, met vastgelegde reden"),
                (
                    perms.Relation.KANDIDAAT,
                    "de klant is voorgesteld, op de shortlist gezet of geplaatst bij een eigen werkgever",
                ),
                (perms.Relation.VERWEZEN, "de klant is verwezen naar de eigen organisatie"),
                (perms.Relation.EIGEN_DOSSIER, "het eigen dossier van de inwoner"),
                (
                    perms.Relation.PRIVACYCONTROLE,
                    "de privacyfunctionaris: elk dossier, alleen basis en auditlog",
                ),
            )
        ],
    }
    return render(request, "accounts/access_overview.html", context)


@perms.permission_required(perms.ACCESS_OVERVIEW)
def access_overview_csv(request):
    """The overview as CSV for Dutch Excel (or XLSX with `?formaat=xlsx`), to sign off."""
    header = [
        "Recht",
        "Omschrijving",
        "Relatie met de klant",
        "Wijzigt gegevens",
        *(str(r.label) for r in Role),
    ]
    rows = (
        [
            row["name"],
            row["label"],
            row["relations"],
            "ja" if row["writes"] else "nee",
            *("ja" if cell else "nee" for cell in row["cells"]),
        ]
        for row in _rows()
    )
    return table_response(
        request,
        filename=f"toegangsoverzicht-{timezone.localdate().isoformat()}",
        header=header,
        rows=rows,
        sheet="Toegang",
    )
