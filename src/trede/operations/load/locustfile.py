"""The load test's consultants, run by `locust --headless` in its own process.

Never imported by Trede: locust patches the standard library with gevent when it is
imported, which breaks Django and the database drivers in the same process. So this file
uses only the standard library and locust, and learns everything from two files named in
the environment: TREDE_LOAD_SPEC (the consultants the set-up created: username, password,
TOTP key, their own clients) and TREDE_LOAD_RESULTS (one JSON line per request written
here, from which `trede bench load` computes its percentiles exactly).

Each locust user is one consultant with a session of their own: the real two-step login
(password, then the code their authenticator app would show, computed from the device's
key), then in a loop "Mijn klanten", the "Werklijst", the file of a client of their own
caseload and a contact moment with that client through the real form (its CSRF token and
submission key read from the page), as a consultant works through the day.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from datetime import UTC, datetime

from locust import HttpUser, between, events, task

with open(os.environ["TREDE_LOAD_SPEC"], encoding="utf-8") as _spec:
    SPEC = json.load(_spec)
_results = open(os.environ["TREDE_LOAD_RESULTS"], "a", encoding="utf-8")  # noqa: SIM115 (open for the run)
_next_consultant = itertools.count()
WAIT = (
    float(os.environ.get("TREDE_LOAD_WAIT_MIN", "0.5")),
    float(os.environ.get("TREDE_LOAD_WAIT_MAX", "1.5")),
)


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **kwargs):
    _results.write(
        json.dumps(
            {"name": name, "ms": response_time, "ok": exception is None, "error": str(exception or "")[:200]}
        )
        + "\n"
    )


@events.quitting.add_listener
def _close(environment, **kwargs):
    _results.flush()
    _results.close()


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238, as django-otp's TOTPDevice checks it (SHA-1, 30 s, 6 digits, t0 = 0)."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)


def hidden(html: str, name_pattern: str) -> tuple[str, str] | None:
    """(name, value) of the first hidden input whose name matches (either attribute order)."""
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and re.fullmatch(name_pattern, name.group(1)):
            return name.group(1), value.group(1) if value else ""
    return None


class Consultant(HttpUser):
    wait_time = between(*WAIT)

    def on_start(self):
        self.me = SPEC["consultants"][next(_next_consultant) % len(SPEC["consultants"])]
        self.logged_in = self._login()

    def _login(self) -> bool:
        urls = SPEC["urls"]
        page = self.client.get(urls["login"], name="Inloggen (formulier)")
        step = hidden(page.text, r".*current_step")
        csrf = hidden(page.text, "csrfmiddlewaretoken")
        if not (step and csrf):
            return False
        with self.client.post(
            urls["login"],
            data={
                csrf[0]: csrf[1],
                step[0]: "auth",
                "auth-username": self.me["username"],
                "auth-password": self.me["password"],
            },
            name="Inloggen (wachtwoord)",
            catch_response=True,
            allow_redirects=False,
        ) as answer:
            token_step = hidden(answer.text, r".*current_step")
            if answer.status_code != 200 or not token_step or token_step[1] != "token":
                answer.failure(f"geen tweede stap na het wachtwoord (status {answer.status_code})")
                return False
            csrf = hidden(answer.text, "csrfmiddlewaretoken") or csrf
        with self.client.post(
            urls["login"],
            data={csrf[0]: csrf[1], token_step[0]: "token", "token-otp_token": totp(self.me["totp_key"])},
            name="Inloggen (code)",
            catch_response=True,
            allow_redirects=False,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"code niet aanvaard (status {answer.status_code})")
                return False
        return True

    def _page(self, url: str, name: str, must_contain: str):
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as answer:
            if answer.status_code != 200 or must_contain not in answer.text:
                answer.failure(f"status {answer.status_code} of '{must_contain}' ontbreekt")
                return None
            return answer.text

    @task
    def working_day(self):
        if not self.logged_in:
            self.logged_in = self._login()
            if not self.logged_in:
                return
        urls = SPEC["urls"]
        self._page(urls["caseload"], "Mijn klanten", "Mijn klanten")
        self._page(urls["worklist"], "Werklijst", "Werklijst")
        client_id = random.choice(self.me["clients"])
        self._page(urls["file"].replace("CLIENT", client_id), "Klantdossier", client_id)
        form_url = urls["contact_new"].replace("CLIENT", client_id)
        form = self._page(form_url, "Contactmoment (formulier)", "submission_key")
        if form is None:
            return
        csrf = hidden(form, "csrfmiddlewaretoken")
        key = hidden(form, "submission_key")
        with self.client.post(
            form_url,
            data={
                csrf[0]: csrf[1],
                "submission_key": key[1],
                # Today in UTC: never later than today in the Netherlands, so never "in the future".
                "date": datetime.now(UTC).date().isoformat(),
                "kind": "gesprek",
                "outcome": "gehouden",
                "note": "Belastingstest: voortgang besproken, vervolgafspraak gemaakt.",
            },
            headers={"Referer": self.host + form_url},
            name="Contactmoment (opslaan)",
            catch_response=True,
            allow_redirects=False,
        ) as answer:
            if answer.status_code == 302:
                _results.write(json.dumps({"saved": client_id}) + "\n")
            else:
                answer.failure(f"niet opgeslagen (status {answer.status_code})")
