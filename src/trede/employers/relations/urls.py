from django.urls import path

from . import views

# Included in the employers URL conf (namespace `employers`), under werkgevers/<employer_id>/.
urlpatterns = [
    path("contactpersoon-nieuw/", views.contact_new, name="relation_contact_new"),
    path("contactpersonen/<int:pk>/", views.contact_edit, name="relation_contact_edit"),
    path("afspraak-nieuw/", views.agreement_new, name="relation_agreement_new"),
    path("afspraken/<int:pk>/", views.agreement_edit, name="relation_agreement_edit"),
    path("contact-nieuw/", views.moment_new, name="relation_moment_new"),
    path("contacten/<int:pk>/corrigeren/", views.moment_correct, name="relation_moment_correct"),
    path("contacthistorie/", views.moments_export, name="relation_moments_export"),
]
