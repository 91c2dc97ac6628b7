"""The casework models, re-exported so that Django finds them under the app `casework`.

Each model is defined in its subdomain's package (intake, plans, contacts, caseload, policy).
"""

from .caseload.models import CaseloadTransfer, Consultant
from .contacts.models import Contact
from .intake.models import Application, Diagnosis, Questionnaire, RouteDecision
from .plans.models import Plan, PlanAction
from .policy.models import PolicyPreset

__all__ = [
    "Application",
    "CaseloadTransfer",
    "Consultant",
    "Contact",
    "Diagnosis",
    "Plan",
    "PlanAction",
    "PolicyPreset",
    "Questionnaire",
    "RouteDecision",
]
