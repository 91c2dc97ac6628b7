"""`trede monitor stock|flows|forecast`: the core figures and the stock forecast (docs/interchange.md);
`trede monitor peers import FILE`: reference figures of other municipalities (decision 78)."""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from trede.interchange.reading import parse_date
from trede.monitor.constants import BASIS, DEFAULT_REGULATIONS
from trede.monitor.selectors import FigureError, flow_figures, stock_figures


def _date(text: str) -> date:
    value = parse_date(text.strip())
    if value is None:
        raise CommandError(f"'{text}' is geen bestaande datum in de vorm JJJJ-MM-DD", returncode=2)
    return value


def _whole(text: str, option: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise CommandError(f"{option} moet een geheel getal zijn, niet '{text}'", returncode=2) from None


def _regulations(text: str | None) -> list[str]:
    if not text:
        return list(DEFAULT_REGULATIONS)
    return [part.strip() for part in text.split(",") if part.strip()]


class Command(BaseCommand):
    # The data commands of the interchange contract skip the system checks: those load the
    # URL configuration and every view, which costs more than the command itself.
    requires_system_checks: list[str] = []
    help = "Stuurinformatie: bestand (stock) op een dag, instroom en uitstroom (flows) per periode."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="figure", required=True)
        stock = sub.add_parser("stock", help="bestand op een dag")
        stock.add_argument("--as-of", required=True, help="peildatum JJJJ-MM-DD")
        stock.add_argument("--regulations", default=None, help="regelingen, bv. pw,ioaw (standaard pw)")
        stock.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")
        flows = sub.add_parser("flows", help="instroom en uitstroom per periode")
        flows.add_argument("--from", dest="date_from", required=True, help="begindatum JJJJ-MM-DD (telt mee)")
        flows.add_argument("--to", dest="date_to", required=True, help="einddatum JJJJ-MM-DD (telt niet mee)")
        flows.add_argument("--period", choices=["month", "quarter", "year"], default="month")
        flows.add_argument("--regulations", default=None, help="regelingen, bv. pw,ioaw (standaard pw)")
        flows.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")
        forecast = sub.add_parser(
            "forecast", help="prognose van het bestand per maand, met 80 %%-interval en backtest"
        )
        forecast.add_argument(
            "--as-of", required=True, help="peildatum JJJJ-MM-DD: alleen wat toen bekend was telt"
        )
        forecast.add_argument(
            "--months", required=True, help="aantal maanden vooruit (vanaf de maand na de peildatum)"
        )
        forecast.add_argument("--scenario", default=BASIS, help="scenario (standaard basis)")
        forecast.add_argument("--regulations", default=None, help="regelingen, bv. pw,ioaw (standaard pw)")
        forecast.add_argument(
            "--json", action="store_true", help="precies één JSON-object op standaarduitvoer"
        )

        peers = sub.add_parser("peers", help="referentiecijfers van andere gemeenten")
        peers_sub = peers.add_subparsers(dest="peers_action", required=True)
        peers_import = peers_sub.add_parser(
            "import", help="een CSV-bestand met cijfers van andere gemeenten inlezen (alles of niets)"
        )
        peers_import.add_argument(
            "file", help="CSV-bestand (kolommen: zie docs/decisions.md, besluit 78, of de importpagina)"
        )
        peers_import.add_argument(
            "--source", default=None, help="bron en omschrijving (standaard: de bestandsnaam)"
        )
        peers_import.add_argument(
            "--json", action="store_true", help="precies één JSON-object op standaarduitvoer"
        )

    def handle(self, *args, figure, **options):
        if figure == "peers":
            return self._peers_import(options)
        regulations = _regulations(options["regulations"])
        try:
            if figure == "stock":
                result = stock_figures(as_of=_date(options["as_of"]), regulations=regulations)
            elif figure == "forecast":
                # Here, not at the top: the forecast needs NumPy, whose import costs more
                # than `monitor stock` itself on a small municipality (issue 13, start-up).
                from trede.monitor.forecast.selectors import stock_forecast

                result = stock_forecast(
                    as_of=_date(options["as_of"]),
                    months=_whole(options["months"], "--months"),
                    scenario=options["scenario"].strip(),
                    regulations=regulations,
                )
            else:
                result = flow_figures(
                    date_from=_date(options["date_from"]),
                    date_to=_date(options["date_to"]),
                    period=options["period"],
                    regulations=regulations,
                )
        except FigureError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["json"]:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            return
        render = {"stock": render_stock, "flows": render_flows, "forecast": render_forecast}[figure]
        sys.stdout.write(render(result))

    def _peers_import(self, options) -> None:
        from pathlib import Path

        from trede.monitor.peers.services import PeerImportRefused, peers_import

        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"kan {path} niet lezen ({exc.strerror or exc})", returncode=2) from exc
        source = options["source"] or f"Ingelezen uit {path.name}"
        try:
            outcome = peers_import(content=content, filename=path.name, source=source)
        except PeerImportRefused as refused:
            for problem in refused.problems:
                sys.stderr.write(f"{problem}\n")
            if options["json"]:
                sys.stdout.write(
                    json.dumps(
                        {"imported": False, "errors": [str(p) for p in refused.problems]}, ensure_ascii=False
                    )
                    + "\n"
                )
            raise CommandError(
                f"Niets ingelezen: {len(refused.problems)} probleem/problemen in {path.name}.", returncode=1
            ) from None
        done = outcome.peer_import
        if options["json"]:
            result = {
                "imported": True,
                "import_id": done.pk,
                "municipalities": done.municipalities,
                "figures": done.figures,
            }
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            return
        sys.stdout.write(
            f"Ingelezen uit {path.name}: {done.figures} jaarcijfers van {done.municipalities} gemeenten.\n"
        )


