"""The flow model behind `trede monitor forecast` (issue 11 point 5, decisions 60-62).

Pure functions on arrays of spells (no Django, no database), so the page, the command and
the backtest run exactly the same arithmetic.

Time is counted in month starts. A spell is in the stock on month start j exactly when
F(start) <= j < F(end), where F(day) is the index of the first month start on or after
the day (the same bucket rule as the monitor's SQL, `first_month_start_on_or_after`).
Its duration on month start j is k = j - F(start) month starts: a spell that began on the
first of a month has k = 0 that day, one that began on the 15th has k = 0 on the next
first. So between two month starts the stock changes only by

- exits: a spell on the stock at j and not at j + 1 (F(end) = j + 1), at a rate per month
  that depends on its duration band (the hazard), and
- arrivals: spells with F(start) = j + 1 still open on j + 1, at a rate per month.

Both rates are estimated from the last months fully observed before the origin, and the
expected path follows by moving each duration cohort one month on. The 80 % interval comes
from simulation: the rates drawn from their posterior (parameter uncertainty), binomial
exits and Poisson arrivals (chance), and a random walk on the levels of both (the economy
moving; its yearly size is measured from the history's own year-on-year changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

# A month index beyond any real one: the F(end) of a spell still open.
OPEN_MONTH = 10**9


def month_index(day: date) -> int:
    """Months since January 1970 (the epoch of numpy's datetime64[M])."""
    return (day.year - 1970) * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(1970 + index // 12, index % 12 + 1, 1)


def month_label(index: int) -> str:
    start = month_start(index)
    return f"{start.year:04d}-{start.month:02d}"


def _first_month_on_or_after(days: np.ndarray) -> np.ndarray:
    months = days.astype("datetime64[M]")
    index = months.astype(np.int64)
    return index + (days != months.astype("datetime64[D]")).astype(np.int64)


@dataclass(frozen=True)
class Spells:
    """Spells as day arrays (datetime64[D]); `end` is NaT while the spell is open."""

    start: np.ndarray
    end: np.ndarray

    @classmethod
    def from_pairs(cls, pairs) -> Spells:
        """From (start, end) pairs of dates or ISO texts; end None (or 9999-12-31) = open."""
        starts, ends = [], []
        for start, end in pairs:
            starts.append(str(start)[:10])
            text = None if end is None else str(end)[:10]
            ends.append("NaT" if text is None or text >= "9999-12-31" else text)
        return cls(np.array(starts, dtype="datetime64[D]"), np.array(ends, dtype="datetime64[D]"))

    def known_on(self, day: date) -> Spells:
        """What was known on `day`: spells begun on or before it, an end after it read as
        still open (so the stock on the day itself is known)."""
        on = np.datetime64(day, "D")
        keep = self.start <= on
        end = self.end[keep].copy()
        end[end > on] = np.datetime64("NaT")
        return Spells(self.start[keep], end)

    @property
    def first_months(self) -> np.ndarray:
        return _first_month_on_or_after(self.start)

    @property
    def end_months(self) -> np.ndarray:
        months = np.full(len(self.end), OPEN_MONTH, dtype=np.int64)
        closed = ~np.isnat(self.end)
        months[closed] = _first_month_on_or_after(self.end[closed])
        return months

    def stock_on(self, day: date) -> int:
        on = np.datetime64(day, "D")
        open_after = np.isnat(self.end) | (self.end > on)
        return int(np.count_nonzero((self.start <= on) & open_after))


@dataclass(frozen=True)
class Settings:
    """The preset's `forecast` key (casework/policy/presets.py) as typed values."""

    band_edges: tuple[int, ...]
    hazard_window_months: int
    inflow_window_months: int
    interval: float
    simulations: int
    seed: int
    default_yearly_sigma: float
    volatility_years: int
    backtest_max_horizon_months: int
    backtest_origins: int
    backtest_step_months: int
    backtest_min_history_months: int
    max_months: int
    completeness_months: int
    completeness_window: int
    completeness_share: float

    @classmethod
    def from_config(cls, config: dict) -> Settings:
        return cls(
            band_edges=tuple(int(edge) for edge in config["duration_band_edges_months"]),
            hazard_window_months=int(config["hazard_window_months"]),
            inflow_window_months=int(config["inflow_window_months"]),
            interval=float(config["interval"]),
            simulations=int(config["simulations"]),
            seed=int(config["seed"]),
            default_yearly_sigma=float(config["default_yearly_sigma"]),
            volatility_years=int(config["volatility_years"]),
            backtest_max_horizon_months=int(config["backtest"]["max_horizon_months"]),
            backtest_origins=int(config["backtest"]["origins"]),
            backtest_step_months=int(config["backtest"]["step_months"]),
            backtest_min_history_months=int(config["backtest"]["min_history_months"]),
            max_months=int(config["max_months"]),
            completeness_months=int(config["completeness"]["months"]),
            completeness_window=int(config["completeness"]["window_months"]),
            completeness_share=float(config["completeness"]["share"]),
        )

    @property
    def max_duration(self) -> int:
        """Durations from the last band edge on share one hazard, so one cohort holds them."""
        return self.band_edges[-1]

    def bands(self, durations: np.ndarray) -> np.ndarray:
        return np.searchsorted(np.asarray(self.band_edges), durations, side="right") - 1


@dataclass(frozen=True)
class Fit:
    """The rates estimated on one origin day, from what was known on it."""

    origin: date
    exposures: np.ndarray  # per duration band: spell-months on the stock at a month start
    exits: np.ndarray  # per duration band: of those, gone by the next month start
    hazards: np.ndarray  # per duration band: exits / exposures (pooled where a band is empty)
    arrival_months: int  # month starts the arrival rate is the mean over
    arrivals: int  # arrivals over them
    yearly_sigma_inflow: float
    yearly_sigma_outflow: float

    @property
    def arrival_rate(self) -> float:
        return self.arrivals / self.arrival_months if self.arrival_months else 0.0

    def hazard_by_duration(self, settings: Settings) -> np.ndarray:
        """The hazard for every duration 0 … max_duration (the last holds all longer ones)."""
        return self.hazards[settings.bands(np.arange(settings.max_duration + 1))]


def fit(known: Spells, origin: date, settings: Settings, *, volatility: bool = True) -> Fit:
    """Hazards by duration band over the last `hazard_window_months` transitions fully
    observed on `origin` (month start j to j + 1 with j + 1 on or before it), and the mean
    arrivals over the last `inflow_window_months` month starts on or before it. Months
    before the data is complete (`observed_from`) are not part of any window: missing
    data is not zero. `volatility=False` skips the year-on-year sizes (a backtest origin
    needs only the expected path; the sizes serve the interval) and leaves them 0."""
    first_months, end_months = known.first_months, known.end_months
    j0 = month_index(origin)
    data_from = observed_from(first_months, end_months, j0, settings)
    n_bands = len(settings.band_edges)
    exposures = np.zeros(n_bands, dtype=np.int64)
    exits = np.zeros(n_bands, dtype=np.int64)
    for j in range(max(j0 - settings.hazard_window_months, data_from), j0):
        on_stock = (first_months <= j) & (end_months > j)
        bands = settings.bands(j - first_months[on_stock])
        exposures += np.bincount(bands, minlength=n_bands)
        exits += np.bincount(bands, weights=end_months[on_stock] == j + 1, minlength=n_bands).astype(np.int64)
    pooled = exits.sum() / exposures.sum() if exposures.sum() else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        hazards = np.where(exposures > 0, exits / np.maximum(exposures, 1), pooled)
    arrival_from = max(j0 - settings.inflow_window_months + 1, data_from)
    arrival_months = max(j0 - arrival_from + 1, 0)
    arriving = (first_months >= arrival_from) & (first_months <= j0) & (end_months > first_months)
    sigma_in, sigma_out = (
        _yearly_sigmas(first_months, end_months, j0, data_from, settings) if volatility else (0.0, 0.0)
    )
    return Fit(
        origin=origin,
        exposures=exposures,
        exits=exits,
        hazards=hazards.astype(float),
        arrival_months=arrival_months,
        arrivals=int(np.count_nonzero(arriving)),
        yearly_sigma_inflow=sigma_in,
        yearly_sigma_outflow=sigma_out,
    )


def observed_from(first_months: np.ndarray, end_months: np.ndarray, j0: int, settings: Settings) -> int:
    """The first month start from which the data looks complete (decision 61).

    An export holds the benefits of the people its system still keeps: long before some
    date only those who were still on benefit then, or who came back later, so that early
    months show too few arrivals and exits, which would read as a quiet past. The exits
    show it best (nobody who left and never came back is in the file): the first
    transition month whose exits over `completeness_months` months reach
    `completeness_share` of the median of such sums over the last `completeness_window`
    months is where complete data begins. Exits count from a month start on the stock
    (F(start) < F(end)). No data: the month after the origin (every window empty)."""
    if not len(first_months):
        return j0 + 1
    first = int(first_months.min())
    closed = (end_months <= j0) & (end_months > first_months)
    if j0 - first < settings.completeness_months:
        return first
    counts = np.bincount(end_months[closed] - 1 - first, minlength=j0 - first)[: j0 - first]
    span = settings.completeness_months
    sums = np.convolve(counts, np.ones(span, dtype=np.int64), mode="valid")  # sums[m]: months m … m+span-1
    recent = sums[-settings.completeness_window :]
    threshold = settings.completeness_share * float(np.median(recent))
    if threshold <= 0:
        return first
    return first + int(np.argmax(sums >= threshold))


def _yearly_sigmas(
    first_months, end_months, j0: int, data_from: int, settings: Settings
) -> tuple[float, float]:
    """How much inflow and the exit rate moved from one year to the next: the root mean
    square of the log ratios of consecutive twelve-month blocks ending at the origin (up
    to `volatility_years` blocks, whole blocks after the data's first month only). Around
    zero, not around their mean, because the forecast carries no trend: a steady trend is
    a risk the interval should show. Fewer than three ratios: the preset's default."""
    inflows, exit_rates = [], []
    for year in range(settings.volatility_years):
        hi = j0 - 12 * year  # the block holds month starts hi - 11 … hi
        lo = hi - 11
        if lo - 1 < data_from:
            break
        inflows.append(
            np.count_nonzero((first_months >= lo) & (first_months <= hi) & (end_months > first_months))
        )
        exposure = exits = 0
        for j in range(lo - 1, hi):  # transitions into the block's month starts
            on_stock = (first_months <= j) & (end_months > j)
            exposure += int(np.count_nonzero(on_stock))
            exits += int(np.count_nonzero(on_stock & (end_months == j + 1)))
        exit_rates.append(exits / exposure if exposure else 0.0)

    def rms_log_ratio(values: list) -> float:
        pairs = [(a, b) for a, b in zip(values[1:], values[:-1], strict=False) if a > 0 and b > 0]
        if len(pairs) < 3:
            return settings.default_yearly_sigma
        return float(np.sqrt(np.mean([np.log(b / a) ** 2 for a, b in pairs])))

    return rms_log_ratio(inflows), rms_log_ratio(exit_rates)


@dataclass(frozen=True)
class Start:
    """The stock on the origin day, by what the model needs to move it to the first month
    start after it: the spells there since a month start (by duration on that month start)
    and those begun since (arrivals of the coming month start, partly observed)."""

    origin: date
    by_duration: np.ndarray  # counts per duration 0 … max_duration on month start j0
    partial_arrivals: int
    remaining: float  # the share of the origin's month still to come, (F(origin + 1) - origin) / days


def start_on(known: Spells, origin: date, settings: Settings) -> Start:
    on = np.datetime64(origin, "D")
    on_stock = (known.start <= on) & (np.isnat(known.end) | (known.end > on))
    first_months = known.first_months[on_stock]
    j0 = month_index(origin)
    since_month_start = first_months <= j0
    durations = np.minimum(j0 - first_months[since_month_start], settings.max_duration)
    next_start = month_start(j0 + 1)
    days_in_month = (next_start - month_start(j0)).days
    return Start(
        origin=origin,
        by_duration=np.bincount(durations, minlength=settings.max_duration + 1).astype(np.int64),
        partial_arrivals=int(np.count_nonzero(~since_month_start)),
        remaining=(next_start - origin).days / days_in_month,
    )


def expected_path(
    fit_: Fit, start: Start, months: int, settings: Settings, *, inflow=1.0, outflow=1.0
) -> np.ndarray:
    """The expected stock on the first `months` month starts after the origin."""
    hazard = np.minimum(fit_.hazard_by_duration(settings) * outflow, 1.0)
    arrivals = fit_.arrival_rate * inflow
    survive = (1.0 - hazard) ** start.remaining
    cohorts = _aged(start.by_duration * survive)
    cohorts[0] += start.partial_arrivals * survive[0] + arrivals * start.remaining
    path = [cohorts.sum()]
    for _ in range(months - 1):
        cohorts = _aged(cohorts * (1.0 - hazard))
        cohorts[0] += arrivals
        path.append(cohorts.sum())
    return np.array(path)


def _aged(cohorts: np.ndarray) -> np.ndarray:
    """Everyone one month longer on benefit; the last cohort keeps its members."""
    aged = np.zeros_like(cohorts)
    aged[1:] = cohorts[:-1]
    aged[-1] += cohorts[-1]
    return aged


def simulate(
    fit_: Fit, start: Start, months: int, settings: Settings, *, inflow=1.0, outflow=1.0
) -> np.ndarray:
    """`settings.simulations` stock paths (rows) over the `months` month starts, seeded."""
    rng = np.random.default_rng(settings.seed)
    sims = settings.simulations
    bands = settings.bands(np.arange(settings.max_duration + 1))
    # Parameter uncertainty: Jeffreys posteriors for every band's hazard and the arrival
    # rate; a band without exposure takes the pooled draw of all bands.
    total_exposure, total_exits = fit_.exposures.sum(), fit_.exits.sum()
    pooled = rng.beta(total_exits + 0.5, total_exposure - total_exits + 0.5, size=sims)
    band_hazards = np.where(
        fit_.exposures > 0,
        rng.beta(fit_.exits + 0.5, fit_.exposures - fit_.exits + 0.5, size=(sims, len(fit_.exposures))),
        pooled[:, None],
    )
    hazard = band_hazards[:, bands]
    if fit_.arrival_months:
        rate = rng.gamma(fit_.arrivals + 0.5, 1.0 / fit_.arrival_months, size=sims)
    else:
        rate = np.zeros(sims)
    monthly_in = fit_.yearly_sigma_inflow / np.sqrt(12)
    monthly_out = fit_.yearly_sigma_outflow / np.sqrt(12)
    level_in = np.zeros(sims)
    level_out = np.zeros(sims)

    def step(cohorts, share: float):
        nonlocal level_in, level_out
        level_in = level_in + rng.normal(0.0, monthly_in * np.sqrt(share), size=sims)
        level_out = level_out + rng.normal(0.0, monthly_out * np.sqrt(share), size=sims)
        h = np.minimum(hazard * (outflow * np.exp(level_out))[:, None], 1.0)
        stayers = rng.binomial(cohorts, (1.0 - h) ** share)
        aged = np.zeros_like(stayers)
        aged[:, 1:] = stayers[:, :-1]
        aged[:, -1] += stayers[:, -1]
        return aged, rate * inflow * np.exp(level_in) * share, h[:, 0]

    cohorts = np.tile(start.by_duration, (sims, 1))
    cohorts, arriving, first_hazard = step(cohorts, start.remaining)
    cohorts[:, 0] += rng.binomial(start.partial_arrivals, (1.0 - first_hazard) ** start.remaining)
    cohorts[:, 0] += rng.poisson(arriving)
    paths = [cohorts.sum(axis=1)]
    for _ in range(months - 1):
        cohorts, arriving, _h = step(cohorts, 1.0)
        cohorts[:, 0] += rng.poisson(arriving)
        paths.append(cohorts.sum(axis=1))
    return np.stack(paths, axis=1)


@dataclass(frozen=True)
class Backtest:
    horizon_months: int
    origins: list[date]
    forecasts: list[float]
    naive: list[int]
    actuals: list[int]

    @staticmethod
    def _mape(predicted, actual) -> float | None:
        errors = [abs(p - a) / a for p, a in zip(predicted, actual, strict=True) if a > 0]
        return float(np.mean(errors)) if errors else None

    @property
    def mape(self) -> float | None:
        return self._mape(self.forecasts, self.actuals)

    @property
    def naive_mape(self) -> float | None:
        return self._mape(self.naive, self.actuals)


def backtest_origins(known: Spells, as_of: date, horizon: int, settings: Settings) -> list[date]:
    """Month ends whose month start `horizon` months on lies on or before `as_of` (so what
    happened is known on it), every `backtest_step_months` back from the latest, at most
    `backtest_origins`, each with `backtest_min_history_months` of data before its month;
    oldest first."""
    if not len(known.start):
        return []
    data_from = observed_from(known.first_months, known.end_months, month_index(as_of), settings)
    origins = []
    origin_month = month_index(as_of) - horizon  # the origin's month; its end is the origin
    while (
        len(origins) < settings.backtest_origins
        and origin_month - settings.backtest_min_history_months >= data_from
    ):
        origins.append(_month_end(origin_month))
        origin_month -= settings.backtest_step_months
    return sorted(origins)


def _month_end(index: int) -> date:
    return date.fromordinal(month_start(index + 1).toordinal() - 1)


def run_backtest(known: Spells, as_of: date, horizon: int, settings: Settings) -> Backtest:
    """The basis method from earlier origins, each on what was known on it, against what
    happened `horizon` month starts later (known on `as_of`) and the naive forecast."""
    origins = backtest_origins(known, as_of, horizon, settings)
    forecasts, naive, actuals = [], [], []
    for origin in origins:
        then = known.known_on(origin)
        fitted = fit(then, origin, settings, volatility=False)
        path = expected_path(fitted, start_on(then, origin, settings), horizon, settings)
        forecasts.append(float(path[-1]))
        naive.append(then.stock_on(origin))
        actuals.append(known.stock_on(month_start(month_index(origin) + horizon)))
    return Backtest(horizon, origins, forecasts, naive, actuals)
