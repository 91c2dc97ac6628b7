"""One Dutch number formatter for every screen and every export meant for people.

Django's own localisation follows the browser's Accept-Language (an English browser would
get "1,234.5"), and f-strings with `.replace(".", ",")` drift apart (one forgets the
thousands, another the minus sign). Trede's screens are Dutch for everyone: a dot between
thousands, a decimal comma, a real minus sign (U+2212) on screen. The template filter
`getal` (`{% load trede_dutch %}`) calls the same function.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

MINUS = "\u2212"  # a real minus sign: the hyphen is too short next to digits
EMPTY = "–"  # no value (an en dash, as in the tables)


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(
    value,
    decimals: int | None = 0,
    *,
    sign: bool = False,
    thousands: bool = True,
    minus: str = MINUS,
    empty: str = EMPTY,
) -> str:
    """`12345.678` → `12.345,68` (decimals=2); `None`/NaN → `–`.

    `decimals=None` keeps the digits the value has, without trailing zeros (`24.50` →
    `24,5`). A negative `decimals=-n` works like Django's `floatformat:-n`: n decimals,
    none when the rounded value is whole (`34.0` → `34`, `34.26` → `34,3` for -1).
    `sign` puts a `+` before positive numbers. `minus="-"` gives the ASCII hyphen where a
    program reads the text back.
    """
    number = _decimal(value)
    if number is None:
        return empty
    if decimals is None:
        number = number.normalize()
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
    else:
        number = number.quantize(Decimal(1).scaleb(-abs(decimals)), rounding=ROUND_HALF_EVEN)
        if decimals < 0 and number == number.to_integral_value():
            number = number.quantize(Decimal(1))
    negative = number < 0
    number = abs(number)
    if number == 0:
        negative = False
    text = format(number, ",f" if thousands else "f")
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if negative:
        return minus + text
    if sign and number > 0:
        return "+" + text
    return text


def format_percent(fraction, decimals: int = 1, *, sign: bool = False, empty: str = EMPTY) -> str:
    """`0.1213` → `12,1%`; `None` → `–`."""
    number = _decimal(fraction)
    if number is None:
        return empty
    return format_number(number * 100, decimals, sign=sign) + "%"
