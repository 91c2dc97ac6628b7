"""Single sign-on under /inloggen/gemeente/ (the names mozilla-django-oidc reverses)."""

from django.urls import path

from .views import TredeOIDCAuthenticationRequestView, TredeOIDCCallbackView

urlpatterns = [
    path("", TredeOIDCAuthenticationRequestView.as_view(), name="oidc_authentication_init"),
    path("terug/", TredeOIDCCallbackView.as_view(), name="oidc_authentication_callback"),
]
