from django.urls import path

from . import views

app_name = "forecast"

urlpatterns = [
    path("", views.index, name="index"),
    path("scenario/nieuw/", views.scenario_new, name="scenario_new"),
    path("scenario/<slug:code>/", views.scenario_edit, name="scenario_edit"),
]
