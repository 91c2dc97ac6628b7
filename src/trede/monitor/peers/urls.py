from django.urls import path

from . import views

app_name = "peers"

urlpatterns = [
    path("", views.index, name="index"),
    path("importeren/", views.import_file, name="import"),
]
