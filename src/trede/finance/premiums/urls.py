from django.urls import path

from . import views

app_name = "premiums"

urlpatterns = [
    path("", views.premium_list, name="list"),
]
