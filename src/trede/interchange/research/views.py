"""The research-export page (privacy officer, beleid): past exports and a new one as ZIP.

The web form writes the same export as `trede export research` into a temporary folder and
sends it as one ZIP file; the folder is removed at once. The export is logged by the
service (`logevent.research_export_made`, via "webpagina").
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trede.accounts import permissions as perms
from trede.accounts.permissions import permission_required

from .selectors import past_exports
from .services import ResearchExportRefused, export_research, research_settings

PURPOSE_MAX = 500


def _page(request, *, purpose: str = "", error: str = "", status: int = 200):
    return render(
        request,
        "interchange/research.html",
        {
            "exports": past_exports(),
            "settings": research_settings(),
            "purpose": purpose,
            "error": error,
            "purpose_max": PURPOSE_MAX,
        },
        status=status,
    )


@login_required
@permission_required(perms.RESEARCH_EXPORT)
@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "GET":
        return _page(request)
    purpose = (request.POST.get("doel") or "").strip()
    if not purpose:
        return _page(request, error="Vul het doel van het onderzoek in.", status=400)
    if len(purpose) > PURPOSE_MAX:
        return _page(
            request, purpose=purpose, error=f"Het doel mag hoogstens {PURPOSE_MAX} tekens zijn.", status=400
        )
    with tempfile.TemporaryDirectory(prefix="trede-onderzoek-") as tmp:
        folder = Path(tmp) / "onderzoeksexport"
        try:
            export_research(folder, purpose=purpose, user=request.user, via="webpagina")
        except ResearchExportRefused as refused:
            return _page(request, purpose=purpose, error=str(refused), status=400)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.iterdir()):
                archive.write(path, arcname=f"onderzoeksexport/{path.name}")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="onderzoeksexport-{stamp}.zip"'
    return response
