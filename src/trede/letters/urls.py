from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("sjablonen/", views.template_list, name="templates"),
    path("sjablonen/<str:kind>/", views.template_edit, name="template_edit"),
    path("klant/<str:client_id>/", views.client_letters, name="client"),
    path("plan/<int:plan_id>/maken/", views.plan_letter_make, name="plan_make"),
    path("handhaving/<str:measure_id>/maken/", views.measure_letter_make, name="measure_make"),
    path("besluit/<int:besluit_id>/maken/", views.besluit_letter_make, name="besluit_make"),
    path("besluit/<int:besluit_id>/intrekking/maken/", views.withdrawal_letter_make, name="withdrawal_make"),
    path("<int:letter_id>/pdf/", views.letter_pdf, name="download"),
]
