"""URLs of the worklist and contact screens (included by casework/urls.py under /werk/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("werklijst/", views.worklist, name="worklist"),
    path("klanten/<str:client_id>/contact/nieuw/", views.contact_new, name="contact_new"),
]
