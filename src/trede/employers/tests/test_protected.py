"""Gender, birth date, statushouder status, household, names and BSN are not features:
changing them changes neither who is listed nor any score nor any reason (contract)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from trede.clients.models import Client
from trede.employers.matching.selectors import match_assign, match_client, match_vacancy
from trede.employers.models import Vacancy

from .test_match_cli import DAY, make_folder

NAME_CHARS = st.characters(blacklist_categories=("Cs", "Cc"))  # no NUL: PostgreSQL refuses it
VALID_BSNS = ["111222333", "123456782", "999999990", ""]

changes = st.fixed_dictionaries(
    {
        "gender": st.sampled_from(["man", "vrouw", "x", "onbekend", ""]),
        "birth_date": st.dates(date(1940, 1, 1), date(2008, 12, 31)),
        "statushouder": st.sampled_from([True, False, None]),
        "household": st.sampled_from(
            ["alleenstaand", "alleenstaande_ouder", "gehuwd_samenwonend", "overig", ""]
        ),
        "given_name": st.text(NAME_CHARS, max_size=12),
        "family_name": st.text(NAME_CHARS, max_size=12),
        "bsn": st.sampled_from(VALID_BSNS),
    }
)


def _everything() -> dict:
    vacancies = sorted(Vacancy.objects.values_list("pk", flat=True))
    clients = sorted(Client.objects.values_list("pk", flat=True))
    return {
        "vacancies": [match_vacancy(v, DAY, 0) for v in vacancies],
        "clients": [match_client(c, DAY, 0) for c in clients],
        "assign": match_assign(vacancies, DAY),
    }


class TestProtectedAttributes(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = make_folder(
            Path(tempfile.mkdtemp(prefix="trede-protected-")), seed=11, n_clients=30, n_vacancies=6
        )

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(changes, min_size=30, max_size=30))
    def test_changing_protected_attributes_changes_nothing(self, new_values):
        call_command("import", str(self.folder))
        before = _everything()
        assert any(v["candidates"] for v in before["vacancies"])
        for client, values in zip(Client.objects.order_by("pk"), new_values, strict=False):
            for field, value in values.items():
                setattr(client, field, value)
            client.save()
        assert _everything() == before
