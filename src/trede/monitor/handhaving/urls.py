from django.urls import path

from . import views

app_name = "handhaving_cijfers"

urlpatterns = [path("", views.index, name="index")]
