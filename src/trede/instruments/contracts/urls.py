from django.urls import path

from . import views

urlpatterns = [
    path("instrumenten/contracten/nieuw/", views.contract_new, name="contract_new"),
    path("instrumenten/contracten/<int:pk>/", views.contract_detail, name="contract"),
    path("instrumenten/contracten/<int:pk>/wijzigen/", views.contract_edit, name="contract_edit"),
]
