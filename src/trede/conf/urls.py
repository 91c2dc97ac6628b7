from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from trede.security.views import TredeLoginView

urlpatterns = [
    path("", include("trede.portal.urls")),
    path("klanten/", include("trede.clients.urls")),
    path("toegang/", include("trede.accounts.urls")),
    path("werk/", include("trede.casework.urls")),
    path("audit/", include("trede.audit.urls")),
    path("wat-werkt/", include("trede.evaluations.urls")),
    # Catalogue, contracts and claims; prefixes inside (instrumenten/, declaraties/, aanbieder/declaraties/).
    path("", include("trede.instruments.urls")),
    # Employers, vacancies, their candidates and voordrachten; prefixes inside (werkgevers/,
    # vacatures/, voordrachten/, mijn-voordrachten/).
    path("", include("trede.employers.urls")),
    # Matching events (Netwerkcafé, speeddates): participants, the optimal indeling, its pairs.
    path("bijeenkomsten/", include("trede.matchevents.urls")),
    # Budget per line, BUIG and ceilings.
    path("budget/", include("trede.finance.urls")),
    # The quarterly council report (HTML and PDF).
    path("raadsrapportage/", include("trede.monitor.council.urls")),
    # The stock forecast with scenarios and its backtest.
    path("prognose/", include("trede.monitor.forecast.urls")),
    # Peers: benefits per 1,000 inhabitants and outflow to work beside other municipalities.
    path("monitor/vergelijking/", include("trede.monitor.peers.urls")),
    # Chain attribution: outflow to work per chain partner, each outflow counted once.
    path("monitor/ketenpartners/", include("trede.monitor.chain.urls")),
    # Sustained outflow, the draaideur and lasting placements (decision 120).
    path("monitor/duurzaamheid/", include("trede.monitor.duurzaam.urls")),
    path("monitor/handhaving/", include("trede.monitor.handhaving.urls")),
    # The monitor dashboard (stock, flows, targets) and the clients behind its figures.
    path("monitor/", include("trede.monitor.dashboard.urls")),
    # Premiums (werkpremie, uitstroompremie): eligibility, four eyes, payment.
    path("premies/", include("trede.finance.premiums.urls")),
    path("rechtmatigheid/", include("trede.benefits.onderzoek.urls")),
    path("handhaving/", include("trede.benefits.handhaving.urls")),
    # The pseudonymised research export: past exports (from the audit log) and a new one as ZIP.
    path("onderzoeksexport/", include("trede.interchange.research.urls")),
    # Retention periods, what passed them, destruction with four eyes and the destruction log.
    path("bewaartermijnen/", include("trede.retention.urls")),
    # The algorithm register: how the diagnosis, matching and effects engine work, from their declarations.
    path("algoritmeregister/", include("trede.algorithms.urls")),
    # Letters: beschikkingen and the plan van aanpak as PDF, their templates.
    path("brieven/", include("trede.letters.urls")),
    # The REST API (endpoints in each app's api.py) and its OpenAPI schema.
    path("api/v1/", include("trede.api.urls")),
    # One login for everyone, with the lockout and the second step.
    path("inloggen/", TredeLoginView.as_view(), name="login"),
    # Single sign-on with the municipality's account (404 unless configured).
    path("inloggen/gemeente/", include("trede.security.oidc.urls")),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("trede.security.urls")),
    # The admin's own login would bypass the second step: send it to Trede's login.
    path("beheer/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("beheer/", admin.site.urls),
]

# A refused client file offers the waarneming form; an unknown one says "not found" for both.
# Under /api/ the same refusals are problem documents (trede.api.problems).
handler400 = "trede.api.problems.bad_request"
handler403 = "trede.api.problems.permission_denied"
handler404 = "trede.api.problems.page_not_found"
