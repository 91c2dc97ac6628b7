"""URLs of the casework plans screens (included by casework/urls.py under /werk/)."""

from django.urls import path

from . import views_plans

urlpatterns = [
    path("klanten/<str:client_id>/plan/", views_plans.plan_detail, name="plan_detail"),
    path("klanten/<str:client_id>/plan/nieuw/", views_plans.plan_new, name="plan_new"),
    path("plannen/<int:plan_id>/akkoord/", views_plans.plan_agree, name="plan_agree"),
    path("afspraken/<int:action_id>/gedaan/", views_plans.plan_action_mark_done, name="plan_action_done"),
    path("mijn-plan/", views_plans.my_plan, name="my_plan"),
    path("mijn-plan/<int:plan_id>/akkoord/", views_plans.my_plan_agree, name="my_plan_agree"),
    path("beleid/", views_plans.preset_list, name="preset_list"),
    path("beleid/<slug:key>/", views_plans.preset_edit, name="preset_edit"),
    path("beleid/<slug:key>/in-gebruik/", views_plans.preset_make_active, name="preset_activate"),
]
