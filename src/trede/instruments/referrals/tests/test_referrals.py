"""Referrals end to end in services, selectors and pages: the consultant refers (once per
submit, only to a provider with a running contract, within the maximum duration), the
provider sees only its own participants and records intake, start or no-show, progress
and the end; the consultant confirms or disputes; the worklist and the contract manager's
signals follow; every step audited, stale edits refused with 409."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from trede.accounts.models import Role
from trede.audit.models import AuditEvent
from trede.audit.rendering import describe
from trede.casework.contacts.selectors import worklist_for
from trede.casework.policy.presets import DEFAULT_PRESET, PRESETS
from trede.casework.tests.factories_plans import ClientOnBenefitFactory, ConsultantUserFactory, UserFactory
from trede.instruments.models import EndReport, ProgressReport, Referral, Trajectory
from trede.instruments.referrals import selectors, services
from trede.instruments.referrals.rules import ReferralSettings
from trede.instruments.tests.factories import ContractFactory, InstrumentFactory, ProviderFactory
from trede.utils.concurrency import StaleEditError, new_submission_key

pytestmark = pytest.mark.django_db
CONFIG = PRESETS[DEFAULT_PRESET]["config"]
SETTINGS = ReferralSettings.of(CONFIG)


@pytest.fixture
def s():
    today = timezone.localdate()
    p = ProviderFactory(provider_id="PR1", name="Werkbedrijf Noord")
    q = ProviderFactory(provider_id="PR2", name="Leerwerk Zuid")
    wep = InstrumentFactory(
        instrument_code="WEPR", name="Werkervaringsplaats", work_criterion=True, max_duration_months=6
    )
    ContractFactory(provider=p, instruments=[wep], start_date=today - timedelta(days=400))
    ContractFactory(provider=q, instruments=[wep], start_date=today - timedelta(days=400))
    consultant = ConsultantUserFactory()
    client = ClientOnBenefitFactory(consultant=consultant, given_name="Fatma", family_name="Yilmaz")
    return {
        "today": today,
        "p": p,
        "q": q,
        "wep": wep,
        "consultant": consultant.user,
        "client": client,
        "staff_p": UserFactory(username="staff_p", role=Role.AANBIEDER, provider=p),
        "staff_q": UserFactory(username="staff_q", role=Role.AANBIEDER, provider=q),
        "colleague": ConsultantUserFactory().user,
        "cm": UserFactory(username="cm", role=Role.CONTRACTMANAGER),
    }


def refer(s, **kw) -> Referral:
    args = {
        "user": s["consultant"],
        "client": s["client"],
        "instrument_code": "WEPR",
        "provider_id": "PR1",
        "goal": "Werkritme opdoen, 20 uur per week.",
        "planned_end_date": s["today"] + timedelta(days=120),
        "note": "Spreekt liever af in de ochtend.",
    }
    return services.referral_create(**(args | kw))


def token(referral) -> str:
    return services.referral_edit_token(Referral.objects.get(pk=referral.pk))


def events(name: str):
    return AuditEvent.objects.filter(event=name)


# --------------------------------------------------------------------------- referring


def test_a_referral_is_a_new_trajectory_referred_today_once_per_submit(s):
    key = new_submission_key()
    first = refer(s, submission_key=key)
    again = refer(s, submission_key=key)
    assert first.pk == again.pk and Referral.objects.count() == Trajectory.objects.count() == 1
    trajectory = first.trajectory
    assert (trajectory.client_id, trajectory.instrument_id, trajectory.provider_id) == (
        s["client"].pk,
        "WEPR",
        "PR1",
    )
    assert trajectory.referral_date == s["today"] and trajectory.start_date is None
    assert trajectory.pk.startswith("VW")
    row = events("referral_created").get()
    assert row.client_id == s["client"].pk and row.details["traject"] == trajectory.pk
    # The goal and the note are not copied into the log.
    assert "ochtend" not in str(row.details)


def test_referral_needs_a_running_contract_and_a_planned_end_within_the_maximum(s):
    other = InstrumentFactory(instrument_code="TAAL")
    with pytest.raises(ValidationError, match="geen lopend contract"):
        refer(s, instrument_code="TAAL")
    assert other.pk == "TAAL"
    with pytest.raises(ValidationError, match="ten hoogste 6 maanden"):
        refer(s, planned_end_date=s["today"] + timedelta(days=200))
    with pytest.raises(ValidationError, match="na vandaag"):
        refer(s, planned_end_date=s["today"])
    with pytest.raises(ValidationError, match="doel"):
        refer(s, goal="  ")
    assert not Trajectory.objects.exists()


def test_an_ended_contract_is_not_running(s):
    s["p"].contracts.update(end_date=s["today"] - timedelta(days=1))
    with pytest.raises(ValidationError, match="geen lopend contract"):
        refer(s)
    assert services.running_contract("PR2", "WEPR", s["today"]) is not None
    assert [o.provider.pk for o in selectors.referral_options(today=s["today"])] == ["PR2"]


def test_only_the_consultant_working_the_file_refers(s):
    with pytest.raises(PermissionDenied):
        refer(s, user=s["colleague"])
    assert events("access_denied").filter(user=s["colleague"]).exists()
    with pytest.raises(PermissionDenied):
        refer(s, user=s["staff_p"])
    assert not Trajectory.objects.exists()


def test_the_referral_page_refers_and_a_double_submit_creates_one(s, client):
    client.force_login(s["consultant"])
    url = reverse("instruments:referral_new", args=[s["client"].pk])
    page = client.get(url)
    assert page.status_code == 200 and "Werkervaringsplaats bij Werkbedrijf Noord" in page.content.decode()
    data = {
        "aanbod": "WEPR|PR1",
        "goal": "Werkritme opdoen.",
        "planned_end_date": (s["today"] + timedelta(days=90)).isoformat(),
        "note": "",
        "submission_key": new_submission_key(),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Referral.objects.count() == 1
    bad = client.post(url, data | {"submission_key": new_submission_key(), "planned_end_date": ""})
    assert bad.status_code == 400 and Referral.objects.count() == 1


def test_a_referral_beyond_the_volume_ceiling_is_refused_and_audited(s, client):
    contract = s["p"].contracts.get()
    contract.volume_ceiling = 2
    contract.save()
    refer(s)  # 1 of 2: 50 %, no warning
    refer(s, submission_key=new_submission_key())  # 2 of 2: exactly at the ceiling is allowed
    with pytest.raises(ValidationError, match="volumeplafond") as refused:
        refer(s, submission_key=new_submission_key())
    assert getattr(refused.value, "status_code", None) == 409
    assert "vraag de contractmanager het plafond" in str(refused.value)
    assert Trajectory.objects.filter(provider=s["p"]).count() == 2
    # The refusal is in the log although the referral's transaction rolled back.
    assert events("ceiling_refused").filter(user=s["consultant"]).count() == 1
    # Another provider with room still takes the client.
    assert refer(s, provider_id="PR2", submission_key=new_submission_key()).trajectory.provider_id == "PR2"
    # The page refuses with the message and a 409, and makes nothing.
    client.force_login(s["consultant"])
    url = reverse("instruments:referral_new", args=[s["client"].pk])
    data = {
        "aanbod": "WEPR|PR1",
        "goal": "Werkritme opdoen.",
        "planned_end_date": (s["today"] + timedelta(days=90)).isoformat(),
        "note": "",
        "submission_key": new_submission_key(),
    }
    page = client.post(url, data)
    assert page.status_code == 409 and "Boven het plafond" in page.content.decode()
    assert Trajectory.objects.filter(provider=s["p"]).count() == 2


def test_a_referral_past_ninety_percent_of_the_ceiling_warns(s, client):
    contract = s["p"].contracts.get()
    contract.volume_ceiling = 10
    contract.save()
    for _ in range(8):
        refer(s, submission_key=new_submission_key())
    client.force_login(s["consultant"])
    url = reverse("instruments:referral_new", args=[s["client"].pk])
    data = {
        "aanbod": "WEPR|PR1",
        "goal": "Werkritme opdoen.",
        "planned_end_date": (s["today"] + timedelta(days=90)).isoformat(),
        "note": "",
        "submission_key": new_submission_key(),
    }
    done = client.post(url, data, follow=True)
    text = done.content.decode()
    assert "zit nu op 90 % van het volumeplafond" in text and "boven de waarschuwingsgrens" in text
    # Below the warning threshold a referral carries no warning.
    assert services.ceiling_warnings(Referral.objects.filter(trajectory__provider_id="PR1").first()) != []
    contract.volume_ceiling = 100
    contract.save()
    assert services.ceiling_warnings(Referral.objects.filter(trajectory__provider_id="PR1").first()) == []


# --------------------------------------------------------------------------- the provider's portal


def test_the_provider_sees_only_its_own_participants(s, client):
    mine = refer(s)
    theirs = refer(s, provider_id="PR2")
    client.force_login(s["staff_p"])
    page = client.get(reverse("instruments:participants"))
    html = page.content.decode()
    assert page.status_code == 200 and mine.trajectory.pk in html and theirs.trajectory.pk not in html
    listed = events("client_listed").filter(user=s["staff_p"])
    assert list(listed.values_list("client_id", flat=True)) == [s["client"].pk]
    assert client.get(reverse("instruments:participant", args=[mine.pk])).status_code == 200
    # Another provider's referral of the same client: 404, audited as refused.
    assert client.get(reverse("instruments:participant", args=[theirs.pk])).status_code == 404
    denied = events("access_denied").filter(user=s["staff_p"]).get()
    assert denied.details["reden"] == "verwijzing naar een andere aanbieder"
    assert client.get(reverse("instruments:participant", args=[99999])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.start_record(user=s["staff_q"], referral=mine, start_date=s["today"], edit_token=token(mine))


def test_the_provider_page_shows_no_file_details_beyond_the_referral(s, client):
    referral = refer(s)
    client.force_login(s["staff_p"])
    html = client.get(reverse("instruments:participant", args=[referral.pk])).content.decode()
    assert "Spreekt liever af in de ochtend." in html and "Fatma Yilmaz" in html
    assert s["client"].bsn not in html if s["client"].bsn else True
    assert events("client_section_read").filter(user=s["staff_p"], section="trajecten").exists()


def test_intake_start_progress_and_end_then_confirmed(s):
    referral = refer(s)
    today = s["today"]
    services.intake_record(
        user=s["staff_p"], referral=referral, intake_date=today, edit_token=token(referral)
    )
    services.start_record(user=s["staff_p"], referral=referral, start_date=today, edit_token=token(referral))
    trajectory = Trajectory.objects.get(pk=referral.trajectory_id)
    assert trajectory.start_date == today
    key = new_submission_key()
    report = services.progress_report(
        user=s["staff_p"],
        referral=referral,
        text="Gaat goed.",
        on_track=True,
        config=CONFIG,
        submission_key=key,
    )
    again = services.progress_report(
        user=s["staff_p"],
        referral=referral,
        text="Gaat goed.",
        on_track=True,
        config=CONFIG,
        submission_key=key,
    )
    assert report.pk == again.pk and (report.number, report.due_date) == (1, today + timedelta(weeks=8))
    second = services.progress_report(
        user=s["staff_p"], referral=referral, text="Nog steeds.", on_track=False, config=CONFIG
    )
    assert second.number == 2
    with pytest.raises(ValidationError, match="geslaagd"):
        services.end_report(
            user=s["staff_p"],
            referral=referral,
            end_date=today,
            result="niet_geslaagd",
            criterion_met=True,
            edit_token=token(referral),
        )
    services.end_report(
        user=s["staff_p"],
        referral=referral,
        end_date=today,
        result="geslaagd",
        criterion_met=True,
        edit_token=token(referral),
    )
    trajectory.refresh_from_db()
    # The end is a fact; the result is final only after the consultant's confirmation.
    assert trajectory.end_date == today and trajectory.result == "lopend"
    state = selectors.referral_state(
        selectors.referral_with_reports(referral.pk), today=today, settings=SETTINGS
    )
    assert state.stage == "beoordelen"
    services.result_confirm(user=s["consultant"], referral=referral, edit_token=token(referral))
    trajectory.refresh_from_db()
    assert trajectory.result == "geslaagd"
    assert EndReport.objects.get().review == "bevestigd"
    for name in (
        "referral_intake_recorded",
        "referral_started",
        "referral_progress_reported",
        "referral_end_reported",
        "referral_result_confirmed",
    ):
        assert events(name).exists(), name
    # The privacy officer reads each step as a sentence naming the trajectory.
    number = trajectory.pk
    assert describe(events("referral_started").get()) == f"Traject {number} gestart op {today:%d-%m-%Y}."
    assert describe(events("referral_end_reported").get()) == (
        f"Einde van traject {number} gemeld: geslaagd op {today:%d-%m-%Y}, succescriterium gehaald."
    )
    assert describe(events("referral_progress_reported").order_by("pk").first()) == (
        f"Voortgangsrapportage 1 van traject {number} vastgelegd (op koers)."
    )
    assert trajectory.history.count() >= 4  # created, started, ended, confirmed


def test_a_disputed_result_stays_and_the_correction_is_confirmed(s):
    referral = refer(s)
    today = s["today"]
    services.start_record(user=s["staff_p"], referral=referral, start_date=today, edit_token=token(referral))
    services.end_report(
        user=s["staff_p"],
        referral=referral,
        end_date=today,
        result="geslaagd",
        criterion_met=True,
        edit_token=token(referral),
    )
    with pytest.raises(ValidationError, match="reden"):
        services.result_dispute(
            user=s["consultant"], referral=referral, reason="nee", edit_token=token(referral)
        )
    services.result_dispute(
        user=s["consultant"],
        referral=referral,
        reason="Geen contract van 20 uur gezien.",
        edit_token=token(referral),
    )
    assert Trajectory.objects.get(pk=referral.trajectory_id).result == "lopend"
    with pytest.raises(ValidationError):
        services.result_confirm(user=s["consultant"], referral=referral, edit_token=token(referral))
    services.end_report(
        user=s["staff_p"],
        referral=referral,
        end_date=today,
        result="niet_geslaagd",
        criterion_met=False,
        note="Contract 12 uur.",
        edit_token=token(referral),
    )
    services.result_confirm(user=s["consultant"], referral=referral, edit_token=token(referral))
    original, corrected = EndReport.objects.order_by("pk")
    assert (original.result, original.review, original.dispute_reason) == (
        "geslaagd",
        "betwist",
        "Geen contract van 20 uur gezien.",
    )
    assert (corrected.corrects_id, corrected.review) == (original.pk, "bevestigd")
    assert Trajectory.objects.get(pk=referral.trajectory_id).result == "niet_geslaagd"
    assert events("referral_result_disputed").get().details["reden"] == "Geen contract van 20 uur gezien"


def test_only_the_consultant_working_the_file_judges_the_result(s):
    referral = refer(s)
    services.start_record(
        user=s["staff_p"], referral=referral, start_date=s["today"], edit_token=token(referral)
    )
    services.end_report(
        user=s["staff_p"],
        referral=referral,
        end_date=s["today"],
        result="geslaagd",
        criterion_met=True,
        edit_token=token(referral),
    )
    for user in (s["colleague"], s["staff_p"], s["cm"]):
        with pytest.raises(PermissionDenied):
            services.result_confirm(user=user, referral=referral, edit_token=token(referral))
    assert Trajectory.objects.get(pk=referral.trajectory_id).result == "lopend"


def test_an_edit_over_a_newer_edit_is_refused_with_409(s, client):
    referral = refer(s)
    stale = token(referral)
    services.intake_record(user=s["staff_p"], referral=referral, intake_date=s["today"], edit_token=stale)
    with pytest.raises(StaleEditError, match="Intakedatum"):
        services.start_record(user=s["staff_p"], referral=referral, start_date=s["today"], edit_token=stale)
    client.force_login(s["staff_p"])
    response = client.post(
        reverse("instruments:participant", args=[referral.pk]),
        {"actie": "start", "start-start_date": s["today"].isoformat(), "start-edit_token": stale},
    )
    assert response.status_code == 409 and "Iemand anders" in response.content.decode()
    assert Trajectory.objects.get(pk=referral.trajectory_id).start_date is None


def test_start_and_no_show_exclude_each_other(s):
    referral = refer(s)
    with pytest.raises(ValidationError, match="toelichting"):
        services.no_show_record(
            user=s["staff_p"], referral=referral, reason="anders", edit_token=token(referral)
        )
    services.no_show_record(
        user=s["staff_p"], referral=referral, reason="niet_verschenen", edit_token=token(referral)
    )
    with pytest.raises(ValidationError, match="niet is gestart"):
        services.start_record(
            user=s["staff_p"], referral=referral, start_date=s["today"], edit_token=token(referral)
        )
    future = refer(s)
    with pytest.raises(ValidationError, match="toekomst"):
        services.start_record(
            user=s["staff_p"],
            referral=future,
            start_date=s["today"] + timedelta(days=1),
            edit_token=token(future),
        )


# --------------------------------------------------------------------------- signals


def test_a_registered_no_show_is_on_the_consultants_worklist_until_handled(s, client):
    referral = refer(s)
    consultant = s["consultant"].consultant
    assert not [i for i in worklist_for(consultant=consultant, today=s["today"]) if i.kind == "no_show"]
    services.no_show_record(
        user=s["staff_p"], referral=referral, reason="niet_bereikbaar", edit_token=token(referral)
    )
    items = [i for i in worklist_for(consultant=consultant, today=s["today"]) if i.kind == "no_show"]
    assert len(items) == 1 and "niet bereikbaar" in items[0].detail and items[0].object_id == str(referral.pk)
    client.force_login(s["consultant"])
    html = client.get(reverse("casework:worklist")).content.decode()
    assert reverse("instruments:referral", args=[referral.pk]) in html
    # Handled by the consultant: off the worklist, also after the old no_show_days rule.
    response = client.post(
        reverse("instruments:referral", args=[referral.pk]),
        {"actie": "no_show_afhandelen", "edit_token": token(referral)},
    )
    assert response.status_code == 302
    later = s["today"] + timedelta(days=60)
    assert not [i for i in worklist_for(consultant=consultant, today=later) if i.kind == "no_show"]
    assert events("referral_no_show_handled").exists()


def test_overdue_reports_and_unreported_results_are_signalled_per_provider(s, client):
    today = s["today"]
    referral = refer(s)
    services.start_record(user=s["staff_p"], referral=referral, start_date=today, edit_token=token(referral))
    trajectory = Trajectory.objects.get(pk=referral.trajectory_id)
    # Seen 130 days on: reports 1 and 2 are overdue; planned end (120 days) not yet + 30.
    later = today + timedelta(days=130)
    rows = selectors.provider_signals(today=later, settings=SETTINGS)
    assert [(r.provider.pk, r.reports, r.results) for r in rows] == [("PR1", 2, 0)]
    assert all(sig.trajectory_id == trajectory.pk for sig in rows[0].signals)
    much_later = today + timedelta(days=160)
    rows = selectors.provider_signals(today=much_later, settings=SETTINGS)
    assert rows[0].results == 1
    # Reported and ended: no signal left.
    for _n in range(2):
        services.progress_report(
            user=s["staff_p"], referral=referral, text="Verslag.", on_track=True, config=CONFIG
        )
    services.end_report(
        user=s["staff_p"],
        referral=referral,
        end_date=today + timedelta(days=1),
        result="voortijdig_gestopt",
        criterion_met=False,
        edit_token=token(referral),
        today=today + timedelta(days=1),
    )
    assert selectors.provider_signals(today=much_later, settings=SETTINGS) == []
    client.force_login(s["cm"])
    assert client.get(reverse("instruments:referral_signals")).status_code == 200
    assert events("referral_signals_read").exists()
    client.force_login(s["staff_p"])
    assert client.get(reverse("instruments:referral_signals")).status_code == 403


def test_the_consultant_reviews_on_the_referral_page(s, client):
    referral = refer(s)
    services.start_record(
        user=s["staff_p"], referral=referral, start_date=s["today"], edit_token=token(referral)
    )
    services.end_report(
        user=s["staff_p"],
        referral=referral,
        end_date=s["today"],
        result="geslaagd",
        criterion_met=True,
        edit_token=token(referral),
    )
    client.force_login(s["consultant"])
    url = reverse("instruments:referral", args=[referral.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Resultaat bevestigen" in page.content.decode()
    refused = client.post(url, {"actie": "betwisten", "reden": "x", "edit_token": token(referral)})
    assert refused.status_code == 400
    done = client.post(url, {"actie": "bevestigen", "edit_token": token(referral)})
    assert done.status_code == 302 and Trajectory.objects.get(pk=referral.trajectory_id).result == "geslaagd"
    client.force_login(s["staff_p"])
    assert client.get(url).status_code == 403
    assert ProgressReport.objects.count() == 0


def test_the_client_file_links_a_trajectory_to_its_referral_page(s, client):
    referral = refer(s)
    client.force_login(s["consultant"])
    html = client.get(reverse("clients:file", args=[s["client"].pk])).content.decode()
    assert reverse("instruments:referral", args=[referral.pk]) in html
    assert reverse("instruments:referral_new", args=[s["client"].pk]) in html
    client.force_login(s["staff_p"])
    html = client.get(reverse("clients:file", args=[s["client"].pk])).content.decode()
    assert reverse("instruments:participant", args=[referral.pk]) in html
