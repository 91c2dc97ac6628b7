"""A tiny DRF API for the authentication tests (the real API lives in trede.api)."""

from django.urls import include, path
from rest_framework import permissions as drf_permissions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from trede.accounts import permissions as perms
from trede.accounts.access import client_scope


class TredePermission(drf_permissions.BasePermission):
    """What the API's permission class does: the role (as for a person), and the token's
    scopes when the request came with a token."""

    def has_permission(self, request, view):
        perm = view.permission
        if not perms.role_may(request.user, perm):
            return False
        return request.auth is None or request.auth.allows(perm)


class Figures(APIView):
    permission = perms.FIGURES_READ
    permission_classes = [TredePermission]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        return Response({"gebruiker": request.user.username, "rol": request.user.role})


class Clients(APIView):
    permission = perms.SECTION_READ["basis"]
    permission_classes = [TredePermission]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        return Response({"klanten": sorted(client_scope(request.user).values_list("client_id", flat=True))})


class Contacts(APIView):
    permission = perms.CONTACT_WRITE
    permission_classes = [TredePermission]
    renderer_classes = [JSONRenderer]

    def post(self, request):
        return Response({"ok": True}, status=201)


urlpatterns = [
    path("test-api/cijfers/", Figures.as_view()),
    path("test-api/klanten/", Clients.as_view()),
    path("test-api/contacten/", Contacts.as_view()),
    path("", include("trede.conf.urls")),
]
