"""The one age function and the month arithmetic (trede.utils.dates)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trede.utils.dates import add_months, age_on, completed_years, months_between

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(born=days, span=st.integers(0, 40000))
def test_age_is_the_number_of_birthdays_passed(born, span):
    day = born + timedelta(days=span)
    age = age_on(born, day)
    # The birthday of year born.year + age has passed (or is today), the next one has not.
    assert add_months(born, 12 * age) <= day or (born.month, born.day) == (2, 29)
    assert day < add_months(born, 12 * (age + 1)) or (born.month, born.day) == (2, 29)
    assert age == completed_years(born, day)


def test_leap_day_birthdays_complete_on_the_first_of_march():
    assert age_on(date(2004, 2, 29), date(2023, 2, 28)) == 18
    assert age_on(date(2004, 2, 29), date(2023, 3, 1)) == 19
    assert age_on(date(2004, 2, 29), date(2024, 2, 29)) == 20


def test_unknown_birth_date_has_no_age():
    assert age_on(None, date(2024, 1, 1)) is None


@given(start=days, months=st.integers(0, 600))
def test_adding_months_then_counting_them_gives_them_back(start, months):
    end = add_months(start, months)
    # A shorter month clips the day, so at most one month is lost in the count.
    assert months_between(start, end) in (months, months - 1)
    if start.day <= 28:
        assert months_between(start, end) == months
