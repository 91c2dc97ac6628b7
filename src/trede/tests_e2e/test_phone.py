"""Every role's main pages on a phone (390 × 844): no sideways page scroll, tables that
scroll inside their card and can be reached by keyboard, and no WCAG 2.1 A/AA violations."""

import pytest
from django.urls import reverse

from .phone import PHONE, phone_problems


def _pages_of(world) -> dict[str, list[str]]:
    a = world.clients["A"].pk
    contact = world.extra["contact"].pk
    return {
        "sanne": [
            reverse("portal:home"),
            reverse("clients:caseload"),
            reverse("casework:worklist"),
            reverse("casework:intake_list"),
            # The intake page with its answered-per-domain overview of A's questionnaire.
            reverse("casework:intake_detail", args=[world.extra["application"].pk]),
            reverse("clients:file", args=[a]),
            reverse("instruments:catalogue_for_client", args=[a]),
            reverse("instruments:referral_new", args=[a]),
            reverse("instruments:referral", args=[world.extra["referral"].pk]),
            reverse("casework:contact_history", args=[contact]),
            reverse("casework:contact_correct", args=[contact]),
            reverse("casework:contact_withdraw", args=[contact]),
        ],
        "tl_noord": [
            reverse("casework:caseload_balance"),
            reverse("casework:worklist"),
            reverse("casework:contact_withdraw", args=[contact]),
        ],
        "inkomen": [reverse("portal:home"), reverse("clients:file", args=[a])],
        "beleid": [reverse("portal:home"), reverse("evaluations:index"), reverse("finance:budget")],
        "privacy": [
            reverse("audit:index"),
            reverse("audit:client", args=[a]),
            reverse("accounts:access_overview"),
        ],
        "beheerder": [reverse("casework:preset_list")],
        "inwoner_a": [reverse("casework:my_plan")],
        "contractmanager": [
            reverse("instruments:catalogue"),
            reverse("instruments:instrument", args=["WEP"]),
            # The world's WEP trajectories ran in 2023: that year's use-and-result table
            # (offered while 2023 is one of the three previous full years).
            reverse("instruments:instrument", args=["WEP"]) + "?periode=2023",
            reverse("instruments:instrument_edit", args=["WEP"]),
            reverse("instruments:contract", args=[world.extra["contract"].pk]),
            reverse("instruments:contract_edit", args=[world.extra["contract"].pk]),
            reverse("instruments:claims"),
            reverse("instruments:claim", args=[world.extra["claim"].pk]),
            reverse("instruments:provider_money"),
            reverse("finance:budget"),
            reverse("instruments:referral_signals"),
        ],
        "aanbieder_p": [
            reverse("instruments:provider_claims"),
            reverse("instruments:participants"),
            reverse("instruments:participant", args=[world.extra["referral"].pk]),
        ],
    }


@pytest.mark.parametrize(
    "username",
    [
        "sanne",
        "tl_noord",
        "inkomen",
        "beleid",
        "privacy",
        "beheerder",
        "inwoner_a",
        "contractmanager",
        "aanbieder_p",
    ],
)
def test_each_roles_pages_fit_a_phone_and_pass_axe(world, live_server, new_page, login, username):
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, username)
    problems = []
    for path in _pages_of(world)[username]:
        problems += phone_problems(page, live_server.url + path, path)
    assert not problems, "\n".join(problems)
