"""The access overview and the application tokens (mounted at /toegang/)."""

from django.urls import path

from . import views
from .tokens import views as token_views

app_name = "accounts"

urlpatterns = [
    path("", views.access_overview, name="access_overview"),
    path("toegang.csv", views.access_overview_csv, name="access_overview_csv"),
    path("applicaties/", token_views.tokens, name="tokens"),
    path("applicaties/<int:pk>/intrekken/", token_views.token_revoke, name="token_revoke"),
]
