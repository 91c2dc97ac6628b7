"""The employer relationship: contact persons, agreements with their progress and the
contact history. Who may write (the owning accountmanager only), refusals in Dutch that
change nothing, one record per opened form, stale edits refused, corrections with a
reason that keep the earlier version, audit rows, the page and the download."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.casework.tests.factories_plans import ClientOnBenefitFactory, UserFactory
from trede.employers.models import Placement
from trede.employers.relations import selectors, services
from trede.employers.relations.constants import AgreementKind, MomentKind
from trede.employers.relations.models import EmployerAgreement, EmployerContact, EmployerContactMoment
from trede.employers.tests.factories import EmployerFactory
from trede.utils.concurrency import StaleEditError, new_submission_key

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture
def s():
    am = UserFactory(username="am", role=Role.ACCOUNTMANAGER)
    other = UserFactory(username="am2", role=Role.ACCOUNTMANAGER)
    return {
        "am": am,
        "other": other,
        "teamleider": UserFactory(username="tl", role=Role.TEAMLEIDER),
        "consulent": UserFactory(username="cw", role=Role.CONSULENT_WERK),
        "employer": EmployerFactory(employer_id="E1", name="Schoon BV", account_manager=am),
    }


def contact(**kw) -> services.ContactInput:
    return services.ContactInput(
        **({"name": "Petra de Vries", "function": "HR", "email": "p@schoon.nl"} | kw)
    )


def test_a_contact_person_is_made_once_per_opened_form_and_audited(s):
    key = new_submission_key()
    first = services.contact_create(user=s["am"], employer=s["employer"], data=contact(), submission_key=key)
    again = services.contact_create(user=s["am"], employer=s["employer"], data=contact(), submission_key=key)
    assert first.pk == again.pk and EmployerContact.objects.count() == 1
    row = AuditEvent.objects.get(event="employer_relation_saved")
    assert row.object_id == str(first.pk) and row.details["handeling"] == "aangemaakt"
    assert row.client_id == ""  # an employer's staff, not a client


def test_only_the_owning_accountmanager_writes(s):
    for user in (s["other"], s["teamleider"], s["consulent"]):
        with pytest.raises(PermissionDenied):
            services.contact_create(user=user, employer=s["employer"], data=contact())
    assert not EmployerContact.objects.exists()


def test_a_contact_person_needs_a_name_and_a_way_to_reach_them(s):
    with pytest.raises(ValidationError) as refused:
        services.contact_create(user=s["am"], employer=s["employer"], data=contact(name=" ", email=""))
    assert set(refused.value.error_dict) == {"name", "email"}
    assert not EmployerContact.objects.exists()


def test_an_edit_over_a_newer_edit_is_refused_and_the_history_keeps_each_version(s):
    person = services.contact_create(user=s["am"], employer=s["employer"], data=contact())
    token = services.contact_edit_token(person)
    services.contact_update(user=s["am"], contact=person, data=contact(function="Directeur"), token=token)
    with pytest.raises(StaleEditError):
        services.contact_update(user=s["am"], contact=person, data=contact(phone="070-1234567"), token=token)
    person.refresh_from_db()
    assert person.function == "Directeur" and person.phone == ""
    assert [h.function for h in person.history.order_by("history_date")] == ["HR", "Directeur"]


@pytest.mark.parametrize(
    ("kind", "fields", "missing"),
    [
        (AgreementKind.SROI, {}, "sroi_amount"),
        (AgreementKind.BANENAFSPRAAK, {}, "target_jobs"),
        (AgreementKind.PSO, {}, "pso_level"),
        (AgreementKind.SROI, {"sroi_amount": Decimal("5000"), "pso_level": 2}, "pso_level"),
        (AgreementKind.ANDERS, {"end_date": TODAY - timedelta(days=400)}, "end_date"),
    ],
)
def test_an_agreement_must_say_what_it_is_measured_by(s, kind, fields, missing):
    data = services.AgreementInput(kind=kind, start_date=TODAY - timedelta(days=30), **fields)
    with pytest.raises(ValidationError) as refused:
        services.agreement_create(user=s["am"], employer=s["employer"], data=data)
    assert missing in refused.value.error_dict
    assert not EmployerAgreement.objects.exists()


def _placement(employer, start: date, n: int):
    client = ClientOnBenefitFactory()
    return Placement.objects.create(placement_id=f"P{n}", client=client, employer=employer, start_date=start)


def test_a_banenafspraak_counts_the_placements_that_started_within_it(s):
    agreement = services.agreement_create(
        user=s["am"],
        employer=s["employer"],
        data=services.AgreementInput(
            kind=AgreementKind.BANENAFSPRAAK,
            start_date=date(2025, 1, 1),
            end_date=date(2025, 12, 31),
            target_jobs=4,
        ),
    )
    _placement(s["employer"], date(2024, 12, 31), 1)  # before
    _placement(s["employer"], date(2025, 1, 1), 2)  # first day counts
    _placement(s["employer"], date(2025, 12, 31), 3)  # last day counts
    _placement(EmployerFactory(), date(2025, 6, 1), 4)  # another employer
    [progress] = selectors.agreements_of(s["employer"])
    assert progress.agreement == agreement and progress.placements == 2 and progress.share == 0.5


class PlacementWindowProperty(TestCase):
    """The progress rule against a plain count over every placement: a placement counts
    exactly when it starts on or after the start and (with an end) on or before the end."""

    @settings(max_examples=25, deadline=None)
    @given(
        starts=st.lists(st.integers(min_value=0, max_value=60), max_size=8),
        start=st.integers(min_value=0, max_value=60),
        length=st.one_of(st.none(), st.integers(min_value=0, max_value=30)),
    )
    def test_counts_as_a_plain_filter_would(self, starts, start, length):
        employer = EmployerFactory()
        origin = date(2025, 1, 1)
        for n, offset in enumerate(starts):
            _placement(employer, origin + timedelta(days=offset), f"{employer.pk}-{n}")
        begin = origin + timedelta(days=start)
        end = None if length is None else begin + timedelta(days=length)
        expected = sum(
            1
            for offset in starts
            if origin + timedelta(days=offset) >= begin
            and (end is None or origin + timedelta(days=offset) <= end)
        )
        assert selectors.placements_within(employer, begin, end) == expected


def moment(**kw) -> services.MomentInput:
    return services.MomentInput(
        **({"date": TODAY, "kind": MomentKind.BEZOEK, "subject": "Kennismaking"} | kw)
    )


def test_a_contact_is_corrected_with_a_reason_and_the_original_kept(s):
    recorded = services.moment_create(user=s["am"], employer=s["employer"], data=moment(), today=TODAY)
    token = services.moment_edit_token(recorded)
    with pytest.raises(ValidationError) as refused:
        services.moment_correct(
            user=s["am"],
            moment=recorded,
            data=moment(subject="Evaluatie"),
            token=token,
            reason="",
            today=TODAY,
        )
    assert "reason" in refused.value.error_dict
    services.moment_correct(
        user=s["am"],
        moment=recorded,
        data=moment(subject="Evaluatie plaatsingen"),
        token=token,
        reason="Verkeerd onderwerp gekozen",
        today=TODAY,
    )
    recorded.refresh_from_db()
    assert (
        recorded.subject == "Evaluatie plaatsingen"
        and recorded.correction_reason == "Verkeerd onderwerp gekozen"
    )
    assert [h.subject for h in recorded.history.order_by("history_date")] == [
        "Kennismaking",
        "Evaluatie plaatsingen",
    ]
    row = AuditEvent.objects.filter(event="employer_relation_saved").latest("pk")
    assert row.details["handeling"] == "gecorrigeerd" and "Verkeerd onderwerp" in row.details["reden"]


def test_a_contact_in_the_future_or_with_another_employers_person_is_refused(s):
    elsewhere = services.contact_create(
        user=s["other"], employer=EmployerFactory(account_manager=s["other"]), data=contact()
    )
    with pytest.raises(ValidationError) as refused:
        services.moment_create(
            user=s["am"],
            employer=s["employer"],
            data=moment(date=TODAY + timedelta(days=1), contact=elsewhere),
            today=TODAY,
        )
    assert set(refused.value.error_dict) == {"date", "contact"}
    assert not EmployerContactMoment.objects.exists()


# --------------------------------------------------------------------------- pages


def test_the_owner_records_a_contact_on_the_page_and_a_double_submit_makes_one(client, s):
    client.force_login(s["am"])
    url = reverse("employers:relation_moment_new", args=["E1"])
    form = client.get(url)
    assert form.status_code == 200
    key = form.context["form"].initial["submission_key"]
    data = {
        "date": "01-06-2026",
        "kind": "telefoon",
        "subject": "Vacatures voor de zomer",
        "submission_key": key,
    }
    for _ in range(2):
        assert client.post(url, data).status_code == 302
    assert EmployerContactMoment.objects.count() == 1
    page = client.get(reverse("employers:employer", args=["E1"]))
    assert "Vacatures voor de zomer" in page.content.decode()
    assert 'href="/werkgevers/E1/contact-nieuw/"' in page.content.decode()


def test_bad_input_on_the_page_says_what_is_wrong_and_saves_nothing(client, s):
    client.force_login(s["am"])
    response = client.post(
        reverse("employers:relation_agreement_new", args=["E1"]),
        {"kind": "sroi", "start_date": "01-01-2026", "submission_key": new_submission_key()},
    )
    assert response.status_code == 400
    assert "Een SROI-verplichting heeft een bedrag" in response.content.decode()
    assert not EmployerAgreement.objects.exists()


def test_others_read_the_relation_but_get_no_forms(client, s):
    services.moment_create(user=s["am"], employer=s["employer"], data=moment(), today=TODAY)
    client.force_login(s["teamleider"])
    page = client.get(reverse("employers:employer", args=["E1"])).content.decode()
    assert "Kennismaking" in page and "contact-nieuw" not in page
    assert client.get(reverse("employers:relation_moment_new", args=["E1"])).status_code == 403
    client.force_login(s["other"])
    assert client.get(reverse("employers:relation_contact_new", args=["E1"])).status_code in (403, 404)


def test_the_contact_history_downloads_and_the_download_is_audited(client, s):
    services.moment_create(
        user=s["am"], employer=s["employer"], data=moment(note="=HYPERLINK()"), today=TODAY
    )
    client.force_login(s["teamleider"])
    response = client.get(reverse("employers:relation_moments_export", args=["E1"]))
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "Kennismaking" in body and "'=HYPERLINK()" in body
    assert AuditEvent.objects.filter(event="export_made", object_id="E1").count() == 1
    xlsx = client.get(reverse("employers:relation_moments_export", args=["E1"]) + "?formaat=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
