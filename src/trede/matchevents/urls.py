from django.urls import path

from . import views

app_name = "matchevents"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("nieuw/", views.event_new, name="new"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.event_edit, name="edit"),
    path("<int:pk>/vacatures/", views.event_vacancies, name="vacancies"),
    path("<int:pk>/uitnodigen/", views.event_invite, name="invite"),
    path("<int:pk>/aanmelden/", views.event_sign_up, name="sign_up"),
    path("<int:pk>/indeling/", views.event_indeling, name="indeling"),
    path("<int:pk>/indeling/download/", views.event_export, name="export"),
    path("<int:pk>/afsluiten/", views.event_close, name="close"),
    path("koppels/<int:pair_pk>/", views.pair_decide, name="pair"),
]
