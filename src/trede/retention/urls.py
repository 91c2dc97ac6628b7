from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.index, name="index"),
    path("termijnen/", views.periods, name="periods"),
    path("vernietigingen/", views.log, name="log"),
    path("vernietigingen/<int:run_id>/", views.run_detail, name="run"),
]
