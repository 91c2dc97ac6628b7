"""The self-service questionnaire in a real browser (Debian's Chromium): the consultant makes
the link, the applicant opens it without logging in and sends it (CSRF included), and the
link then refuses a second use. Run with `-m e2e`; needs /usr/bin/chromium.
"""

import pytest

from trede.casework.intake.questionnaire import QUESTIONS, missing_by_domain
from trede.casework.intake.services import questionnaire_send
from trede.casework.tests.factories_intake import ApplicationFactory, consultant_user
from trede.conftest import E2E

pytestmark = E2E


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


def test_applicant_fills_in_the_questionnaire_through_the_link(live_server, transactional_db, chromium):
    from playwright.sync_api import expect

    sanne = consultant_user("sanne")
    application = ApplicationFactory(client__consultant=sanne.consultant, client__family_name="Mulder")
    questionnaire = questionnaire_send(user=sanne, application=application)
    url = f"{live_server.url}/werk/vragenlijst/{questionnaire.token}/"

    context = chromium.new_context(locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(url)
        expect(
            page.get_by_role("heading", name="Vragenlijst voor uw gesprek met de gemeente")
        ).to_be_visible()
        assert "Mulder" not in page.content()
        page.get_by_role("group", name="Wanneer had u voor het laatst betaald werk?").get_by_label(
            "3 tot 5 jaar geleden"
        ).check()
        page.get_by_role("group", name="Heeft u schulden of betalingsachterstanden?").get_by_label(
            "Dat bespreek ik liever in het gesprek"
        ).check()
        page.get_by_label("Welk werk zou u graag doen?").fill("Magazijn")
        page.get_by_role("button", name="Vragenlijst insturen").click()
        # Not yet complete: refused, with what is still open per domain; what was chosen stays.
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("U heeft nog niet alle vragen beantwoord")
        expect(summary).to_contain_text("Opleiding en diploma's")
        expect(summary.get_by_role("link", name="Wat is uw hoogste diploma?")).to_be_visible()
        assert "Wanneer had u voor het laatst betaald werk?" not in summary.inner_text()
        expect(page.get_by_label("3 tot 5 jaar geleden")).to_be_checked()
        for question in QUESTIONS:
            if question.is_text or question.id in ("werk_laatst", "schulden"):
                continue
            page.get_by_role("group", name=question.label, exact=True).get_by_label(
                question.choices[0].label, exact=True
            ).check()
        page.get_by_role("button", name="Vragenlijst insturen").click()
        expect(page.get_by_role("heading", name="Dank u wel!")).to_be_visible()
        page.goto(url)
        expect(page.get_by_text("U heeft deze vragenlijst al ingestuurd.")).to_be_visible()
    finally:
        context.close()

    questionnaire.refresh_from_db()
    assert questionnaire.answers["werk_laatst"] == "3_5j" and questionnaire.answers["schulden"] == "bespreken"
    assert questionnaire.answers["werk_wens"] == "Magazijn"
    assert not missing_by_domain(questionnaire.answers, allow_open=True)
