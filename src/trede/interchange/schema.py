"""The interchange format, versions 1 and 2, as data (documented in docs/interchange.md,
which a test keeps equal to this module).

One declaration per file drives reading, validation, writing and export, so the format
is described once. Column kinds:

- id: the row's own id (required, unique in the file)
- ref: a reference to another file's id (refused when unknown in folder and database)
- soft_ref: a reference that is not refused when unknown (consultants: the importer
  registers the unknown consultant and warns, because interchange.md does not list
  consultants among the references an import refuses)
- date, code, int, decimal, bool01, bsn, text, list (`;`-separated)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from trede.benefits.constants import EndReason, MeasureKind, Regulation
from trede.casework.constants import AssessedBy, ContactKind
from trede.clients.constants import DutchLanguage, Education, Gender, Household
from trede.employers.constants import Contract, Sector, SizeClass, Subsidy
from trede.finance.constants import PaymentKind
from trede.instruments.constants import Funding, InstrumentType, ProviderKind, TrajectoryResult


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    codes: tuple[str, ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None
    target: str = ""  # for ref/soft_ref: the file whose ids it references
    attr: str = ""  # model attribute name when it differs from the column name
    default: object = None  # the value of an empty cell (None: unknown)

    @property
    def model_attr(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class FileSpec:
    filename: str
    model_label: str
    id_column: str
    columns: tuple[Column, ...]
    required_file: bool = False
    extension_columns: tuple[Column, ...] = field(default=())
    # Records the export leaves out, as (lookup, value) pairs for `exclude()`.
    export_excludes: tuple[tuple[str, object], ...] = field(default=())

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.columns + self.extension_columns

    def column(self, name: str) -> Column:
        return next(c for c in self.all_columns if c.name == name)


@dataclass(frozen=True)
class NumberLimits:
    low: Decimal
    high: Decimal
    places: int  # decimals the database column keeps (0 for an integer column)


@cache
def number_limits(spec: FileSpec, column: Column) -> NumberLimits:
    """The range a numeric column accepts: its stated range within what the column holds.

    Taken from the model field, so that a value the database cannot hold is refused while
    reading, the same on every database: PostgreSQL would raise on such a value in the
    middle of the write, SQLite would store it and fail later when it is read. The integer
    ranges are Django's portable ones (PostgreSQL's); SQLite itself enforces none.
    """
    model_field = apps.get_model(spec.model_label)._meta.get_field(column.model_attr)
    if isinstance(model_field, models.DecimalField):
        places = model_field.decimal_places
        top = Decimal(10) ** (model_field.max_digits - places) - Decimal(1).scaleb(-places)
        low, high = -top, top
    else:
        places = 0
        low, high = (
            Decimal(b) for b in BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
        )
    if column.low is not None:
        low = max(low, column.low)
    if column.high is not None:
        high = min(high, column.high)
    return NumberLimits(low, high, places)


def _codes(choices) -> tuple[str, ...]:
    return tuple(choices.values)


D = Decimal

# Order matters: files are validated and written so that referenced records come first.
FILES: tuple[FileSpec, ...] = (
    # Version 2: centroids of postcode areas (a reference table, referenced by nothing).
    FileSpec(
        "postcodes.csv",
        "clients.Postcode",
        "postcode4",
        (
            Column("postcode4", "id", required=True),
            Column("lat", "decimal", low=D(-90), high=D(90)),
            Column("lon", "decimal", low=D(-180), high=D(180)),
        ),
    ),
    FileSpec(
        "consultants.csv",
        "casework.Consultant",
        "consultant_id",
        (
            Column("consultant_id", "id", required=True),
            Column("name", "text"),
            Column("team", "text"),
            Column("role", "text"),
        ),
    ),
    FileSpec(
        "clients.csv",
        "clients.Client",
        "client_id",
        (
            Column("client_id", "id", required=True),
            Column("bsn", "bsn"),
            Column("birth_date", "date", required=True),
            Column("gender", "code", codes=_codes(Gender)),
            Column("household", "code", codes=_codes(Household)),
            Column("education", "code", codes=_codes(Education)),
            Column("dutch_language", "code", codes=_codes(DutchLanguage)),
            Column("statushouder", "bool01"),
            Column("dgr", "bool01"),
            Column("postcode4", "text"),
            Column("municipality", "text"),
            Column("consultant_id", "soft_ref", target="consultants.csv"),
        ),
        required_file=True,
        # Trede's extension: names, so that consultants can find a person.
        extension_columns=(Column("given_name", "text"), Column("family_name", "text")),
    ),
    FileSpec(
        "providers.csv",
        "instruments.Provider",
        "provider_id",
        (
            Column("provider_id", "id", required=True),
            Column("name", "text"),
            Column("kind", "code", codes=_codes(ProviderKind)),
        ),
    ),
    FileSpec(
        "instruments.csv",
        "instruments.Instrument",
        "instrument_code",
        (
            Column("instrument_code", "id", required=True),
            Column("name", "text"),
            Column("type", "code", codes=_codes(InstrumentType)),
            Column("funding", "code", codes=_codes(Funding)),
            Column("price_eur", "decimal"),
        ),
    ),
    FileSpec(
        "employers.csv",
        "employers.Employer",
        "employer_id",
        (
            Column("employer_id", "id", required=True),
            Column("name", "text"),
            Column("sector", "code", codes=_codes(Sector)),
            Column("size_class", "code", codes=_codes(SizeClass)),
            Column("postcode4", "text"),
        ),
    ),
    FileSpec(
        "vacancies.csv",
        "employers.Vacancy",
        "vacancy_id",
        (
            Column("vacancy_id", "id", required=True),
            Column("employer_id", "ref", target="employers.csv"),
            Column("title", "text"),
            Column("occupation_code", "text"),
            Column("hours_per_week", "decimal"),
            Column("open_date", "date", required=True),
            Column("close_date", "date"),
            Column("skills", "list"),
            # Version 2: how many people the vacancy takes (empty = 1).
            Column("positions", "int", low=D(1), default=1),
        ),
    ),
    FileSpec(
        "benefits.csv",
        "benefits.Benefit",
        "benefit_id",
        (
            Column("benefit_id", "id", required=True),
            Column("client_id", "ref", required=True, target="clients.csv"),
            Column("regulation", "code", codes=_codes(Regulation)),
            Column("start_date", "date", required=True),
            Column("end_date", "date"),
            Column("end_reason", "code", codes=_codes(EndReason)),
        ),
        required_file=True,
    ),
    FileSpec(
        "diagnoses.csv",
        "casework.Diagnosis",
        "diagnosis_id",
        (
            Column("diagnosis_id", "id", required=True),
            Column("client_id", "ref", required=True, target="clients.csv"),
            Column("date", "date", required=True),
            Column("months_to_work", "int", low=D(0), high=D(120)),
            Column("ladder_step", "int", low=D(1), high=D(6)),
            Column("ladder_target", "int", low=D(1), high=D(6)),
            Column("wage_value_pct", "decimal", low=D(0), high=D(100)),
            Column("assessed_by", "code", codes=_codes(AssessedBy)),
            Column("override_reason", "text"),
        ),
    ),
    FileSpec(
        "contacts.csv",
        "casework.Contact",
        "contact_id",
        (
            Column("contact_id", "id", required=True),
            Column("client_id", "ref", required=True, target="clients.csv"),
            Column("date", "date", required=True),
            Column("kind", "code", codes=_codes(ContactKind)),
            Column("consultant_id", "soft_ref", target="consultants.csv"),
        ),
        # A withdrawn contact moment did not happen as recorded: it is not a contact for the
        # receiving system either (it stays on file in Trede, with its history).
        export_excludes=(("withdrawn_at__isnull", False),),
    ),
    FileSpec(
        "trajectories.csv",
        "instruments.Trajectory",
        "trajectory_id",
        (
            Column("trajectory_id", "id", required=True),
            Column("client_id", "ref", required=True, target="clients.csv"),
            Column("instrument_code", "ref", target="instruments.csv", attr="instrument_id"),
            Column("provider_id", "ref", target="providers.csv"),
            Column("referral_date", "date", required=True),
            Column("start_date", "date"),
            Column("planned_end_date", "date"),
            Column("end_date", "date"),
            Column("result", "code", codes=_codes(TrajectoryResult)),
            Column("cost_eur", "decimal"),
        ),
    ),
    FileSpec(
        "client_profiles.csv",
        "clients.ClientProfile",
        "client_id",
        (
            Column("client_id", "ref", required=True, target="clients.csv"),
            Column("desired_occupations", "list"),
            Column("skills", "list"),
            Column("hours_available", "decimal"),
            Column("max_travel_km", "decimal"),
        ),
    ),
    FileSpec(
        "placements.csv",
        "employers.Placement",
        "placement_id",
        (
            Column("placement_id", "id", required=True),
            Column("client_id", "ref", required=True, target="clients.csv"),
            Column("employer_id", "ref", target="employers.csv"),
            Column("vacancy_id", "ref", target="vacancies.csv"),
            Column("start_date", "date", required=True),
            Column("end_date", "date"),
            Column("hours_per_week", "decimal"),
            Column("contract", "code", codes=_codes(Contract)),
            Column("subsidy", "code", codes=_codes(Subsidy)),
            Column("wage_value_pct", "decimal", low=D(0), high=D(100)),
        ),
    ),
    FileSpec(
        "measures.csv",
        "benefits.Measure",
        "measure_id",
        (
            Column("measure_id", "id", required=True),
            Column("client_id", "ref", required=True, target="clients.csv"),
            Column("date", "date", required=True),
            Column("kind", "code", codes=_codes(MeasureKind)),
            Column("reason", "text"),
            Column("percentage", "decimal"),
            Column("months", "decimal"),
        ),
    ),
    # Version 2: payments (a negative amount is a recovery) and yearly budgets per line.
    FileSpec(
        "payments.csv",
        "finance.Payment",
        "payment_id",
        (
            Column("payment_id", "id", required=True),
            Column("client_id", "ref", required=True, target="clients.csv"),
            Column("date", "date", required=True),
            Column("amount_eur", "decimal", required=True),
            Column("kind", "code", codes=_codes(PaymentKind)),
            Column("funding", "code", codes=_codes(Funding)),
            Column("line", "text"),
            Column("benefit_id", "ref", target="benefits.csv"),
            Column("trajectory_id", "ref", target="trajectories.csv"),
            Column("placement_id", "ref", target="placements.csv"),
        ),
    ),
    FileSpec(
        "budgets.csv",
        "finance.Budget",
        "budget_id",
        (
            Column("budget_id", "id", required=True),
            Column("year", "int", required=True),
            Column("line", "text", required=True),
            Column("funding", "code", codes=_codes(Funding)),
            Column("amount_eur", "decimal", required=True, low=D(0)),
        ),
    ),
)

FILES_BY_NAME = {spec.filename: spec for spec in FILES}

# Start and end pairs whose order is checked ("an end date before its start date").
DATE_ORDER = {
    "benefits.csv": (("start_date", "end_date"),),
    "trajectories.csv": (("start_date", "end_date"), ("start_date", "planned_end_date")),
    "vacancies.csv": (("open_date", "close_date"),),
    "placements.csv": (("start_date", "end_date"),),
}
