"""The demo's progress bars count to their real totals (issue 8: `simulatie … 78606/396`).

`stderr_progress` hands out a callback `(phase, advance, total)`: each call *advances*
the bar. The simulation passed the month reached so far, so 396 months summed to
1 + 2 + … + 396 = 78606. Here every phase of the demo's set-up is recorded as the bar
sees it: what was advanced equals the final total.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest


class Bars:
    def __init__(self):
        self.advanced = defaultdict(int)
        self.total = {}

    def __call__(self, phase, advance, total):
        self.advanced[phase] += advance
        if total is not None:
            self.total[phase] = total

    def disagreements(self):
        return {
            phase: (self.advanced[phase], self.total.get(phase))
            for phase in self.advanced
            if self.advanced[phase] != self.total.get(phase)
        }


def test_generator_bars_end_at_their_totals(tmp_path):
    from trede.synthetic.generator import generate

    bars = Bars()
    generate(tmp_path, clients=300, years=3, seed=1, end_date=date(2026, 12, 1), progress=bars)
    assert {"simulatie (maand voor maand)", "bestanden schrijven"} <= set(bars.total)
    assert bars.disagreements() == {}


def test_a_second_simulation_attempt_grows_the_total(monkeypatch):
    """When the first simulated municipality is too small, every month is simulated again."""
    from trede.synthetic import simulate
    from trede.synthetic.generator import simulate_municipality

    real = simulate._in_window
    calls = []

    def too_few_first(sim, window):
        calls.append(1)
        found = real(sim, window)
        return found[:1] if len(calls) == 1 else found

    monkeypatch.setattr(simulate, "_in_window", too_few_first)
    bars = Bars()
    sim = simulate_municipality(clients=200, years=2, seed=3, end_date=date(2026, 12, 1), progress=bars)
    assert sim.rounds == 2
    assert bars.disagreements() == {}


@pytest.mark.django_db
def test_import_bars_end_at_their_totals(tmp_path):
    from trede.interchange.reading import count_lines
    from trede.interchange.services import import_folder
    from trede.synthetic.generator import generate

    generate(tmp_path, clients=200, years=2, seed=2, end_date=date(2026, 12, 1))
    bars = Bars()
    bars("lezen", 0, count_lines(tmp_path))  # as `trede demo` starts the bar
    import_folder(tmp_path, progress=bars)
    assert {"lezen", "opslaan"} <= set(bars.total)
    assert bars.disagreements() == {}
