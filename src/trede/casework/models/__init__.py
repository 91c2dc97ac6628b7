from .base import Consultant, Contact, Diagnosis
from .caseload import CaseloadTransfer
from .intake import Application, Questionnaire
from .plans import Plan, PlanAction
from .policy import PolicyPreset, RouteDecision

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
