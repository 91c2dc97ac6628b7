"""The pseudonymised research export (`trede export research DIR`, decisions 81-83).

The checks read the written files with the csv module and recount them with their own
code (no function of `trede.interchange.research` is used to compute an expectation).
"""

from __future__ import annotations

import copy
import csv
import hashlib
import hmac
import io
import json
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from contextlib import redirect_stdout
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.audit.models import AuditEvent
from trede.benefits.models import Measure
from trede.benefits.tests.factories import BenefitFactory
from trede.casework.policy.models import PolicyPreset
from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.tests.factories import ConsultantFactory, ContactFactory, DiagnosisFactory
from trede.casework.tests.factories_intake import UserFactory
from trede.clients.models import Client
from trede.clients.tests.factories import ClientFactory
from trede.employers.models import Employer, Placement
from trede.instruments.tests.factories import InstrumentFactory, ProviderFactory, TrajectoryFactory
from trede.interchange.research import rules
from trede.interchange.research.services import ResearchExportRefused, export_research

pytestmark = pytest.mark.django_db

K = 10  # the default preset's research_export.k
FREE_TEXT = "Klant vertelde over zijn schulden bij de Rabobank"
MEASURE_REASON = "Niet verschenen op afspraak van dinsdag"


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _population(n: int = 60, *, seed_postcodes=("2271", "2272", "2273")) -> list[Client]:
    """Clients with every kind of personal data the factories know, and their records."""
    consultant = ConsultantFactory(name="Marieke Consulentenaam")
    instrument = InstrumentFactory(instrument_code="WEP", name="Werkervaringsplek Groene Zone")
    provider = ProviderFactory(provider_id="A900", name="Re-integratie Bakker en Zonen")
    employer = Employer.objects.create(
        employer_id="WG77", name="Bakkerij De Gouden Korst", sector="G", postcode4="2271"
    )
    clients = []
    for i in range(n):
        client = ClientFactory(
            birth_date=date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
            gender=("man", "vrouw")[i % 2],
            household=("alleenstaand", "gehuwd_samenwonend")[i % 3 == 0],
            postcode4=seed_postcodes[i % len(seed_postcodes)] if i < n - 2 else "9999",
            consultant=consultant,
        )
        start = date(2018, 1, 1) + timedelta(days=7 * i)
        ends = i % 3 != 2
        BenefitFactory(
            client=client,
            start_date=start,
            end_date=start + timedelta(days=300 + 20 * (i % 7)) if ends else None,
            end_reason=("werk" if i % 2 else "verhuizing") if ends else "",
        )
        DiagnosisFactory(client=client, date=start, override_reason=FREE_TEXT, assessed_by="consultant")
        ContactFactory(client=client, date=start + timedelta(days=10), consultant=consultant)
        if i % 2 == 0:
            TrajectoryFactory(
                client=client,
                instrument=instrument,
                provider=provider,
                referral_date=start + timedelta(days=20),
                start_date=start + timedelta(days=40),
            )
        if i % 5 == 0:
            Placement.objects.create(
                placement_id=f"PL{i:04d}",
                client=client,
                employer=employer,
                start_date=start + timedelta(days=200),
            )
            Measure.objects.create(
                measure_id=f"MA{i:04d}", client=client, date=start, kind="waarschuwing", reason=MEASURE_REASON
            )
        clients.append(client)
    # A last record so that the outcome window of the effects table is observed.
    BenefitFactory(
        client=clients[0], start_date=date(2024, 1, 1), end_date=date(2024, 6, 1), end_reason="overig"
    )
    return clients


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))


