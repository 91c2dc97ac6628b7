"""The pure rules of letters (no Django): the bezwaar deadline and the letter text's
markup. Tested with Hypothesis against references written differently."""

from __future__ import annotations

import html
from datetime import date, timedelta

# Awb art. 6:7: the bezwaartermijn is six weeks. Art. 6:8: it starts the day after the
# decision was made known (the letter sent), so it ends on the same weekday six weeks
# after the letter's date. Law, not policy: not a preset value.
BEZWAAR_WEEKS = 6


def _easter(year: int) -> date:
    """Easter Sunday (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _kings_day(year: int) -> date:
    """27 April, or 26 April when the 27th is a Sunday (Koningsdag)."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def holidays(year: int) -> frozenset[date]:
    """The general holidays of the Algemene termijnenwet (art. 3) in a year that a term can
    end on: Nieuwjaarsdag, tweede Paasdag, Koningsdag, Bevrijdingsdag (5 mei), Hemelvaartsdag,
    tweede Pinksterdag, eerste en tweede Kerstdag (the Sundays among them are Sundays anyway).
    Bevrijdingsdag counts every year here, not only every fifth: the Atw names 5 May itself.
    """
    easter = _easter(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter + timedelta(days=1),
            _kings_day(year),
            date(year, 5, 5),
            easter + timedelta(days=39),
            easter + timedelta(days=50),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def bezwaar_deadline(letter_date: date) -> date:
    """The last day to object to a decision sent on `letter_date` (inclusive).

    Six weeks (Awb 6:7, 6:8); a term ending on a Saturday, Sunday or general holiday runs on
    to the next day that is none of these (Algemene termijnenwet art. 1).
    """
    day = letter_date + timedelta(weeks=BEZWAAR_WEEKS)
    while day.weekday() >= 5 or day in holidays(day.year):
        day += timedelta(days=1)
    return day


def text_to_html(text: str) -> str:
    """The letter text as HTML, with three marks only: a line starting with '# ' is a
    heading, lines starting with '- ' are a list, a blank line ends a paragraph; other
    lines of one paragraph are kept as lines. Everything is escaped: what a template or a
    value says is text, never markup."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush_paragraph():
        if paragraph:
            out.append("<p>" + "<br>".join(html.escape(line) for line in paragraph) + "</p>")
            paragraph.clear()

    def flush_items():
        if items:
            out.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush_paragraph()
            flush_items()
        elif line.startswith("# "):
            flush_paragraph()
            flush_items()
            out.append(f"<h2>{html.escape(line[2:].strip())}</h2>")
        elif line.startswith("- "):
            flush_paragraph()
            items.append(line[2:].strip())
        else:
            flush_items()
            paragraph.append(line)
    flush_paragraph()
    flush_items()
    return "\n".join(out)
