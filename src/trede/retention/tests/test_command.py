"""`trede retention list --json` against an independent reference: plain SQL over the
tables the population fills, the anniversary counted with `calendar` (not the rules
module); and propose / approve / log from the command line with four eyes."""

from __future__ import annotations

import calendar
import json
import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from trede.accounts.models import Role
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories import ContactFactory
from trede.clients.tests.factories import ClientFactory
from trede.instruments.tests.factories import TrajectoryFactory

from .world import staff

pytestmark = pytest.mark.django_db

AS_OF = "2026-06-30"


def population(seed: int = 7, n: int = 40):
    rng = random.Random(seed)

    def day(lo=2000, hi=2026):
        return date(rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28)) + timedelta(
            days=rng.choice([0, 1])
        )

    for i in range(n):
        client = ClientFactory(client_id=f"R{i:03d}")
        for b in range(rng.randint(0, 3)):
            start = day(2000, 2020)
            end = None if rng.random() < 0.15 else start + timedelta(days=rng.randint(30, 2000))
            BenefitFactory(
                benefit_id=f"R{i:03d}-{b}",
                client=client,
                start_date=start,
                end_date=end,
                end_reason="werk" if end else "",
            )
        if rng.random() < 0.4:
            ContactFactory(client=client, date=day(2005, 2026))
        if rng.random() < 0.3:
            referral = day(2004, 2020)
            ended = None if rng.random() < 0.2 else referral + timedelta(days=200)
            TrajectoryFactory(
                client=client,
                referral_date=referral,
                start_date=referral,
                end_date=ended,
                result="geslaagd" if ended else "",
            )
    # One client exactly on the anniversary and one a day short.
    BenefitFactory(
        benefit_id="X1",
        client=ClientFactory(client_id="XGRENS"),
        start_date=date(2010, 1, 1),
        end_date=date(2016, 6, 30),
        end_reason="werk",
    )
    BenefitFactory(
        benefit_id="X2",
        client=ClientFactory(client_id="XNET"),
        start_date=date(2010, 1, 1),
        end_date=date(2016, 7, 1),
        end_reason="werk",
    )


def reference(as_of: date, years: int) -> list[dict]:
    """Plain SQL: the latest date per client over the filled tables; open when an end is empty."""
    sql = """
        SELECT client_id, MAX(d), MAX(o) FROM (
            SELECT client_id, start_date AS d, 0 AS o FROM benefits_benefit
            UNION ALL SELECT client_id, end_date, CASE WHEN end_date IS NULL THEN 1 ELSE 0 END FROM benefits_benefit
            UNION ALL SELECT client_id, date, 0 FROM casework_contact
            UNION ALL SELECT client_id, referral_date, 0 FROM instruments_trajectory
            UNION ALL SELECT client_id, start_date, 0 FROM instruments_trajectory
            UNION ALL SELECT client_id, end_date, CASE WHEN end_date IS NULL THEN 1 ELSE 0 END FROM instruments_trajectory
            UNION ALL SELECT client_id, planned_end_date, 0 FROM instruments_trajectory
        ) AS facts GROUP BY client_id ORDER BY client_id
    """
    out = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for client_id, last, open_ in cursor.fetchall():
            if open_ or last is None:
                continue
            if isinstance(last, str):
                last = date.fromisoformat(last)
            year = last.year + years
            due = date(year, last.month, min(last.day, calendar.monthrange(year, last.month)[1]))
            if as_of >= due:
                out.append(
                    {"client_id": client_id, "last_activity": last.isoformat(), "due_on": due.isoformat()}
                )
    return out


def test_list_json_matches_the_reference(capsys):
    population()
    call_command("retention", "list", "--as-of", AS_OF, "--json")
    data = json.loads(capsys.readouterr().out)
    clients = data["record_types"]["klantdossier"]
    expected = reference(date.fromisoformat(AS_OF), 10)
    assert clients["items"] == expected
    assert clients["expired"] == len(expected) > 3
    ids = [e["client_id"] for e in expected]
    assert "XGRENS" in ids and "XNET" not in ids
    assert data["record_types"]["auditlog"]["period_years"] == 5


def test_bad_date_is_a_usage_error():
    with pytest.raises(CommandError) as refused:
        call_command("retention", "list", "--as-of", "2026-02-30")
    assert refused.value.returncode == 2


def test_propose_approve_and_log_with_four_eyes(capsys):
    population()
    staff("beheer", Role.BEHEERDER)
    staff("privacy", Role.PRIVACY)
    staff("consulent", Role.CONSULENT_WERK)
    expected = len(reference(date.today(), 10))
    with pytest.raises(CommandError) as refused:
        call_command("retention", "propose", "--user", "consulent")
    assert refused.value.returncode == 1
    call_command("retention", "propose", "--user", "beheer", "--json")
    run = json.loads(capsys.readouterr().out)
    assert run["proposed"] == expected and run["status"] == "voorgesteld"
    with pytest.raises(CommandError, match="zelf voorgesteld") as refused:
        call_command("retention", "approve", str(run["run"]), "--user", "beheer")
    assert refused.value.returncode == 1
    call_command("retention", "approve", str(run["run"]), "--user", "privacy", "--json")
    done = json.loads(capsys.readouterr().out)
    assert done["status"] == "uitgevoerd" and done["destroyed"] == expected
    assert done["rows_per_table"]["clients_client"] == expected
    call_command("retention", "log", "--json")
    log = json.loads(capsys.readouterr().out)
    assert [r["run"] for r in log["runs"]] == [run["run"]]
    text = json.dumps(log)
    assert not any(f'"R{i:03d}"' in text for i in range(40))
    call_command("retention", "list", "--json")
    assert json.loads(capsys.readouterr().out)["record_types"]["klantdossier"]["expired"] == 0
