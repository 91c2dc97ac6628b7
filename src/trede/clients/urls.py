"""URLs of the client file screens (mounted at /klanten/)."""

from django.urls import path

from . import views

app_name = "clients"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("mijn-klanten.csv", views.caseload_csv, name="caseload_csv"),
    path("zoeken/", views.search, name="search"),
    path("<str:client_id>/", views.client_file, name="file"),
    path("<str:client_id>/onderdeel/<slug:section>/", views.client_section, name="section"),
    path("<str:client_id>/waarneming/", views.waarneming, name="waarneming"),
]
