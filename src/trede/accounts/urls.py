"""The access overview (mounted at /toegang/)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.access_overview, name="access_overview"),
    path("toegang.csv", views.access_overview_csv, name="access_overview_csv"),
]
