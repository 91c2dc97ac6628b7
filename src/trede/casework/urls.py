from django.urls import include, path

app_name = "casework"

# One URL module per subdomain; names stay in the one `casework:` namespace.
urlpatterns = [
    path("", include("trede.casework.intake.urls")),
    path("", include("trede.casework.plans.urls")),
    path("", include("trede.casework.contacts.urls")),
    path("", include("trede.casework.caseload.urls")),
    path("", include("trede.casework.policy.urls")),
]
