from datetime import date

import pytest

from trede.retention import selectors
from trede.retention.demo import PREFIX, demo_retention_seed

pytestmark = pytest.mark.django_db


def test_the_demo_has_expired_clients_once():
    today = date(2026, 12, 1)
    assert demo_retention_seed(today=today) == {"klanten": 6}
    expired = selectors.expired_clients(as_of=today).expired
    assert len(expired) == 6 and all(e.client_id.startswith(PREFIX) for e in expired)
    assert demo_retention_seed(today=today) == {}
