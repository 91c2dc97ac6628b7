from django.urls import path

from . import views

app_name = "duurzaam"

urlpatterns = [path("", views.index, name="index")]
