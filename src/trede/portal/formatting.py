"""Dutch display of numbers and dates, independent of the browser's language.

Django's localisation follows the Accept-Language header (LocaleMiddleware), so an English
browser would get "1,234" and "December". Trede's screens are Dutch for everyone.
"""

from __future__ import annotations

from datetime import date

from trede.utils.dutch import format_number, format_percent

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_SHORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def dutch_date(day: date) -> str:
    """`31 december 2025`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dutch_month(day: date) -> str:
    """`jan 2025`."""
    return f"{MONTHS_SHORT[day.month - 1]} {day.year}"


def dutch_number(value: int | float) -> str:
    """Thousands separated by a dot: `12.345` (trede.utils.dutch, the one formatter)."""
    return format_number(value)


def dutch_percent(fraction: float | None, decimals: int = 1) -> str:
    """`0.1213` → `12,1%`; `None` → `–` (no average stock to divide by)."""
    return format_percent(fraction, decimals)
