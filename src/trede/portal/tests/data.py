"""A small hand-made municipality with known figures (see the comments)."""

from datetime import date

from trede.benefits.tests.factories import BenefitFactory
from trede.casework.tests.factories import DiagnosisFactory
from trede.clients.tests.factories import ClientFactory

AS_OF = date(2024, 6, 30)


def small_municipality():
    """Stock (pw) on 2024-06-30: 3 clients; with ioaw: 4.

    age bands: <=20: 1 (c5), 21-30: 1 (c1), >=61: 1 (c2)
    duration bands: <1: 1 (c5), 1-3: 1 (c1), >=5: 1 (c2)
    households: alleenstaand 2, gehuwd_samenwonend 1; ladder: 3 for c1, others onbekend
    flows 2024 (pw): inflow 2 (c3, c5), outflow 1 (c3, werk)
    """
    c1 = ClientFactory(client_id="K1", birth_date=date(1999, 1, 1))
    BenefitFactory(benefit_id="B1", client=c1, start_date=date(2023, 1, 1))
    DiagnosisFactory(client=c1, date=date(2023, 2, 1), ladder_step=3)
    c2 = ClientFactory(client_id="K2", birth_date=date(1960, 1, 1), household="gehuwd_samenwonend")
    BenefitFactory(benefit_id="B2", client=c2, start_date=date(2018, 1, 1))
    c3 = ClientFactory(client_id="K3", birth_date=date(1980, 6, 15))
    BenefitFactory(
        benefit_id="B3", client=c3, start_date=date(2024, 3, 1), end_date=date(2024, 5, 1), end_reason="werk"
    )
    c4 = ClientFactory(client_id="K4", birth_date=date(1990, 1, 1))
    BenefitFactory(benefit_id="B4", client=c4, start_date=date(2022, 1, 1), regulation="ioaw")
    c5 = ClientFactory(client_id="K5", birth_date=date(2005, 1, 1))
    BenefitFactory(benefit_id="B5", client=c5, start_date=date(2024, 1, 1))
    return [c1, c2, c3, c4, c5]