def test_no_personal_data_in_any_file(tmp_path):
    clients = _population(30)
    out = tmp_path / "onderzoek"
    export_research(out, purpose="Evaluatie werkervaringsplekken", account="tester")
    text = _all_text(out)
    forbidden = {
        FREE_TEXT,
        MEASURE_REASON,
        "Marieke Consulentenaam",
        "Bakkerij De Gouden Korst",
        "Groene Zone",
    }
    forbidden |= {"Bakker en Zonen", "WG77"}
    for c in Client.objects.all():
        forbidden |= {c.bsn, c.birth_date.isoformat(), c.client_id}
        forbidden |= {name for name in (c.given_name, c.family_name) if name}
    for model_ids in (
        [b.benefit_id for c in clients for b in c.benefits.all()],
        [d.diagnosis_id for c in clients for d in c.diagnoses.all()],
        [t.trajectory_id for c in clients for t in c.trajectories.all()],
        [c.consultant_id for c in clients],
    ):
        forbidden |= set(model_ids)
    for value in sorted(forbidden):
        # Whole words for names and ids (a short family name may be part of a Dutch word).
        assert not re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text), value
    # Birth dates in any other spelling: no DD-MM-YYYY or YYYYMMDD of a client either.
    for c in Client.objects.all():
        assert c.birth_date.strftime("%d-%m-%Y") not in text
        assert c.birth_date.strftime("%Y%m%d") not in text
    header = _read(out / "clients.csv")[0].keys()
    assert "birth_date" not in header and "bsn" not in header and "given_name" not in header
    assert "override_reason" not in _read(out / "diagnoses.csv")[0]
    assert not (out / "measures.csv").exists()


