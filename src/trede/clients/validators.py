"""The BSN 11-proef, shared by the model, the importer and forms."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def bsn_is_valid(value: str) -> bool:
    """Nine digits whose weighted sum (9..2, then -1) is divisible by 11."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    return sum(int(d) * w for d, w in zip(value, BSN_WEIGHTS, strict=True)) % 11 == 0


def validate_bsn(value: str) -> None:
    if value and not bsn_is_valid(value):
        raise ValidationError(_("Een BSN bestaat uit 9 cijfers en moet voldoen aan de 11-proef."), code="bsn")
