"""URLs of the casework worklist screens (included by casework/urls.py under /werk/)."""

from django.urls import path

from . import views_worklist

urlpatterns = [
    path("werklijst/", views_worklist.worklist, name="worklist"),
    path("klanten/<str:client_id>/contact/nieuw/", views_worklist.contact_new, name="contact_new"),
    path("caseloadverdeling/", views_worklist.caseload_balance, name="caseload_balance"),
]
