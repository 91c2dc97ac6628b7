from django.urls import path

from . import views

app_name = "handhaving"

urlpatterns = [
    path("", views.handhaving_list, name="list"),
    path("zaak/<int:pk>/", views.handhaving_zaak, name="zaak"),
    path("<str:client_id>/", views.handhaving_client, name="client"),
]
