"""Tests of the Python examples: they run as a user would run them, and print exactly the expected report."""
import importlib.util
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# examples/orders.csv, checked by hand against the rule files' sources: the H20 to China before and after
# 2025-04-09 and after the 2025-07-14 allowance; the H100 to Germany (3A090.a, no license); the H20 to Germany
# with no headquarters given (unknown); the H100 to Vietnam (D:1/D:4, approval); the H200 from the US to
# Singapore for a China-headquartered end user (headquarters rule, denial: the 2026 case-by-case zone is for
# China and Macau destinations only); the RTX 4090 to Japan; an unknown country; a quantity that is not a
# number; the H200 from the US to China in 2026 (case by case, with the certifications).
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
SO-1009/10  error             quantity: 'two' is not a number (digits, optional '.' and exponent)
SO-1010/10  license_required  case_by_case             3A090.a.1 3A090.a.2 D5_DESTINATION H20_EQUIV_BANDWIDTH_2025_04 CASE_BY_CASE_ZONE_2026_01 CCL_ITEM

allowed: 3
license_required: 5
indeterminate: 1
errors: 2
"""

#: The command, for comparing the example with `chipcheck batch --input-format csv` (the Makefile sets it).
CLI = os.environ.get("CHIPCHECK_CLI") or os.path.join(ROOT, "build", "chipcheck")
ALL_COLUMNS_CSV = os.path.join(ROOT, "tests", "python", "data", "orders_all_columns.csv")


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


def test_screen_orders_is_executable():
    path = os.path.join(ROOT, "examples", "screen_orders.py")
    assert os.access(path, os.X_OK)
    with open(path) as f:
        assert f.readline() == "#!/usr/bin/env python3\n"


def load_example():
    spec = importlib.util.spec_from_file_location("screen_orders", os.path.join(ROOT, "examples", "screen_orders.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_screen_orders_reads_the_columns_the_command_reads():
    # The command lists its columns when it meets one it does not know.
    p = subprocess.run([CLI, "batch", "--input-format", "csv"], input="id,colour\n", capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 2
    listed = p.stderr.split("the columns are ", 1)[1].strip().split(", ")
    assert list(load_example().COLUMNS) == listed


def test_screen_orders_agrees_with_the_command_on_every_column():
    # Every column, with good and bad cells: the example and `chipcheck batch --input-format csv` give the
    # same verdict, review policy and codes, or the same error message, row by row.
    p = subprocess.run([CLI, "batch", "--brief", "--input-format", "csv", ALL_COLUMNS_CSV], capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 2  # some rows are errors
    expected = []
    for line in p.stdout.splitlines():
        record = json.loads(line)
        if "error" in record:
            expected.append(("error", record["error"]["message"]))
        elif record["verdict"] == "indeterminate":
            expected.append((record["verdict"], "-", "missing: " + ", ".join(record["missing"])))
        else:
            expected.append((record["verdict"], record["review_policy"] or "-", " ".join(record["codes"])))
    report = run_example(ALL_COLUMNS_CSV)
    assert report.returncode == 0, report.stderr
    got = []
    for line in report.stdout.split("\n\n")[0].splitlines():
        fields = line.split(None, 2)
        if fields[1] == "error":
            got.append(("error", fields[2]))
        else:
            rest = fields[2].split(None, 1) + [""]
            got.append((fields[1], rest[0], rest[1]))
    assert len(expected) == 17
    assert got == expected
    assert sum(1 for e in expected if e[0] == "error") == 7
