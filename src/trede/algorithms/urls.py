"""The algorithm register (mounted at /algoritmeregister/)."""

from django.urls import path

from . import views

app_name = "algorithms"

urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.export, name="export"),
]
