"""pytest set-up: the package is imported from bindings/python with CHIPCHECK_LIBRARY set (the Makefile
does both); these fixtures give the tests one rule collection."""
import pytest

import chipcheck


@pytest.fixture(scope="session")
def rules():
    r = chipcheck.Rules.default()
    yield r
    r.close()
