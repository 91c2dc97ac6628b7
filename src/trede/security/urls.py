"""Two-factor pages under Dutch paths, in django-two-factor-auth's own `two_factor`
namespace (its views reverse those names)."""

from django.urls import path

from . import views

app_name = "two_factor"

urlpatterns = [
    path("inloggen/", views.TredeLoginView.as_view(), name="login"),
    path("tweestaps/", views.TredeProfileView.as_view(), name="profile"),
    path("tweestaps/instellen/", views.TredeSetupView.as_view(), name="setup"),
    path("tweestaps/qr/", views.TredeQRGeneratorView.as_view(), name="qr"),
    path("tweestaps/ingesteld/", views.TredeSetupCompleteView.as_view(), name="setup_complete"),
    path("tweestaps/reservecodes/", views.TredeBackupTokensView.as_view(), name="backup_tokens"),
    path("tweestaps/uitzetten/", views.TredeDisableView.as_view(), name="disable"),
]
