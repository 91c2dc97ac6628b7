from django.urls import path

from . import views

urlpatterns = [
    path("instrumenten/", views.catalogue, name="catalogue"),
    path("instrumenten/klant/<str:client_id>/", views.catalogue_for_client, name="catalogue_for_client"),
    path("instrumenten/nieuw/", views.instrument_new, name="instrument_new"),
    path("instrumenten/instrument/<str:code>/", views.instrument_detail, name="instrument"),
    path("instrumenten/instrument/<str:code>/wijzigen/", views.instrument_edit, name="instrument_edit"),
]
