"""URLs of the policy preset screens (included by casework/urls.py under /werk/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("beleid/", views.preset_list, name="preset_list"),
    path("beleid/<slug:key>/", views.preset_edit, name="preset_edit"),
    path("beleid/<slug:key>/in-gebruik/", views.preset_make_active, name="preset_activate"),
]
