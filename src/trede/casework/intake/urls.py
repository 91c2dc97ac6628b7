"""URLs of the intake screens (included by casework/urls.py under /werk/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("intake/", views.intake_list, name="intake_list"),
    path("intake/nieuw/", views.intake_new, name="intake_new"),
    path("intake/<int:pk>/", views.intake_detail, name="intake_detail"),
    path("intake/<int:pk>/link/", views.intake_send, name="intake_send"),
    path("intake/<int:pk>/vragenlijst/", views.intake_questionnaire, name="intake_questionnaire"),
    path("intake/<int:pk>/diagnose/", views.intake_diagnose, name="intake_diagnose"),
    path("klanten/<str:client_id>/melding/nieuw/", views.intake_new, name="intake_new_for_client"),
    path("klanten/<str:client_id>/diagnose/", views.diagnosis_latest, name="diagnosis_latest"),
    path("diagnose/<str:diagnosis_id>/", views.diagnosis_detail, name="diagnosis_detail"),
    path(
        "diagnose/<str:diagnosis_id>/afwijken/",
        views.diagnosis_override_view,
        name="diagnosis_override",
    ),
    path("diagnose/<str:diagnosis_id>/route/", views.route_decide_view, name="route_decide"),
    # Public (no login): the applicant's self-service questionnaire.
    path("vragenlijst/verstuurd/", views.questionnaire_done, name="questionnaire_done"),
    path("vragenlijst/<str:token>/", views.questionnaire_public, name="questionnaire_public"),
]
