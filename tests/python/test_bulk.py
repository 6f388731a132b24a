"""The fast paths of the package: Rules.verdict() (verdict-only, no trace), Rules.verdicts() (columns in one
call into the library, lists or numpy arrays), and the lazy Decision. Each answer is checked against fixed
expected verdicts and against `chipcheck batch --brief` on the same shipments."""
import itertools
import json
import os
import subprocess

import pytest

import chipcheck

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.environ.get("CHIPCHECK_CLI") or os.path.join(ROOT, "build", "chipcheck")

CHIPS = ["H20", "H100 SXM5 80GB", "A10", "B200", "Instinct MI308X", "GeForce RTX 4090"]
DESTS = ["CN", "DE", "AE", "IR", "RU", "UA", "MO", "KP", "US", "VN"]
HQS = [None, "CN", "DE"]
DATES = [None, "2022-10-06", "2023-11-17", "2025-05-02"]


def _grid():
    return list(itertools.product(CHIPS, DESTS, HQS, DATES))


def _batch_verdicts(grid, default_date):
    lines = []
    for chip, to, hq, date in grid:
        ship = {"chip": chip, "destination": to}
        if hq is not None:
            ship["end_user_hq"] = hq
        if date is not None:
            ship["date"] = date
        lines.append(json.dumps(ship))
    out = subprocess.run([CLI, "batch", "--brief", "--date", default_date], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=False).stdout.splitlines()
    assert len(out) == len(grid)
    return [json.loads(line)["verdict"] for line in out]


def test_verdicts_equal_batch_and_check(rules):
    grid = _grid()
    chips, to, hq, dates = (list(col) for col in zip(*grid))
    got = rules.verdicts(chips, to, hq=hq, dates=dates, date="2024-06-01")
    assert got == _batch_verdicts(grid, "2024-06-01")
    one = [rules.verdict(c, t, hq=h, date=d or "2024-06-01") for c, t, h, d in grid]
    assert got == one
    for i in range(0, len(grid), 37):  # and the traced decision, on a sample
        c, t, h, d = grid[i]
        assert rules.check(c, t, hq=h, date=d or "2024-06-01").verdict == got[i]
    assert got.count("allowed") > 50 and got.count("license_required") > 50 and got.count("indeterminate") > 20


def test_verdicts_exact_values(rules):
    got = rules.verdicts(["H20", "H100 SXM5 80GB", "H20", "A10", "H20"], ["CN", "DE", "UA", "IR", "DE"],
                         hq=["CN", None, "UA", "IR", "DE"],
                         dates=["2025-05-02", None, "2025-05-02", "2024-01-01", "2025-05-02"], date="2025-06-01")
    assert got == ["license_required", "indeterminate", "indeterminate", "license_required", "allowed"]
    assert rules.verdict("H20", "CN", hq="CN", date="2025-05-02") == "license_required"
    assert rules.verdict("H20", "DE", hq="DE", date="2025-05-02") == "allowed"
    assert rules.verdict("H20", "UA", hq="UA", date="2025-05-02") == "indeterminate"
    assert rules.verdict("H20", "UA", hq="UA", date="2025-05-02", region="UA-30") == "allowed"
    assert rules.verdicts([], []) == []


def test_verdicts_errors(rules):
    got = rules.verdicts(["H20", "nope", "H20"], ["CN", "DE", "XX"], hq=["CN", None, None], date="2025-05-02",
                         errors="yield")
    assert got[0] == "license_required"
    assert isinstance(got[1], chipcheck.Error) and got[1].field == "chip" and "nope" in got[1].message
    assert isinstance(got[2], chipcheck.Error) and got[2].field == "destination"
    with pytest.raises(chipcheck.Error) as e:
        rules.verdicts(["H20", "nope"], ["CN", "DE"], date="2025-05-02")
    assert e.value.code == "CHIPCHECK_ERR_NOT_FOUND"
    with pytest.raises(ValueError):
        rules.verdicts(["H20"], ["CN", "DE"])
    with pytest.raises(TypeError):
        rules.verdicts([42], ["CN"])
    with pytest.raises(ValueError):
        rules.verdicts(["H\x0020"], ["CN"])
    with pytest.raises(chipcheck.Error):
        rules.verdict("nope", "CN")


def test_verdicts_numpy_columns(rules):
    np = pytest.importorskip("numpy")
    grid = _grid()
    chips, to, hq, dates = (list(col) for col in zip(*grid))
    want = rules.verdicts(chips, to, hq=hq, dates=dates, date="2024-06-01")
    got = rules.verdicts(np.array(chips), np.array(to), hq=hq, dates=dates, date="2024-06-01")
    assert got == want


def test_decision_renders_and_decodes_lazily(rules):
    d = rules.check("H20", "CN", hq="CN", date="2025-05-02")
    assert d._json is None and d._decoded is None and d._held  # the C decision, nothing rendered yet
    assert (d.verdict, d.review_policy, d.codes, d.missing, d.classification) == (
        "license_required", "presumption_of_denial", ["H20_CLASS_2025_04", "H20_EQUIV_BANDWIDTH_2025_04"], [], [])
    assert d._json is None and d._decoded is None  # read through the C accessors
    text = d.to_json()
    assert d._decoded is None and not d._held and json.loads(text)["verdict"] == "license_required"
    assert d.reasons[0]["code"] == "3A090.a.1" and d._decoded is not None
    # once rendered, the same fields come from the JSON
    assert (d.verdict, d.review_policy, d.codes, d.missing, d.classification) == (
        "license_required", "presumption_of_denial", ["H20_CLASS_2025_04", "H20_EQUIV_BANDWIDTH_2025_04"], [], [])


def test_verdict_evaluators_freed_on_close():
    r = chipcheck.Rules.default()
    assert r.verdict("H20", "CN", hq="CN", date="2025-05-02") == "license_required"
    r.close()
    with pytest.raises(chipcheck.Error):
        r.verdict("H20", "CN", hq="CN", date="2025-05-02")
