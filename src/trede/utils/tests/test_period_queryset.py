"""Benefit.objects.running_on(day): the one definition of "a benefit running on day X"."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from trede.benefits.models import Benefit
from trede.benefits.tests.factories import BenefitFactory
from trede.clients.tests.factories import ClientFactory
from trede.employers.models import Placement

START = date(2024, 1, 1)


class RunningOnTest(TestCase):
    @settings(max_examples=40, deadline=None)
    @given(length=st.one_of(st.none(), st.integers(0, 60)), offset=st.integers(-10, 80))
    def test_end_date_is_the_first_day_without(self, length, offset):
        end = None if length is None else START + timedelta(days=length)
        benefit = BenefitFactory(start_date=START, end_date=end, end_reason="werk" if end else "")
        day = START + timedelta(days=offset)
        expected = day >= START and (end is None or day < end)
        assert Benefit.objects.running_on(day).filter(pk=benefit.pk).exists() is expected
        annotated = Benefit.objects.with_running(day).get(pk=benefit.pk)
        assert annotated.running is expected
        benefit.delete()


@pytest.mark.django_db
def test_related_managers_have_it_too():
    client = ClientFactory()
    BenefitFactory(client=client, start_date=START)
    assert client.benefits.running_on(START).count() == 1
    assert client.benefits.running_on(START - timedelta(days=1)).count() == 0
    assert Placement.objects.running_on(START).count() == 0
