"""Tests of the Python binding: verdicts, the trace, errors, batches, and the package itself."""
import json
import os
import re
import subprocess
import sys
import tempfile

import pytest

import chipcheck
from chipcheck import _ffi

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_h20_timeline(rules):
    assert rules.check(chip="H20", to="CN", hq="CN", date="2025-04-01").verdict == "allowed"
    d = rules.check(chip="H20", to="CN", hq="CN", date="2025-05-02")
    assert d.verdict == "license_required"
    assert d.review_policy == "presumption_of_denial"
    assert d.allowed is False
    d = rules.check(chip="H20", to="CN", hq="CN", date="2025-08-01")
    assert d.verdict == "license_required"
    assert d.review_policy == "presumption_of_approval"
    assert d.conditions[1].startswith("Reported, not codified: 15% of the revenue")


def test_h100_classification_and_reasons(rules):
    d = rules.check(chip="H100", to="CN", hq="CN", date="2024-01-10")
    assert d.verdict == "license_required"
    assert d.classification == ["3A090.a"]
    held = [r["code"] for r in d.reasons if r["result"] is True]
    assert held == ["3A090.a.1", "3A090.a.2", "D5_DESTINATION", "HQ_D5_OR_MACAU"]
    a1 = d.reasons[0]
    assert a1["citation"] == "15 CFR 774 Supp. 1, ECCN 3A090.a.1"
    assert a1["checks"] == [{"metric": "tpp", "value": 15832, "op": ">=", "threshold": 4800, "result": True,
                             "source": "derived",
                             "how": "tpp = highest over dense throughput of tops * bits: fp16 989.5 tops x 16 bits = 15832"}]
    assert d.ruleset["version"] == "2023-11-17"


def test_missing_die_area_is_indeterminate(rules):
    d = rules.check(chip={"name": "X1", "tpp": 2000, "datacenter": True}, to="CN", hq="CN", date="2024-06-01")
    assert d.verdict == "indeterminate"
    assert d.missing == ["die_area_mm2"]
    assert d.allowed is False


def test_germany_needs_the_headquarters(rules):
    assert rules.check(chip="H100", to="DE", hq="DE", date="2024-06-01").verdict == "allowed"
    d = rules.check(chip="H100", to="DE", date="2024-06-01")
    assert d.verdict == "indeterminate"
    assert d.missing == ["end_user_hq"]


def test_license_held_allows(rules):
    lic = [{"id": "L-1", "destination": "CN", "valid_from": "2025-08-10", "valid_to": "2026-08-09", "products": ["H20"]}]
    d = rules.check(chip="H20", to="CN", hq="CN", date="2025-09-01", licenses=lic, id="SO-7")
    assert d.verdict == "allowed"
    assert d.id == "SO-7"
    assert d.to_dict()["license"] == "L-1"


@pytest.mark.parametrize("kwargs,code,field,message", [
    (dict(chip="H20", to="XX"), "CHIPCHECK_ERR_INPUT", "destination",
     "destination: 'XX' is not an ISO 3166-1 alpha-2 country code"),
    (dict(chip="H20", to="CN", date="2025-02-30"), "CHIPCHECK_ERR_INPUT", "date",
     "date: '2025-02-30' is not a real calendar date (YYYY-MM-DD)"),
    (dict(chip={"name": "X", "tpp": -5}, to="CN"), "CHIPCHECK_ERR_INPUT", "chip.tpp",
     "chip.tpp: -5 is negative; figures are 0 or more"),
    (dict(chip="H2000", to="CN"), "CHIPCHECK_ERR_NOT_FOUND", "chip",
     "chip: no catalog chip is named 'H2000'; give the chip's figures instead"),
])
def test_errors_raise_with_field(rules, kwargs, code, field, message):
    with pytest.raises(chipcheck.Error) as e:
        rules.check(**kwargs)
    assert e.value.code == code
    assert e.value.field == field
    assert e.value.message == message
    assert e.value.source == "<shipment>"


