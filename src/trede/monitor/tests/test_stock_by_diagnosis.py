"""The dashboard's stock by category and client group: the latest diagnosis that has one,
as the contract reads the ladder step; the same clients as `stock_figures`; the drill-down
lists exactly the clients of a cell."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from trede.benefits.models import Benefit
from trede.casework.models import Diagnosis
from trede.clients.models import Client
from trede.monitor.constants import CATEGORIES, CLIENT_GROUPS
from trede.monitor.selectors import stock_by_diagnosis, stock_client_ids, stock_figures

from . import oracle
from .test_properties import BASE, day_offsets, histories

VALUES = {"category": ["", "1A", "2B", "3B"], "client_group": ["", "zorg", "direct_werk"]}


@st.composite
def with_diagnoses(draw):
    clients, benefits, _ = draw(histories())
    diagnoses = []
    for client_id in clients:
        for _ in range(draw(st.integers(0, 3))):
            diagnoses.append(
                {
                    "diagnosis_id": f"D{len(diagnoses)}",
                    "client_id": client_id,
                    "date": BASE + timedelta(days=draw(st.integers(0, 3 * 366))),
                    "category": draw(st.sampled_from(VALUES["category"])),
                    "client_group": draw(st.sampled_from(VALUES["client_group"])),
                }
            )
    return clients, benefits, diagnoses


def _latest(diagnoses, client_id, column, day):
    found = [d for d in diagnoses if d["client_id"] == client_id and d[column] and d["date"] <= day]
    if not found:
        return "onbekend"
    best = max(found, key=lambda d: (d["date"], len(d["diagnosis_id"]), d["diagnosis_id"]))
    return best[column]


class ByDiagnosisAgreesWithTheOracle(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(with_diagnoses(), day_offsets, st.sampled_from([("pw",), ("pw", "ioaw", "bbz")]))
    def test_latest_diagnosis_with_a_value(self, history, offset, regulations):
        clients, benefits, diagnoses = history
        Client.objects.bulk_create(
            [
                Client(client_id=k, birth_date=v["birth_date"], household=v["household"])
                for k, v in clients.items()
            ]
        )
        Benefit.objects.bulk_create([Benefit(**b) for b in benefits])
        Diagnosis.objects.bulk_create([Diagnosis(**d) for d in diagnoses])
        day = BASE + timedelta(days=offset)
        on_stock = {
            b["client_id"]
            for b in benefits
            if b["regulation"] in regulations and b["start_date"] <= day < (b["end_date"] or oracle.FAR)
        }
        got = stock_by_diagnosis(as_of=day, regulations=regulations)
        for column, key, codes in (
            ("category", "by_category", CATEGORIES),
            ("client_group", "by_client_group", CLIENT_GROUPS),
        ):
            expected = dict.fromkeys(codes, 0)
            for client_id in on_stock:
                expected[_latest(diagnoses, client_id, column, day)] += 1
            assert got[key] == expected
            assert sum(got[key].values()) == stock_figures(as_of=day, regulations=regulations)["total"]
            for code, n in expected.items():
                ids = stock_client_ids(as_of=day, regulations=regulations, dimension=key, band=code)
                assert len(ids) == n
                assert all(_latest(diagnoses, c, column, day) == code for c in ids)
