from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("cijfers/<slug:table>.csv", views.figures_csv, name="figures_csv"),
]
