"""The national unit directory for the org tests.

The directory is loaded once per test session (`_national_units_loaded` in tests/conftest.py calls
`cchc.org.loader.load_units()`); `unit_directory` gives a test database access to it and returns
the counts of that load. Each test runs in a transaction that is rolled back, so a test may change
the directory freely.
"""

import pytest


@pytest.fixture(scope="session")
def unit_directory_counts(_national_units_loaded):
    return _national_units_loaded


@pytest.fixture
def unit_directory(unit_directory_counts, national_units, db):
    return unit_directory_counts
