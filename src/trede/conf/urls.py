from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("trede.portal.urls")),
    path("klanten/", include("trede.clients.urls")),
    path("werk/", include("trede.casework.urls")),
    path("audit/", include("trede.audit.urls")),
    path("wat-werkt/", include("trede.evaluations.urls")),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("beheer/", admin.site.urls),
]
