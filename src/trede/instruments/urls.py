from django.urls import include, path

app_name = "instruments"

# One URL module per subdomain; names stay in the one `instruments:` namespace.
urlpatterns = [
    path("", include("trede.instruments.catalogue.urls")),
    path("", include("trede.instruments.contracts.urls")),
    path("", include("trede.instruments.claims.urls")),
    path("", include("trede.instruments.referrals.urls")),
]
