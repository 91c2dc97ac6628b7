from django.urls import path

from . import views

app_name = "onderzoek"

urlpatterns = [
    path("", views.onderzoek_list, name="list"),
    path("<str:client_id>/", views.onderzoek_client, name="client"),
]