def render_stock(result: dict) -> str:
    lines = [f"Bestand op {result['as_of']} ({', '.join(result['regulations'])}): {result['total']}"]
    titles = {
        "by_age_band": "Leeftijd",
        "by_duration_band": "Duur (jaren)",
        "by_household": "Huishouden",
        "by_ladder_step": "Trede",
    }
    for key, title in titles.items():
        lines.append(f"\n{title}")
        lines.extend(f"  {band:<22} {count:>8}" for band, count in result[key].items())
    return "\n".join(lines) + "\n"


def render_flows(result: dict) -> str:
    lines = [f"{'periode':<10} {'instroom':>9} {'uitstroom':>10} {'waarvan werk':>13}"]
    for row in result["periods"]:
        lines.append(
            f"{row['period']:<10} {row['inflow']:>9} {row['outflow_total']:>10} {row['outflow']['werk']:>13}"
        )
    for year, rate in result["outflow_to_work_rate"].items():
        shown = "-" if rate is None else f"{rate:.1%}"
        lines.append(f"Uitstroom naar werk {year}: {shown} van het gemiddelde bestand")
    return "\n".join(lines) + "\n"


def render_forecast(result: dict) -> str:
    lines = [
        f"Prognose van het bestand vanaf {result['as_of']} ({', '.join(result['regulations'])}), "
        f"scenario {result['scenario']}: nu {result['stock_on_as_of']}",
        f"{'maand':<8} {'verwacht':>9} {'80 %-interval':>17}",
    ]
    lines.extend(f"{m['month']:<8} {m['stock']:>9} {m['low']:>8} - {m['high']:<8}" for m in result["months"])
    backtest = result["backtest"]

    def shown(value):
        return "-" if value is None else f"{value:.1%}"

    lines.append(
        f"Backtest op {len(backtest['origins'])} eerdere peildata, {backtest['horizon_months']} maanden vooruit: "
        f"gemiddelde afwijking {shown(backtest['mape'])}, naïef (bestand gelijk) {shown(backtest['naive_mape'])}"
    )
    return "\n".join(lines) + "\n"
