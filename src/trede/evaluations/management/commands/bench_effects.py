"""`trede bench_effects --validate|--city`: accuracy and speed of the instruments estimand.

- `--validate` (default): per instrument and horizon 12/24, bias, RMSE and 95 % interval
  coverage of Trede's default estimator against the generator's ground truth over seeds
  (default 1..5, 5 000 clients, 6 years); exits with code 1 when the overall coverage is
  below `--min-coverage` (0.90).
- `--city`: one generated city (default 20 000 clients, 10 years, seed 11), Trede's full
  run timed against EconML's DRLearner on the same rows (Trede's sampled person-months
  minus those Trede trimmed for overlap), the same covariates and `min_propensity` equal
  to Trede's propensity clip; per instrument and in summary both are scored against the
  truth, with a plain verdict. EconML is optional (the `bench` extra); without it only
  Trede runs and the verdict says that nothing was compared.

The logic is in `trede.effects.benchmark` (no Django). `--json` prints exactly one JSON
object on standard output; progress goes to standard error.
"""

from __future__ import annotations

import json
import sys
import tempfile
import warnings
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trede.effects import benchmark
from trede.utils.progress import stderr_progress


def _ints(text: str, option: str) -> list[int]:
    try:
        values = [int(v) for v in text.replace(" ", "").split(",") if v]
    except ValueError as exc:
        raise CommandError(
            f"{option}: '{text}' is geen komma-gescheiden lijst van gehele getallen", returncode=2
        ) from exc
    if not values:
        raise CommandError(f"{option}: geef minstens één waarde", returncode=2)
    return values


def _seeds(text: str) -> list[int]:
    """'1-5' or '1,2,3'."""
    if "-" in text and "," not in text:
        lo, _, hi = text.partition("-")
        first, last = _ints(lo, "--seeds")[0], _ints(hi, "--seeds")[0]
        if last < first:
            raise CommandError(f"--seeds: '{text}' loopt achteruit", returncode=2)
        return list(range(first, last + 1))
    return _ints(text, "--seeds")


class Command(BaseCommand):
    help = "Benchmark van de effectschattingen: validatie tegen de ware effecten, snelheid tegen EconML."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--validate", action="store_true", help="dekking over seeds (standaard)")
        mode.add_argument("--city", action="store_true", help="één grote stad: Trede tegen EconML")
        parser.add_argument("--seeds", default="1-5", help="--validate: seeds, bv. 1-5 of 1,2,3")
        parser.add_argument("--clients", type=int, default=None, help="cliënten (5000; --city 20000)")
        parser.add_argument("--years", type=int, default=None, help="jaren (6; --city 10)")
        parser.add_argument("--seed", type=int, default=11, help="--city: seed van de generator")
        parser.add_argument(
            "--horizons", default=None, help="maanden, bv. 12,24 (--validate 12,24; --city 12)"
        )
        parser.add_argument(
            "--work-dir", default=None, help="map voor de gegenereerde gegevens (hergebruikt)"
        )
        parser.add_argument("--min-coverage", type=float, default=0.90, help="--validate: ondergrens dekking")
        parser.add_argument("--no-econml", action="store_true", help="--city: alleen Trede")
        parser.add_argument("--econml-learner", choices=["boosting", "linear"], default="boosting")
        parser.add_argument("--cv", type=int, default=2, help="--city: kruisvalidatie-folds van EconML")
        parser.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")
        parser.add_argument("--json", action="store_true", help="precies één JSON-object op standaarduitvoer")

    def handle(self, *args, **options):
        city = options["city"]
        clients = options["clients"] or (20000 if city else 5000)
        years = options["years"] or (10 if city else 6)
        if clients < 50 or years < 1:
            raise CommandError("--clients moet minstens 50 en --years minstens 1 zijn", returncode=2)
        horizons = _ints(options["horizons"] or ("12" if city else "12,24"), "--horizons")
        if min(horizons) < 1:
            raise CommandError("--horizons: elke horizon moet minstens 1 maand zijn", returncode=2)
        with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sklearn/econml chatter would drown the table
            work_dir = Path(options["work_dir"]) if options["work_dir"] else Path(tmp)
            with stderr_progress(enabled=not options["no_progress"]) as progress:
                if city:
                    folder, generated = benchmark.city_folder(
                        work_dir, clients=clients, years=years, seed=options["seed"], progress=progress
                    )
                    result = benchmark.city_benchmark(
                        folder,
                        horizons=horizons,
                        econml=not options["no_econml"],
                        econml_learner=options["econml_learner"],
                        cv=options["cv"],
                        progress=progress,
                    )
                    result["generate_seconds"] = generated
                else:
                    result = benchmark.validate_benchmark(
                        _seeds(options["seeds"]),
                        clients=clients,
                        years=years,
                        horizons=horizons,
                        work_dir=work_dir,
                        progress=progress,
                    )
        if options["json"]:
            sys.stdout.write(json.dumps(result, ensure_ascii=False, allow_nan=False) + "\n")
        else:
            sys.stdout.write(benchmark.render_city(result) if city else benchmark.render_validate(result))
        if city and result.get("econml_note"):
            sys.stderr.write(result["econml_note"] + "\n")
        if not city:
            cov = result["coverage"]
            if cov is None or cov < options["min_coverage"]:
                shown = "geen" if cov is None else f"{100 * cov:.1f} %"
                raise CommandError(
                    f"dekking van de 95 %-intervallen {shown} is lager dan {100 * options['min_coverage']:.0f} %",
                    returncode=1,
                )