def test_pseudonyms_are_keyed_hmac_and_consistent_within_one_export(tmp_path):
    clients = _population(20)
    key = b"k" * 32
    out = tmp_path / "a"
    export_research(out, purpose="test", key=key)

    def expected(kind: str, value: str) -> str:  # the documented scheme, written out again
        return f"{kind}-" + hmac.new(key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()[:16]

    by_pseudonym = {expected("klant", c.client_id): c for c in clients}
    rows = _read(out / "clients.csv")
    assert {r["client_id"] for r in rows} == set(by_pseudonym)
    for r in rows:
        c = by_pseudonym[r["client_id"]]
        assert r["birth_year"] in (
            str(c.birth_date.year),
            _band(c.birth_date.year, 5),
            _band(c.birth_date.year, 10),
        )
        assert r["consultant_id"] == expected("consulent", c.consultant_id)
    benefits_per_client = Counter(r["client_id"] for r in _read(out / "benefits.csv"))
    for pseudonym, c in by_pseudonym.items():
        assert benefits_per_client[pseudonym] == c.benefits.count()
    for name in ("diagnoses.csv", "contacts.csv", "trajectories.csv", "placements.csv", "effects_table.csv"):
        assert {r["client_id"] for r in _read(out / name)} <= set(by_pseudonym), name
    trajectories = _read(out / "trajectories.csv")
    assert {r["trajectory_id"] for r in trajectories} == {
        expected("traject", t.trajectory_id) for c in clients for t in c.trajectories.all()
    }


def _band(year: int, width: int) -> str:
    low = year // width * width
    return f"{low}-{low + width - 1}"


def test_pseudonyms_differ_between_two_exports(tmp_path):
    _population(15)
    export_research(tmp_path / "een", purpose="eerste")
    export_research(tmp_path / "twee", purpose="tweede")
    first = {r["client_id"] for r in _read(tmp_path / "een" / "clients.csv")}
    second = {r["client_id"] for r in _read(tmp_path / "twee" / "clients.csv")}
    assert len(first) == len(second) == 15
    assert not first & second
    consultants = {r["consultant_id"] for r in _read(tmp_path / "een" / "clients.csv")}
    assert not consultants & {r["consultant_id"] for r in _read(tmp_path / "twee" / "clients.csv")}


def _recount(rows: list[dict], quasi: list[str], k: int) -> dict[str, tuple[int, int, int, int]]:
    """Independent recount: per combination (classes, smallest, classes below k, records below k)."""
    out = {}
    for size in range(1, len(quasi) + 1):
        for combo in combinations(quasi, size):
            groups: dict[str, list[dict]] = defaultdict(list)
            for r in rows:
                groups["|".join(r[q] for q in combo)].append(r)
            sizes = sorted(len(g) for g in groups.values())
            small = [s for s in sizes if s < k]
            out["+".join(combo)] = (len(sizes), sizes[0] if sizes else 0, len(small), sum(small))
    return out


def test_k_anonymity_report_matches_an_independent_recount(tmp_path):
    _population(60)
    out = tmp_path / "r"
    export_research(out, purpose="k-anonimiteit")
    report = json.loads((out / "k_anonymity.json").read_text(encoding="utf-8"))
    quasi = report["quasi_identifiers"]
    assert quasi == ["birth_year", "gender", "household", "postcode4", "regulation"]
    clients = _read(out / "clients.csv")
    recount = _recount(clients, quasi, K)
    table = _read(out / "k_anonymity.csv")
    assert len(table) == 2 ** len(quasi) - 1
    for row in table:
        assert int(row["k"]) == K and int(row["records"]) == len(clients)
        got = (
            int(row["classes"]),
            int(row["smallest_class"]),
            int(row["classes_below_k"]),
            int(row["records_below_k"]),
        )
        assert got == recount[row["quasi_identifiers"]], row["quasi_identifiers"]
    # The chosen generalisation is the first level of the ladder that meets the target, or
    # the last one; every level tried is recounted from the database, independently.
    tried = report["generalisation"]["tried"]
    assert [(t["birth_band_years"], t["postcode4_published"]) for t in tried][0] == (1, True)
    people = list(Client.objects.values_list("client_id", "birth_date", "gender", "household", "postcode4"))
    regulation = {c: "pw" for c, *_ in people}
    area_count = Counter(p for *_, p in people if p)
    for t in tried:
        width = t["birth_band_years"]
        keys = Counter(
            (
                str(b.year) if width == 1 else _band(b.year, width),
                g,
                h,
                (p if t["postcode4_published"] and area_count[p] >= K else "overig") if p else "",
                regulation[c],
            )
            for c, b, g, h, p in people
        )
        below = sum(n for n in keys.values() if n < K)
        assert t["records_below_k"] == below
        assert t["meets_target"] == (below / len(people) <= report["generalisation"]["max_share_below_k"])
    chosen = [t for t in tried if t["meets_target"]]
    last = chosen[0] if chosen else tried[-1]
    assert (
        report["generalisation"]["birth_band_years"],
        report["generalisation"]["postcode4_published"],
    ) == (
        last["birth_band_years"],
        last["postcode4_published"],
    )
    assert tried[-1] == last  # nothing tried after the chosen level
    readme = (out / "README.txt").read_text(encoding="utf-8")
    for name in (
        "clients.csv",
        "benefits.csv",
        "diagnoses.csv",
        "trajectories.csv",
        "effects_table.csv",
        "k_anonymity.csv",
    ):
        assert name in readme
        for column in _read(out / name)[0]:
            assert f"  {column}: " in readme, (name, column)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from(["", "1011", "1012", "2271", "2272", "3511", "9999"]), min_size=0, max_size=80)
)
def test_published_postcodes_hold_at_least_k_records_in_the_rules(postcodes):
    published = rules.published_postcodes(postcodes, K)
    for p in set(postcodes):
        if p:
            assert (p in published) == (postcodes.count(p) >= K)
        assert rules.shown_postcode(p, published) in ({p} if p in published or not p else {"overig"})


