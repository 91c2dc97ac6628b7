"""URLs of the privacy officer's audit screens (mounted at /audit/)."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.index, name="index"),
    path("klant/<str:client_id>/", views.client_log, name="client"),
    path("klant/<str:client_id>/export.csv", views.client_log_csv, name="client_csv"),
]
