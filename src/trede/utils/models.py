"""Small helpers for model declarations shared by the domain apps."""

from django.db import models
from django.db.models import Q


def choice_constraint(field: str, choices: type[models.TextChoices], *, name: str, blank: bool = True):
    """A database check that a code column holds one of its codes (or '' = unknown).

    Choices alone are only checked by forms; the interchange import and later API clients
    write in bulk, so the database itself guards the code lists.
    """
    allowed = Q(**{f"{field}__in": choices.values})
    if blank:
        allowed |= Q(**{field: ""})
    return models.CheckConstraint(condition=allowed, name=name)


def range_constraint(field: str, low, high, *, name: str):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=name,
    )


def ends_after_start(start: str, end: str, *, name: str):
    """An end date may be empty (ongoing) and may equal the start, never precede it."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PeriodQuerySet(models.QuerySet):
    """Rows with `start_date` and `end_date`, where `end_date` is the first day WITHOUT the
    thing (a benefit, a placement) and empty while it runs."""

    @staticmethod
    def running_condition(day) -> Q:
        return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))

    def running_on(self, day):
        """The rows running on `day`."""
        return self.filter(self.running_condition(day))

    def with_running(self, day):
        """Every row, annotated with `running` (whether it runs on `day`)."""
        return self.annotate(
            running=models.ExpressionWrapper(self.running_condition(day), output_field=models.BooleanField())
        )
