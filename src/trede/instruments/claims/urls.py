from django.urls import path

from . import views

urlpatterns = [
    # The provider portal's claims (the referral pages of the portal have their own prefix).
    path("aanbieder/declaraties/", views.provider_claims, name="provider_claims"),
    # The municipality's side: four eyes.
    path("declaraties/", views.claims, name="claims"),
    path("declaraties/aanbieders/", views.provider_money, name="provider_money"),
    path("declaraties/<int:pk>/", views.claim_detail, name="claim"),
]
