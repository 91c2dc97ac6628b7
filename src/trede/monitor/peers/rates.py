"""The rates of the comparison, pure (no Django): benefits per 1,000 inhabitants and the
outflow-to-work rate, rounded as the published tables are (one decimal, half up)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def per_1000(count: int, population: int) -> Decimal:
    """count / population × 1,000, to one decimal, half up (31.25 → 31.3)."""
    if population <= 0:
        raise ValueError("population must be positive")
    return (Decimal(count) * 1000 / Decimal(population)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def outflow_rate(outflow: int, base: Decimal | int) -> float | None:
    """Outflow to work as a share of the benefits it flows out of (None without a base)."""
    base = Decimal(base)
    if base <= 0:
        return None
    return float(Decimal(outflow) / base)


def benefits_from_rate(rate: Decimal, population: int) -> Decimal:
    """The benefit count a rate per 1,000 stands for (a base for the outflow rate when a
    file gives the inhabitants and the rate but no count)."""
    return Decimal(rate) * population / 1000
