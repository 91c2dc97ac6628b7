from django.urls import include, path

from . import views
from .placements import views as placements
from .relations import urls as relation_urls

app_name = "employers"

urlpatterns = [
    path("werkgevers/", views.employer_list, name="list"),
    path("werkgevers/<str:employer_id>/", views.employer_detail, name="employer"),
    path("werkgevers/<str:employer_id>/vacature-nieuw/", views.vacancy_new, name="vacancy_new"),
    path("werkgevers/<str:employer_id>/", include(relation_urls)),
    path("vacatures/klant/<str:client_id>/", views.client_vacancies, name="client_vacancies"),
    path("vacatures/<str:vacancy_id>/", views.vacancy_detail, name="vacancy"),
    path("vacatures/<str:vacancy_id>/wijzigen/", views.vacancy_edit, name="vacancy_edit"),
    path("vacatures/<str:vacancy_id>/kandidaten/", views.vacancy_candidates, name="candidates"),
    path("voordrachten/<int:pk>/", views.voordracht_step, name="voordracht_step"),
    path("voordrachten/<int:pk>/profiel/", views.voordracht_profile, name="voordracht_profile"),
    path("mijn-voordrachten/", views.my_voordrachten, name="my_voordrachten"),
    path("plaatsingen/klant/<str:client_id>/nieuw/", placements.placement_new, name="placement_new"),
    path("plaatsingen/<str:placement_id>/", placements.placement_detail, name="placement"),
    path(
        "plaatsingen/<str:placement_id>/corrigeren/", placements.placement_correct, name="placement_correct"
    ),
    path("plaatsingen/<str:placement_id>/gezien/", placements.placement_signal_seen, name="placement_seen"),
]