def test_check_many_in_order_and_errors_yielded(rules):
    ships = [{"id": "1", "chip": "H100", "destination": "CN", "date": "2024-01-10"},
             {"id": "2", "chip": "H100", "destination": "ZZ"},
             {"id": "3", "chip": "H20", "destination": "JP", "end_user_hq": "JP", "date": "2025-05-02"}]
    out = list(rules.check_many(ships, errors="yield"))
    assert [type(o).__name__ for o in out] == ["Decision", "Error", "Decision"]
    assert [out[0].id, out[2].id] == ["1", "3"]
    assert [out[0].verdict, out[2].verdict] == ["license_required", "allowed"]
    with pytest.raises(chipcheck.Error):
        list(rules.check_many(ships))


def test_versions_chips_and_version_description(rules):
    versions = rules.versions()
    assert [v["version"] for v in versions][:3] == ["2022-08-26", "2022-10-07", "2023-01-18"]
    assert len(versions) == 13
    assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", v["digest"]) for v in versions)
    assert "H20" in rules.chips()
    assert rules.chip("MI308")["name"] == "Instinct MI308X"
    v = rules.version("us-ear-advanced-computing@2025-07-14")
    assert [r["id"] for r in v["rules"] if r["kind"] == "allowance"] == ["H20_MI308_APPROVAL_2025_07"]


def test_module_level_check_and_forced_ruleset():
    d = chipcheck.check("H20", "CN", date="2024-01-01", ruleset="us-ear-advanced-computing@2025-04-09")
    assert d.verdict == "license_required"
    assert d.ruleset["version"] == "2025-04-09"


def test_rules_from_dir_equals_default(rules):
    other = chipcheck.Rules.from_dir(os.path.join(ROOT, "rules"))
    try:
        assert other.versions() == rules.versions()
    finally:
        other.close()
    with pytest.raises(chipcheck.Error) as e:
        chipcheck.Rules.from_dir(os.path.join(ROOT, "tests", "rules", "invalid", "bad-op"))
    assert e.value.code == "CHIPCHECK_ERR_SCHEMA"
    assert (e.value.line, e.value.column) == (9, 13)


def test_closed_rules_raise():
    r = chipcheck.Rules.default()
    r.close()
    r.close()
    with pytest.raises(chipcheck.Error):
        r.check(chip="H20", to="CN")


def test_binding_in_step_with_header_and_library():
    header = open(os.path.join(ROOT, "include", "chipcheck.h")).read()
    declared = set(re.findall(r"CHIPCHECK_API\s[^;(]*?\b(chipcheck_\w+)\s*\(", header))
    assert len(declared) >= 40
    assert set(_ffi.NAMES) == declared
    assert len(_ffi.NAMES) == len(set(_ffi.NAMES))
    lib = os.environ["CHIPCHECK_LIBRARY"]
    nm = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
    exported = {line.split()[-1] for line in nm.splitlines() if line.split()[-1].startswith("chipcheck_")}
    assert exported == declared


def test_error_struct_size_matches_library():
    import ctypes
    assert ctypes.sizeof(_ffi.Error) == _ffi.sizeof_error()
    assert chipcheck.version() == "0.1.0"


def test_decisions_do_not_leak():
    """Many decisions through the binding leave the process size flat (each C object is freed)."""
    def rss_kb():
        with open("/proc/self/status") as f:
            return int(next(l for l in f if l.startswith("VmRSS")).split()[1])
    r = chipcheck.Rules.default()
    for _ in range(300):
        r.check(chip="H20", to="CN", hq="CN", date="2025-05-02")
    before = rss_kb()
    for _ in range(3000):
        r.check(chip="H20", to="CN", hq="CN", date="2025-05-02")
    grown = rss_kb() - before
    r.close()
    assert grown < 4096, "RSS grew by %d KiB over 3000 decisions" % grown


def test_pip_install_into_venv_offline(tmp_path):
    venv = tmp_path / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip("python3 -m venv is not available here: " + made.stderr.strip()[-200:])
    py = str(venv / "bin" / "python")
    inst = subprocess.run([py, "-m", "pip", "install", "--no-index", "--no-build-isolation", "--quiet",
                           os.path.join(ROOT, "bindings", "python")], capture_output=True, text=True)
    assert inst.returncode == 0, inst.stdout + inst.stderr
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    code = ("import chipcheck, os; assert os.path.dirname(chipcheck.__file__).startswith(%r); "
            "print(chipcheck.check('H20', 'CN', hq='CN', date='2025-05-02').verdict)" % str(venv))
    run = subprocess.run([py, "-c", code], capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "license_required"
