from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.budget, name="budget"),
    path("download/", views.budget_export, name="budget_export"),
    path("ruimte/", views.budget_allowance, name="budget_allowance"),
]
