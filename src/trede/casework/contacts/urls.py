"""URLs of the worklist and contact screens (included by casework/urls.py under /werk/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("werklijst/", views.worklist, name="worklist"),
    path("klanten/<str:client_id>/contact/nieuw/", views.contact_new, name="contact_new"),
    path("contacten/<str:contact_id>/", views.contact_history, name="contact_history"),
    path("contacten/<str:contact_id>/corrigeren/", views.contact_correct, name="contact_correct"),
    path("contacten/<str:contact_id>/intrekken/", views.contact_withdraw, name="contact_withdraw"),
]
