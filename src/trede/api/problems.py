"""Every error of the API as a Dutch problem document (RFC 9457, `application/problem+json`),
with `invalidParams` for bad input as the ZGW APIs have it: [{name, code, reason}].

DRF's exceptions, Django's Http404 and PermissionDenied (what `open_client`, `check` and
`object_in_scope` raise, after writing their audit row) and a service's ValidationError all
end here, so a view never builds an error response itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from trede.accounts.permissions import WaarnemingRequired

CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:trede:api:probleem:"

# status -> (type, title)
TITLES = {
    400: ("ongeldige-invoer", "De invoer is ongeldig."),
    401: ("niet-ingelogd", "U bent niet ingelogd."),
    403: ("geen-toegang", "U heeft geen toegang."),
    404: ("niet-gevonden", "Niet gevonden."),
    405: ("methode-niet-toegestaan", "Deze methode is hier niet toegestaan."),
    406: ("niet-aanvaardbaar", "Dit antwoordformaat is niet beschikbaar."),
    409: ("conflict", "Het verzoek botst met wat al is vastgelegd."),
    415: ("mediatype-niet-ondersteund", "Dit formaat van de inhoud wordt niet ondersteund."),
    429: ("te-veel-verzoeken", "Te veel verzoeken."),
}
NOT_FOUND_DETAIL = "Dit bestaat niet of valt buiten uw werk."
NON_FIELD = "nonFieldErrors"


def problem(status_code: int, detail: str, *, instance: str = "", invalid_params=None) -> dict:
    kind, title = TITLES.get(status_code, ("fout", "Er ging iets mis."))
    body = {
        "type": TYPE_PREFIX + kind,
        "title": title,
        "status": status_code,
        "detail": detail,
        "instance": instance,
    }
    if invalid_params is not None:
        body["invalidParams"] = invalid_params
    return body


def _flatten(errors, prefix: str = "") -> list[dict]:
    """DRF's nested error structure as a flat list of {name, code, reason}."""
    rows: list[dict] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = NON_FIELD if key in ("non_field_errors", "__all__") and not prefix else str(key)
            rows.extend(_flatten(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(errors, list):
        if all(isinstance(e, (str, exceptions.ErrorDetail)) for e in errors):
            for error in errors:
                rows.append(
                    {
                        "name": prefix or NON_FIELD,
                        "code": getattr(error, "code", None) or "invalid",
                        "reason": str(error),
                    }
                )
        else:
            for index, value in enumerate(errors):
                rows.extend(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        rows.append(
            {
                "name": prefix or NON_FIELD,
                "code": getattr(errors, "code", None) or "invalid",
                "reason": str(errors),
            }
        )
    return rows


def django_validation_params(error: DjangoValidationError, *, field_names=()) -> list[dict]:
    """A service's ValidationError as invalidParams (per field where it names one)."""
    if hasattr(error, "error_dict"):
        return [
            {"name": name if name != "__all__" else NON_FIELD, "code": e.code or "invalid", "reason": m}
            for name, errs in error.error_dict.items()
            for e in errs
            for m in e.messages
        ]
    return [
        {"name": NON_FIELD, "code": e.code or "invalid", "reason": m}
        for e in error.error_list
        for m in e.messages
    ]


def _instance(context) -> str:
    request = context.get("request") if context else None
    return request.get_full_path() if request is not None else ""


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: a problem document for every refusal and every bad input."""
    instance = _instance(context)
    headers = {}
    if isinstance(exc, WaarnemingRequired):
        # The pages offer the waarneming form here; an API has no form to offer, so a client
        # outside the relationships is 404 for every role (open_client wrote the DENIED row).
        body = problem(
            404,
            "Deze klant bestaat niet of valt buiten uw werk. Voor een klant van een collega "
            "legt u eerst in Trede een waarneming vast, met een reden.",
            instance=instance,
        )
        return Response(body, status=404, content_type=CONTENT_TYPE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or NOT_FOUND_DETAIL)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "U heeft geen recht om dit te doen.")
    elif isinstance(exc, DjangoValidationError):
        body = problem(
            400,
            "De invoer is niet aanvaard.",
            instance=instance,
            invalid_params=django_validation_params(exc),
        )
        return Response(body, status=400, content_type=CONTENT_TYPE)
    if not isinstance(exc, exceptions.APIException):
        return None
    code = exc.status_code
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        code = status.HTTP_401_UNAUTHORIZED
        request = context.get("request")
        authenticators = getattr(request, "authenticators", None) or []
        header = next(
            (a.authenticate_header(request) for a in authenticators if a.authenticate_header(request)), ""
        )
        headers["WWW-Authenticate"] = header or 'Session realm="Trede"'
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            400,
            "Eén of meer parameters zijn ongeldig.",
            instance=instance,
            invalid_params=_flatten(exc.detail if isinstance(exc.detail, (dict, list)) else [exc.detail]),
        )
    elif isinstance(exc, exceptions.ParseError):
        # DRF's message is English and quotes the decoder ("JSON parse error - 'utf-8' codec ...").
        reason = "De inhoud is geen geldige JSON (in UTF-8)."
        body = problem(
            400,
            reason,
            instance=instance,
            invalid_params=[{"name": "body", "code": "parse_error", "reason": reason}],
        )
    else:
        detail = (
            exc.detail if isinstance(exc.detail, str) else "; ".join(str(d) for d in _flatten(exc.detail))
        )
        if code == 404 and str(detail) in ("Niet gevonden.", "Not found."):
            detail = NOT_FOUND_DETAIL
        body = problem(code, str(detail), instance=instance)
        if code == 400:
            # Every 400 names what was wrong, as the schema promises.
            body["invalidParams"] = [{"name": NON_FIELD, "code": exc.default_code, "reason": str(detail)}]
    return Response(body, status=code, headers=headers, content_type=CONTENT_TYPE)


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def problem_response(request, status_code: int, detail: str, *, invalid_params=None) -> JsonResponse:
    """For errors Django answers before a DRF view runs (no matching URL, a NUL byte)."""
    if status_code == 400 and invalid_params is None:
        invalid_params = [{"name": NON_FIELD, "code": "invalid", "reason": detail}]
    return JsonResponse(
        problem(status_code, detail, instance=request.get_full_path(), invalid_params=invalid_params),
        status=status_code,
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def page_not_found(request, exception=None):
    """handler404: a problem document under /api/, the pages' own 404 elsewhere."""
    if is_api(request):
        return problem_response(request, 404, NOT_FOUND_DETAIL)
    from trede.clients.views import page_not_found as page

    return page(request, exception)


def permission_denied(request, exception=None):
    """handler403: a problem document under /api/ (CSRF refusals included)."""
    if is_api(request):
        return problem_response(request, 403, str(exception or "") or "U heeft geen toegang.")
    from trede.clients.views import permission_denied as page

    return page(request, exception)


def bad_request(request, exception=None):
    if is_api(request):
        return problem_response(request, 400, "Het verzoek is ongeldig.")
    from django.views.defaults import bad_request as page

    return page(request, exception)
