from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.export, name="export"),
    path("instrument/<str:code>/", views.instrument, name="instrument"),
    path("klant/<str:client_id>/", views.client_advice, name="client"),
]