def _use_share(share: float | None) -> None:
    """Activate a preset whose research export accepts `share` below k (None: the default)."""
    PolicyPreset.objects.update(active=False)
    if share is None:
        return
    config = copy.deepcopy(PRESETS[DEFAULT_PRESET]["config"])
    config["research_export"]["max_share_below_k"] = share
    PolicyPreset.objects.update_or_create(
        key="onderzoek-test", defaults={"name": "Onderzoek test", "config": config, "active": True}
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    # Group sizes per postcode4 around k (empty = unknown postcode), and birth years.
    st.lists(st.integers(0, 2 * K), min_size=5, max_size=5),
    st.lists(st.integers(1950, 2004), min_size=1, max_size=20),
    st.sampled_from([None, 1.0]),
)
def test_every_published_postcode4_has_at_least_k_clients(sizes, years, share):
    """Over random populations, through the database: a postcode4 in clients.csv is shared by
    at least k clients of the export; every suppressed one had fewer (or all were dropped).
    With `share` 1.0 (a preset that accepts any share below k) the ladder stops at its first
    step, so postcode4 is published wherever the rule allows."""
    population = [
        (postcode, years[(i * 7 + j) % len(years)])
        for i, (postcode, size) in enumerate(zip(["", "1011", "1012", "2271", "3511"], sizes, strict=True))
        for j in range(size)
    ]
    Client.objects.all().delete()
    _use_share(share)
    for i, (postcode, year) in enumerate(population):
        Client.objects.create(
            client_id=f"H{i:04d}", birth_date=date(year, 3, 1), postcode4=postcode, gender="man"
        )
    folder = Path(tempfile.mkdtemp())
    try:
        export_research(folder / "out", purpose="hypothesis")
        rows = _read(folder / "out" / "clients.csv")
        report = json.loads((folder / "out" / "k_anonymity.json").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(folder)
    shown = Counter(r["postcode4"] for r in rows)
    truth = Counter(p for p, _year in population)
    for value, count in shown.items():
        if value not in ("", "overig"):
            assert count >= K and truth[value] == count
    assert shown[""] == truth[""]
    if share == 1.0:
        assert report["generalisation"]["postcode4_published"]
        assert report["generalisation"]["birth_band_years"] == 1
    if report["generalisation"]["postcode4_published"]:
        assert {v for v in shown if v not in ("", "overig")} == {p for p, n in truth.items() if p and n >= K}
    else:
        assert set(shown) <= {"", "overig"}


def _months_later(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def test_effects_table_runs_on_the_export(tmp_path, capsys):
    _population(80)
    out = tmp_path / "e"
    export_research(out, purpose="effecten")
    table = _read(out / "effects_table.csv")
    assert table and {r["treated"] for r in table} == {"0", "1"}
    # Recount of the landmark design from the benefits and trajectories files of the export.
    benefits = _read(out / "benefits.csv")
    starts = defaultdict(list)
    for t in _read(out / "trajectories.csv"):
        if t["start_date"]:
            starts[t["client_id"]].append(date.fromisoformat(t["start_date"]))
    by_client = {r["client_id"]: r for r in table}
    for b in benefits:
        if b["regulation"] != "pw" or b["client_id"] not in by_client:
            continue
        row = by_client[b["client_id"]]
        start = date.fromisoformat(b["start_date"])
        if str(start.year) != row["spell_start_year"]:
            continue
        landmark = _months_later(start, 6)
        if landmark.isoformat() != row["landmark_date"]:
            continue
        assert row["treated"] == str(int(any(start <= d < landmark for d in starts[b["client_id"]])))
        horizon = _months_later(landmark, 12)
        end = date.fromisoformat(b["end_date"]) if b["end_date"] else None
        assert row["outflow_work"] == str(int(bool(end and b["end_reason"] == "werk" and end < horizon)))
    capsys.readouterr()
    call_command(
        "effects",
        "table",
        "--csv",
        str(out / "effects_table.csv"),
        "--treatment",
        "treated",
        "--outcome",
        "outflow_work",
        "--covariates",
        ",".join(rules.EFFECTS_COVARIATES),
        "--cluster",
        "client_id",
        "--estimand",
        "att",
        "--json",
    )
    result = json.loads(capsys.readouterr().out)
    treated = sum(r["treated"] == "1" for r in table)
    # Trimming for overlap may leave out a few treated rows, never adds any.
    assert 0 < result["n_treated"] <= treated and result["n_control"] == len(table) - treated
    assert result["ci_low"] <= result["estimate"] <= result["ci_high"]


def test_the_export_is_in_the_audit_log_with_its_purpose(tmp_path):
    clients = _population(12)
    privacy = UserFactory(username="pia", role="privacy", first_name="Pia")
    call_command(
        "export", "research", str(tmp_path / "o"), "--purpose", "Onderzoek naar taalstages", "--user", "pia"
    )
    row = AuditEvent.objects.get(event="research_export_made")
    assert row.user == privacy and row.username == "pia" and row.role == "privacy"
    assert row.purpose == "onderzoek" and row.action == "export" and row.client_id == ""
    assert row.details["doel"] == "Onderzoek naar taalstages"
    assert row.details["regels"]["clients.csv"] == 12
    assert row.details["regels"]["benefits.csv"] == sum(c.benefits.count() for c in clients)
    assert "opdrachtregel" in row.details["via"]
    dumped = json.dumps(row.details, ensure_ascii=False)
    for c in clients:
        assert c.client_id not in dumped and c.bsn not in dumped and c.family_name not in dumped
    from trede.audit.rendering import describe

    assert "doel: Onderzoek naar taalstages" in describe(row)


def test_without_user_the_system_account_is_recorded(tmp_path):
    _population(3)
    call_command("export", "research", str(tmp_path / "o"), "--purpose", "x")
    row = AuditEvent.objects.get(event="research_export_made")
    assert row.user is None and "systeemaccount" in row.details["via"]


def test_purpose_is_required_with_a_dutch_usage_error(tmp_path):
    _population(2)
    for extra in ([], ["--purpose", "   "]):
        with pytest.raises(CommandError) as refused:
            call_command("export", "research", str(tmp_path / "o"), *extra)
        assert refused.value.returncode == 2 and "doel" in str(refused.value)
    assert not (tmp_path / "o").exists()
    assert not AuditEvent.objects.filter(event="research_export_made").exists()
    with pytest.raises(ResearchExportRefused):
        export_research(tmp_path / "p", purpose="")


def test_a_user_without_the_right_is_refused_and_audited(tmp_path):
    _population(2)
    UserFactory(username="cons", role="consulent_werk")
    with pytest.raises(CommandError) as refused:
        call_command("export", "research", str(tmp_path / "o"), "--purpose", "x", "--user", "cons")
    assert refused.value.returncode == 1
    assert AuditEvent.objects.filter(action="denied", username="cons").exists()
    assert not AuditEvent.objects.filter(event="research_export_made").exists()
    with pytest.raises(CommandError) as unknown:
        call_command("export", "research", str(tmp_path / "o"), "--purpose", "x", "--user", "niemand")
    assert unknown.value.returncode == 2


def test_a_folder_that_is_not_empty_is_refused(tmp_path):
    _population(2)
    (tmp_path / "vol").mkdir()
    (tmp_path / "vol" / "iets.txt").write_text("x")
    with pytest.raises(CommandError) as refused:
        call_command("export", "research", str(tmp_path / "vol"), "--purpose", "x")
    assert refused.value.returncode == 2


def test_plain_export_is_unchanged_also_into_a_folder_named_research(tmp_path, monkeypatch):
    """`trede export DIR` as the contract reads it, for DIR = research and for another name."""
    _population(4)
    monkeypatch.chdir(tmp_path)
    for name in ("research", "elders"):
        call_command("export", name)
        rows = _read(tmp_path / name / "clients.csv")
        assert len(rows) == 4 and "bsn" in rows[0] and "birth_date" in rows[0]
        assert set(rows[0]) >= {"client_id", "given_name", "family_name"}
        assert (tmp_path / name / "benefits.csv").exists() and not (tmp_path / name / "README.txt").exists()
    assert not AuditEvent.objects.filter(event="research_export_made").exists()
    with pytest.raises(CommandError) as wrong:
        call_command("export", "research", "--purpose", "x")
    assert wrong.value.returncode == 2
    with pytest.raises(CommandError) as wrong:
        call_command("export", "elders", "nog_een")
    assert wrong.value.returncode == 2


def test_json_output_is_one_object(tmp_path):
    _population(3)
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        call_command("export", "research", str(tmp_path / "j"), "--purpose", "x", "--json")
    payload = json.loads(buffer.getvalue())
    assert payload["files"]["clients.csv"] == 3 and payload["k"] == K
