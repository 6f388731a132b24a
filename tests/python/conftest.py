"""pytest set-up: the package is imported from bindings/python with CHIPCHECK_LIBRARY set (the Makefile
does both); these fixtures give the tests one rule collection."""
import pytest

import chipcheck


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    # Show why a test was skipped even under -q (the venv test says what is missing).
    chars = getattr(config.option, "reportchars", "") or ""
    if "s" not in chars and "a" not in chars and "A" not in chars:
        config.option.reportchars = chars + "s"


@pytest.fixture(scope="session")
def rules():
    r = chipcheck.Rules.default()
    yield r
    r.close()
