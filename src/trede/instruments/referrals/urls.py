from django.urls import path

from . import views

urlpatterns = [
    path("verwijzingen/klant/<str:client_id>/nieuw/", views.referral_new, name="referral_new"),
    path("verwijzingen/<int:pk>/", views.referral_detail, name="referral"),
    # The provider portal (its claims are at aanbieder/declaraties/).
    path("aanbieder/deelnemers/", views.participants, name="participants"),
    path("aanbieder/deelnemers/<int:pk>/", views.participant, name="participant"),
    path("contractmanagement/signalen/", views.referral_signals, name="referral_signals"),
]
