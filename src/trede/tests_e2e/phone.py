"""What "usable on a phone" means for a page, checked the same way for every role."""

from playwright.sync_api import expect

from .axe import axe_violations

PHONE = {"width": 390, "height": 844}


def phone_problems(page, url: str, path: str) -> list[str]:
    """Open `url` at 390 px and list what is wrong: sideways page scroll, a wide table
    without a focusable, named scroll region, and WCAG 2.1 A/AA violations."""
    response = page.goto(url)
    expect(page.locator("main")).to_be_visible()
    problems = []
    if response is None or response.status >= 400:
        # A refusal page fits a phone too; the check is about the page the role works in.
        problems.append(f"{path}: status {response.status if response else 'geen antwoord'}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        widest = page.evaluate(
            "() => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.scroll'))"
            ".slice(0, 3).map(e => e.tagName + '.' + e.className + '#' + e.id)"
        )
        problems.append(f"{path}: pagina {width} px breed ({', '.join(widest)})")
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
    return problems
