"""Model fields shared by the apps."""

from __future__ import annotations

import decimal
from decimal import Decimal

from django.db import models


class TolerantDecimalField(models.DecimalField):
    """A decimal column that reads back whatever it holds. SQLite stores any number in a decimal
    column, and Django's reading of it fails on a value wider than the field (a row written by an
    older version or by hand): every page that lists or sums the row would fail. Such a value is read
    as it is, and the record shows it as out of bounds (`OutputRecord.problems`). The column is the
    same decimal column; only the reading differs."""

    def get_internal_type(self) -> str:
        return "TolerantDecimalField"  # keeps the backend's failing converter away; db_type says decimal

    def db_type(self, connection):
        return connection.data_types["DecimalField"] % self.db_type_parameters(connection)

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, Decimal) and not value.is_finite():
            return value
        if isinstance(value, float):
            value = decimal.Context(prec=15).create_decimal_from_float(value)
        else:
            try:
                value = Decimal(str(value))
            except decimal.InvalidOperation:
                return None  # not a number at all: shown as missing, and flagged
        try:
            return value.quantize(Decimal(1).scaleb(-self.decimal_places), context=decimal.Context(prec=self.max_digits))
        except decimal.InvalidOperation:
            return value
