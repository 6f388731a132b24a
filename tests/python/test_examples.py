"""Tests of the Python examples: they run as a user would run them, and print exactly the expected report."""
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# examples/orders.csv, checked by hand against shared/domain/regulations.md: the H20 to China before and after
# 2025-04-09 and after the 2025-07-14 allowance; the H100 to Germany (3A090.a, no license); the H20 to Germany
# with no headquarters given (unknown); the H100 to Vietnam (D:1/D:4, approval); the H200 to Singapore for a
# China-headquartered end user (headquarters rule, denial: the 2026 case-by-case zone is for China and Macau
# destinations only); the RTX 4090 to Japan; an unknown country; a quantity that is not a number.
EXPECTED_REPORT = """\
SO-1001/10  allowed           -
SO-1001/20  license_required  presumption_of_denial    H20_CLASS_2025_04 H20_EQUIV_BANDWIDTH_2025_04
SO-1002/10  license_required  presumption_of_approval  H20_CLASS_2025_04 H20_EQUIV_BANDWIDTH_2025_04 H20_MI308_ALLOWANCE_2025_07
SO-1003/10  allowed           -                        3A090.a.1 3A090.a.2 CCL_ITEM
SO-1004/10  indeterminate     -                        missing: end_user_hq
SO-1005/10  license_required  presumption_of_approval  3A090.a.1 3A090.a.2 D1_D4_DESTINATION CCL_ITEM
SO-1006/10  license_required  presumption_of_denial    3A090.a.1 3A090.a.2 HQ_D5_OR_MACAU H20_EQUIV_BANDWIDTH_2025_04 CCL_ITEM
SO-1007/10  allowed           -                        3A090.a.1 CCL_ITEM
SO-1008/10  error             destination: 'XX' is not an ISO 3166-1 alpha-2 country code
SO-1009/10  error             quantity: 'two' is not a whole number

allowed: 3
license_required: 4
indeterminate: 1
errors: 2
"""


def run_example(*args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "examples", "screen_orders.py"), *args],
                          capture_output=True, text=True, env=dict(os.environ), cwd=ROOT, timeout=60)


def test_screen_orders_report():
    p = run_example(os.path.join(ROOT, "examples", "orders.csv"))
    assert p.stderr == ""
    assert p.returncode == 0
    assert p.stdout.splitlines() == EXPECTED_REPORT.splitlines()
    assert p.stdout == EXPECTED_REPORT


def test_screen_orders_usage():
    p = run_example()
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr == "usage: screen_orders.py ORDERS.csv\n"
