from django.urls import path

from . import views

app_name = "chain"

urlpatterns = [path("", views.index, name="index")]
