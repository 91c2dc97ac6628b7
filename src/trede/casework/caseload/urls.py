"""URLs of the caseload screens (included by casework/urls.py under /werk/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("caseloadverdeling/", views.caseload_balance, name="caseload_balance"),
    path("uitvoering/", views.execution, name="execution"),
]
