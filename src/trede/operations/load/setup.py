"""The load test's world, made in its own throwaway database (`trede bench _load_setup`).

Consultants with a caseload each, generated as `trede bench_caseload` does (benefits,
diagnoses, contacts, plans, trajectories, measures, placements), with a user of role
consulent_werk, a password and a confirmed TOTP device: the load test logs in as a
consultant does in production, password and code, with two-factor login required. No demo
mode, no backdoor in Trede: the locust users compute the codes from the devices' keys,
which the set-up writes to the spec file beside the passwords (a throwaway database).
"""

from __future__ import annotations

import json
import random
import secrets
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.urls import reverse


def load_world_create(*, consultants: int, clients: int, seed: int, spec_path: Path) -> dict:
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from trede.accounts.models import Role, User
    from trede.casework.models import Consultant, Contact
    from trede.clients.management.commands.bench_caseload import Command as CaseloadBench
    from trede.clients.models import Client

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(seed)
    password = secrets.token_urlsafe(18)
    # One hash for all: hashing is deliberately slow (PBKDF2), and these users live only in
    # this database. Each logs in with it, so every login still costs a real check.
    hashed = make_password(password)
    generator = CaseloadBench()
    people = []
    with transaction.atomic():
        for n in range(consultants):
            username = f"belasting{n + 1:03d}"
            user = User.objects.create(
                username=username, role=Role.CONSULENT_WERK, first_name="Belasting", last_name=f"{n + 1}"
            )
            user.password = hashed
            user.save(update_fields=["password"])
            # "default": the device django-two-factor-auth asks the code of at login.
            device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
            consultant = Consultant.objects.create(
                consultant_id=f"LOAD-{n + 1:03d}",
                name=f"Consulent {n + 1}",
                team=f"Team {n % 5 + 1}",
                user=user,
            )
            generator._clients(consultant, count=clients, prefix=f"L{n + 1:03d}-", rng=rng)
            own = list(Client.objects.filter(consultant=consultant).values_list("client_id", flat=True))
            people.append(
                {"username": username, "password": password, "totp_key": device.key, "clients": own}
            )
    spec = {
        "consultants": people,
        "contacts_before": Contact.objects.count(),
        "contacts_table": Contact._meta.db_table,
        "urls": {
            "login": reverse("login"),
            "caseload": reverse("clients:caseload"),
            "worklist": reverse("casework:worklist"),
            "file": reverse("clients:file", args=["CLIENT"]),
            "contact_new": reverse("casework:contact_new", args=["CLIENT"]),
        },
    }
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    return spec
