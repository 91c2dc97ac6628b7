"""Base classes of the domain endpoints: the records of client files, read within the
relationships and audited as the pages read them.

`ClientRecordViewSet` is a list and a detail of one kind of record (benefits, diagnoses,
contact moments ...), each belonging to one client file section (`section`):
- the permission is that section's read (`permissions.SECTION_READ[section]`): 403 for a
  role without it, audited;
- a list holds only the records of clients in `client_scope(user)` with a relationship that
  qualifies for the section; a detail outside it is 404, whether or not it exists, with a
  DENIED row (`casework.common.object_in_scope`, the pages' own lookup);
- every client whose records a response shows gets one section-read row in its own log
  (`logevent.client_section_read`, written with the request's other reads in one INSERT).
"""

from __future__ import annotations

from rest_framework import viewsets
from rest_framework.response import Response

from trede.accounts import permissions as perms
from trede.accounts.access import client_scope
from trede.audit import events, logevent

# Ids are interchange ids: letters, digits, dots, dashes; anything but a slash.
LOOKUP = "[^/]+"


class ClientRecordViewSet(viewsets.ReadOnlyModelViewSet):
    section: str = ""
    audit_purpose = events.CLIENT_FILE
    lookup_value_regex = LOOKUP
    # How a record names its client (a plan action: "plan__client").
    client_attr = "client"

    @property
    def permission(self) -> perms.Permission:
        return perms.SECTION_READ[self.section]

    def base_queryset(self):
        return self.queryset.all()

    def scoped(self, queryset):
        perm = perms.SECTION_READ[self.section]
        scope = client_scope(self.request.user, relations=perm.relations).values("pk")
        return queryset.filter(**{f"{self.client_attr}__in": scope})

    def get_queryset(self):
        return self.scoped(self.base_queryset())

    def client_id_of(self, record) -> str:
        *path, last = self.client_attr.split("__")
        for part in path:
            record = getattr(record, part)
        return getattr(record, f"{last}_id")

    def audit_shown(self, records) -> None:
        for client_id in dict.fromkeys(self.client_id_of(r) for r in records):
            logevent.client_section_read(
                self.request.user, client_id, self.section, purpose=self.audit_purpose
            )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        self.audit_shown(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        from trede.casework.common import object_in_scope

        record = object_in_scope(
            self.request,
            self.base_queryset(),
            self.kwargs[self.lookup_url_kwarg or self.lookup_field],
            section=self.section,
            purpose=self.audit_purpose,
            client_attr=self.client_attr,
        )
        self.check_record(record)
        return record

    def check_record(self, record) -> None:
        """Further rules on one record (a provider sees only its own trajectories)."""

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        self.audit_shown([record])
        return Response(self.get_serializer(record).data)


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Records that are no one's personal data (providers, instruments, employers): the
    declared permission alone, nothing to audit."""

    lookup_value_regex = LOOKUP
