"""A consultant's main pages on a phone (390 × 844): no sideways page scroll, tables that
scroll inside their card and can be reached by keyboard, and no WCAG 2.1 A/AA violations."""

from django.urls import reverse
from playwright.sync_api import expect

from .axe import axe_violations


def test_consultant_pages_fit_a_phone_and_pass_axe(world, live_server, new_page, login):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "sanne")
    pages = [
        reverse("portal:home"),
        reverse("clients:caseload"),
        reverse("casework:worklist"),
        reverse("casework:intake_list"),
        reverse("clients:file", args=[world.clients["A"].pk]),
    ]
    problems = []
    for path in pages:
        page.goto(live_server.url + path)
        expect(page.locator("main")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            widest = page.evaluate(
                "() => [...document.querySelectorAll('body *')]"
                ".filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.scroll'))"
                ".slice(0, 3).map(e => e.tagName + '.' + e.className + '#' + e.id)"
            )
            problems.append(f"{path}: pagina {width} px breed ({', '.join(widest)})")
        # Every table that is wider than its card scrolls in a focusable, named region.
        for table in page.locator("main table").all():
            wrapper = table.locator("xpath=ancestor::*[@role='region'][1]")
            too_wide = table.evaluate("t => t.scrollWidth > t.parentElement.clientWidth + 1")
            if too_wide and (
                wrapper.count() == 0
                or wrapper.get_attribute("tabindex") != "0"
                or not wrapper.get_attribute("aria-label")
            ):
                problems.append(
                    f"{path}: een brede tabel zonder scrollgebied (role=region, tabindex=0, aria-label)"
                )
        problems += [f"{path}: {v}" for v in axe_violations(page)]
    assert not problems, "\n".join(problems)
