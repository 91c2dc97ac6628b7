"""URLs of the casework plans screens (included by casework/urls.py under /werk/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("klanten/<str:client_id>/plan/", views.plan_detail, name="plan_detail"),
    path("klanten/<str:client_id>/plan/nieuw/", views.plan_new, name="plan_new"),
    path("plannen/<int:plan_id>/akkoord/", views.plan_agree, name="plan_agree"),
    path("afspraken/<int:action_id>/gedaan/", views.plan_action_mark_done, name="plan_action_done"),
    path("mijn-plan/", views.my_plan, name="my_plan"),
    path("mijn-plan/<int:plan_id>/akkoord/", views.my_plan_agree, name="my_plan_agree"),
]
