"""The national unit directory for the org tests.

`unit_directory_counts` loads the directory with `cchc.org.loader.load_units()` once per test
module that asks for it and removes it again afterwards, so that the tests that build their own
small tree (tests/factories.py, `org_tree`) never meet the real codes ("08", "08.SNV"). Each test
runs in a transaction that is rolled back, so a test may change the directory freely.
"""

import pytest

from cchc.core.models import AuditEvent
from cchc.org.loader import load_units
from cchc.org.models import Unit


def _unload() -> None:
    Unit.objects.update(parent=None, successor=None)
    Unit.objects.all()._raw_delete(Unit.objects.db)
    AuditEvent.objects.filter(object_type="org.unit", object_repr="unit directory").delete()


@pytest.fixture(scope="module")
def unit_directory_counts(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        had_units = Unit.objects.exists()
        counts = load_units()
    yield counts
    if not had_units:
        with django_db_blocker.unblock():
            _unload()


@pytest.fixture
def unit_directory(unit_directory_counts, db):
    return unit_directory_counts
