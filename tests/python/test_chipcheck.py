"""Tests of the Python binding: verdicts, the trace, errors, batches, and the package itself."""
import ctypes
import ctypes.util
import datetime
import json
import os
import pickle
import re
import shutil
import subprocess
import sys

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
    # the headquarters rule reaches destinations outside D:1, D:4 and D:5 only (744.23(a)(3)(i)); the
    # embargo regime sees a 3A090 item as a CCL item
    assert held == ["3A090.a.1", "3A090.a.2", "D5_DESTINATION", "CCL_ITEM"]
    a1 = d.reasons[0]
    assert a1["citation"] == "15 CFR 774 Supp. 1, ECCN 3A090.a.1"
    assert a1["checks"] == [{"metric": "kind", "value": "accelerator", "op": "==", "threshold": "hbm",
                             "result": False, "negated": True, "source": "catalog"},
                            {"metric": "tpp", "value": 15832, "op": ">=", "threshold": 4800, "result": True,
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
     "date: '2025-02-30' is not a real calendar date"),
    (dict(chip={"name": "X", "tpp": -5}, to="CN"), "CHIPCHECK_ERR_INPUT", "chip.tpp",
     "chip.tpp: -5 is negative; figures are 0 or more"),
    (dict(chip="H2000", to="CN"), "CHIPCHECK_ERR_NOT_FOUND", "chip",
     "chip: no catalog chip is named 'H2000'; did you mean H200? Or give the chip's figures instead"),
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
    assert [v["version"] for v in versions][:3] == ["2022-08-26", "2022-10-07", "2023-01-17"]
    assert len(versions) == 24
    assert [v["id"] for v in versions].count("us-ear-embargoes") == 10
    assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", v["digest"]) for v in versions)
    assert "H20" in rules.chips()
    assert rules.chip("MI308")["name"] == "Instinct MI308X"
    v = rules.version("us-ear-advanced-computing@2025-07-14")
    assert [r["id"] for r in v["rules"] if r["kind"] == "allowance"] == [
        "HQ_CASE_BY_CASE_2024_04", "HBM_APPROVAL_2024_12", "CARVE_OUT_2024_12", "H20_MI308_APPROVAL_2025_07"]


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


def header_prototypes(path):
    """{name: (return type, [parameter types])} of every CHIPCHECK_API declaration of a header, with the
    comments and preprocessor lines removed first (a prototype may span lines)."""
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    protos = {}
    for stmt in text.split(";"):
        m = re.search(r"\bCHIPCHECK_API\b(.*?)\b(\w+)\s*\((.*)\)", stmt, re.S)
        if not m:
            continue
        ret, name, params = (" ".join(g.split()) for g in m.groups())
        types = []
        if params != "void":
            for param in params.split(","):
                # Drop the parameter's name: the last identifier, when something is left before it.
                pm = re.fullmatch(r"(.*?[\s*])(\w+)", param.strip())
                types.append(pm.group(1).strip() if pm else param.strip())
        assert name not in protos, "%s is declared twice" % name
        protos[name] = (ret, types)
    return protos


def expected_ctype(ctype, is_return):
    """The ctypes type the _ffi.py table must use for a C type (the binding's conventions)."""
    t = " ".join(ctype.replace("*", " * ").split())
    if t == "void":
        return None
    if t in ("int", "chipcheck_verdict"):   # enums are ints
        return ctypes.c_int
    if t in ("unsigned", "unsigned int"):
        return ctypes.c_uint
    if t == "size_t":
        return ctypes.c_size_t
    if t == "long":
        return ctypes.c_long
    if t == "const char *":
        return ctypes.c_char_p              # borrowed string
    if t == "char *":
        # An owned string must come back as a raw pointer, to be handed to chipcheck_free.
        return ctypes.c_void_p if is_return else ctypes.c_char_p
    if t in ("const char * *", "const char * const *"):
        return ctypes.POINTER(ctypes.c_char_p)
    if t == "chipcheck_error *":
        return ctypes.POINTER(_ffi.Error)
    if t == "const chipcheck_options *":
        return ctypes.POINTER(_ffi.Options)
    if t.endswith("*"):
        return ctypes.c_void_p              # opaque handles, and structs the binding does not mirror
    raise AssertionError("no ctypes mapping for the C type %r: teach this test and _ffi.py" % ctype)


HEADER = os.path.join(ROOT, "include", "chipcheck.h")


def test_binding_names_equal_header_and_library_exports():
    declared = set(header_prototypes(HEADER))
    assert len(declared) >= 40
    assert len(_ffi.NAMES) == len(set(_ffi.NAMES)), "a function is declared twice in _ffi.py"
    assert set(_ffi.NAMES) - declared == set(), "in _ffi.py but not in chipcheck.h"
    assert declared - set(_ffi.NAMES) == set(), "in chipcheck.h but not in _ffi.py"
    lib = os.environ["CHIPCHECK_LIBRARY"]
    nm = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
    exported = {line.split()[2].split("@")[0] for line in nm.splitlines()
                if len(line.split()) >= 3 and line.split()[2].startswith("chipcheck_")}
    assert exported == declared


def test_binding_signatures_mirror_the_header():
    """Each _ffi.py line has the header's number of arguments and the matching ctypes types, and every
    function that fills a chipcheck_error has the errcheck hook that raises from it."""
    for name, (ret, params) in sorted(header_prototypes(HEADER).items()):
        f = getattr(_ffi.lib, name)
        assert len(f.argtypes) == len(params), "%s: %d arguments in _ffi.py, %d in the header" % (
            name, len(f.argtypes), len(params))
        for i, (have, ctype) in enumerate(zip(f.argtypes, params)):
            assert have is expected_ctype(ctype, False), "%s argument %d (%s): %r" % (name, i, ctype, have)
        assert f.restype is expected_ctype(ret, True), "%s returns %s: %r" % (name, ret, f.restype)
        hook = getattr(f, "errcheck", None)
        if "chipcheck_error *" in params:
            want = _ffi._check_null if ret.endswith("*") else _ffi._check_status
            assert hook is want, "%s fills a chipcheck_error but its errcheck is %r" % (name, hook)


def test_header_parser_reads_multi_line_prototypes():
    protos = header_prototypes(HEADER)
    assert protos["chipcheck_rules_load_files"] == (
        "chipcheck_rules *", ["const char *const *", "size_t", "chipcheck_error *"])
    assert protos["chipcheck_version"] == ("const char *", [])
    assert protos["chipcheck_decision_json"] == ("char *", ["const chipcheck_decision *", "unsigned"])


def test_error_struct_size_matches_library():
    assert ctypes.sizeof(_ffi.Error) == _ffi.sizeof_error()
    assert chipcheck.version() == "0.2.0"


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


def test_import_without_a_library_says_what_to_do(tmp_path):
    """With no CHIPCHECK_LIBRARY, no library beside the package and none installed, the import fails and
    says the three ways out. (Installing into fresh venvs of every interpreter is tests/newcomer.sh item 1.)"""
    if ctypes.util.find_library("chipcheck"):
        pytest.skip("a libchipcheck is installed on this machine")
    pkg = tmp_path / "chipcheck"
    shutil.copytree(os.path.join(ROOT, "bindings", "python", "chipcheck"), str(pkg),
                    ignore=shutil.ignore_patterns("__pycache__", "libchipcheck.so*"))
    env = {k: v for k, v in os.environ.items() if k not in ("CHIPCHECK_LIBRARY", "PYTHONPATH")}
    run = subprocess.run([sys.executable, "-c", "import chipcheck"], capture_output=True, text=True, env=env,
                         cwd=str(tmp_path), timeout=60)
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1] == (
        "ImportError: chipcheck: libchipcheck.so.0 not found: install the package from a built tree (make, "
        "then pip install bindings/python: the wheel carries the library), set CHIPCHECK_LIBRARY to its path, "
        "or install the library (make install, then ldconfig)")


@pytest.mark.parametrize("chip,field,message", [
    ({"name": "X", "tpp": float("nan")}, "chip.tpp", "chip.tpp: nan is not a finite number"),
    ({"name": "X", "die_area_mm2": float("inf")}, "chip.die_area_mm2",
     "chip.die_area_mm2: inf is not a finite number"),
    ({"name": "X", "throughput": [{"precision": "fp16", "tops": float("-inf"), "bits": 16, "sparse": False}]},
     "chip.throughput.tops", "chip.throughput.tops: -inf is not a finite number"),
])
def test_non_finite_figures_name_the_field(rules, chip, field, message):
    """NaN and infinities are refused with the field named (json.dumps alone would write NaN, not JSON)."""
    with pytest.raises(chipcheck.Error) as e:
        rules.check(chip=chip, to="CN", hq="CN", date="2024-06-01", id="SO-9")
    assert (e.value.code, e.value.field, e.value.message, e.value.id) == ("CHIPCHECK_ERR_INPUT", field, message, "SO-9")


def test_error_attributes_str_and_pickle(rules):
    with pytest.raises(chipcheck.Error) as e:
        rules.check(chip="H20", to="XX", id="SO-3")
    err = e.value
    assert (err.code, err.status, err.field, err.source, err.line, err.column, err.id) == (
        "CHIPCHECK_ERR_INPUT", -6, "destination", "<shipment>", 0, 0, "SO-3")
    assert str(err) == "<shipment>: destination: 'XX' is not an ISO 3166-1 alpha-2 country code"
    again = pickle.loads(pickle.dumps(err))
    assert (again.message, again.code, again.field, again.id) == (err.message, err.code, err.field, err.id)
    assert isinstance(err, Exception)


def test_rule_file_error_has_file_line_column():
    where = os.path.join(ROOT, "tests", "rules", "invalid", "bad-op")
    with pytest.raises(chipcheck.Error) as e:
        chipcheck.Rules.from_dir(where)
    err = e.value
    assert (err.code, err.source, err.line, err.column, err.field) == (
        "CHIPCHECK_ERR_SCHEMA", os.path.join(where, "a.xml"), 9, 13, "cmp")
    assert str(err).startswith(os.path.join(where, "a.xml") + ":9:13: does not match the rule schema: ")


def test_date_objects_and_shipment_dicts(rules):
    d = rules.check(chip="H20", to="CN", hq="CN", date=datetime.date(2025, 5, 2))
    assert (d.verdict, d.review_policy, d.ruleset["version"]) == (
        "license_required", "presumption_of_denial", "2025-04-09")
    d = rules.check(chip="H20", to="CN", hq="CN", date=datetime.datetime(2025, 8, 1, 13, 30))
    assert d.review_policy == "presumption_of_approval"
    # A whole shipment dict, and the same as JSON text, give the same bytes.
    ship = {"id": "SO-1", "date": "2025-05-02", "destination": "CN", "end_user_hq": "CN", "chip": "H20"}
    assert rules.check_shipment(ship).to_json() == rules.check_shipment(json.dumps(ship)).to_json()
    # The default date of check_shipment/check_many applies only when the shipment has none.
    undated = {"destination": "CN", "end_user_hq": "CN", "chip": "H20"}
    assert rules.check_shipment(undated, date="2025-04-01").verdict == "allowed"
    assert rules.check_shipment(dict(undated, date="2025-05-02"), date="2025-04-01").verdict == "license_required"


def test_decision_fields_and_json(rules):
    d = rules.check(chip="H100", to="CN", hq="CN", date="2024-01-10", id="SO-42")
    data = d.to_dict()
    assert data == json.loads(d.to_json())
    assert data is not d.to_dict()
    assert (d.id, d.verdict, d.allowed, d.classification, d.missing) == (
        "SO-42", "license_required", False, ["3A090.a"], [])
    assert d.ruleset["id"] == "us-ear-advanced-computing"
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", d.ruleset["digest"])
    assert d.reasons == data["reasons"]
    assert all(r["result"] in (True, False, "unknown") for r in d.reasons)
    assert "\n" not in d.to_json()   # flags 0: one line, as in JSON Lines
    # Same input, same rules: the same bytes.
    assert rules.check(chip="H100", to="CN", hq="CN", date="2024-01-10", id="SO-42").to_json() == d.to_json()


def test_rules_context_manager_and_repr():
    with chipcheck.Rules.default() as r:
        assert repr(r) == "<chipcheck.Rules: %d rule-set versions, %d chips>" % (len(r.versions()), len(r.chips()))
        d = r.check(chip="H20", to="CN", hq="CN", date="2025-05-02")
    assert repr(r) == "<chipcheck.Rules (closed)>"
    assert d.verdict == "license_required"   # a Decision outlives its Rules: it holds Python data only
    with pytest.raises(chipcheck.Error):
        r.versions()


def test_check_many_is_lazy_and_ids_errors(rules):
    def gen():
        yield {"id": "a", "chip": "H20", "destination": "CN", "end_user_hq": "CN", "date": "2025-05-02"}
        yield {"id": "b", "chip": "H20", "destination": "CN", "date": "2025-02-30"}
        raise AssertionError("check_many read past the item it was asked for")
    it = rules.check_many(gen(), errors="yield")
    assert next(it).verdict == "license_required"
    bad = next(it)
    assert isinstance(bad, chipcheck.Error) and (bad.id, bad.field) == ("b", "date")
    with pytest.raises(ValueError):
        list(rules.check_many([], errors="ignore"))


def test_check_exports_script_reports_differences(tmp_path):
    """tests/check_exports.sh (make export-test) fails, naming the function, when header and library differ."""
    script = os.path.join(ROOT, "tests", "check_exports.sh")
    lib = os.environ["CHIPCHECK_LIBRARY"]
    ok = subprocess.run(["sh", script, HEADER, lib], capture_output=True, text=True)
    assert (ok.returncode, ok.stdout) == (0, "exports: %d passed, 0 failed\n" % len(header_prototypes(HEADER)))
    text = open(HEADER).read()
    extra = tmp_path / "extra.h"
    extra.write_text(text.replace("#endif /* CHIPCHECK_H */",
                                  "CHIPCHECK_API int\n  chipcheck_not_there(int a,\n  int b);\n#endif"))
    run = subprocess.run(["sh", script, str(extra), lib], capture_output=True, text=True)
    assert run.returncode == 1
    assert "exports: chipcheck_not_there is declared CHIPCHECK_API in %s but not exported" % extra in run.stdout
    missing = tmp_path / "missing.h"
    missing.write_text(re.sub(r"CHIPCHECK_API int chipcheck_reason_result\([^;]*;", "", text))
    run = subprocess.run(["sh", script, str(missing), lib], capture_output=True, text=True)
    assert run.returncode == 1
    assert "exports: chipcheck_reason_result is exported by %s but not declared" % lib in run.stdout


def test_check_exports_script_catches_stray_symbols(tmp_path):
    """A global symbol without the chipcheck_ prefix (function or data) fails the export check."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler to build a stray-symbol library")
    src = tmp_path / "stray.c"
    src.write_text("int chipcheck_version_number(void) { return 1; }\n"
                   "int helper_leak(void) { return 2; }\nint table_leak[4];\n")
    lib = tmp_path / "libstray.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
    header = tmp_path / "stray.h"
    header.write_text("#define CHIPCHECK_API\nCHIPCHECK_API int chipcheck_version_number(void);\n")
    run = subprocess.run(["sh", os.path.join(ROOT, "tests", "check_exports.sh"), str(header), str(lib)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "helper_leak is exported" in run.stdout and "table_leak is exported" in run.stdout
    assert run.stdout.endswith("exports: 1 passed, 2 failed\n")


def test_library_found_next_to_the_package(tmp_path):
    """Without CHIPCHECK_LIBRARY, a libchipcheck.so.0 placed next to the package is the one loaded."""
    pkg = tmp_path / "chipcheck"
    shutil.copytree(os.path.join(ROOT, "bindings", "python", "chipcheck"), str(pkg),
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(os.environ["CHIPCHECK_LIBRARY"], str(pkg / "libchipcheck.so.0"))
    env = {k: v for k, v in os.environ.items() if k not in ("CHIPCHECK_LIBRARY", "PYTHONPATH")}
    code = ("import chipcheck, chipcheck._ffi as f; print(f.lib._name == %r, chipcheck.version())"
            % str(pkg / "libchipcheck.so.0"))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert run.stdout == "True 0.2.0\n"


def test_threads_share_one_rule_collection(rules):
    """ctypes releases the GIL around each call, so threads really do check concurrently on one collection."""
    import concurrent.futures
    cases = [("H20", "2025-04-01"), ("H20", "2025-05-02"), ("H20", "2025-08-01"), ("H100", "2024-01-10")] * 50
    want = [rules.check(chip=c, to="CN", hq="CN", date=d).to_json() for c, d in cases]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda cd: rules.check(chip=cd[0], to="CN", hq="CN", date=cd[1]).to_json(), cases))
    assert got == want


def test_not_found_lookups_raise(rules):
    with pytest.raises(chipcheck.Error) as e:
        rules.chip("H2000")
    assert e.value.code == "CHIPCHECK_ERR_NOT_FOUND"
    with pytest.raises(chipcheck.Error) as e:
        rules.version("us-ear-advanced-computing@1999-01-01")
    assert e.value.code == "CHIPCHECK_ERR_NOT_FOUND"
    assert rules.chip("h-20")["name"] == "H20"   # case, spaces and hyphens ignored


def test_embargo_regime_region_eccn_and_scope(rules):
    d = rules.check(chip="RTX 4090 D", to="KP", hq="KP", date="2025-06-01")
    assert d.verdict == "license_required"
    assert [(r["id"], r["verdict"]) for r in d.rulesets] == [
        ("us-ear-advanced-computing", "allowed"), ("us-ear-embargoes", "license_required")]
    assert d.ruleset["id"] == "us-ear-advanced-computing"
    assert "RESTRICTED_PARTIES" in [n["code"] for n in d.not_screened]
    assert all(n["text"] and n["label"] for n in d.not_screened)
    u = rules.check(chip="RTX 4090 D", to="UA", hq="UA", date="2025-06-01")
    assert (u.verdict, u.missing) == ("indeterminate", ["destination_region"])
    c = rules.check(chip="RTX 4090 D", to="UA", hq="UA", date="2025-06-01", region="UA-43")
    assert c.verdict == "license_required"
    s = rules.check(chip="RTX 4090 D", to="SY", hq="SY", date="2025-10-01", eccn="EAR99", exception="SPP")
    assert s.verdict == "allowed"
    with pytest.raises(chipcheck.Error) as e:
        rules.check(chip="H20", to="UA", region="RU-CR", date="2025-06-01")
    assert e.value.field == "destination_region"


def test_freshness_and_policy_may_be_stricter(rules):
    assert rules.check(chip="H20", to="DE", hq="DE", date="2026-07-23").freshness == []
    late = rules.check(chip="H20", to="DE", hq="DE", date="2026-07-24")
    assert late.freshness == [
        {"regime": "us-ear-advanced-computing", "reviewed": "2026-07-23", "days_after": 1},
        {"regime": "us-ear-embargoes", "reviewed": "2026-07-23", "days_after": 1}]
    assert late.verdict == "allowed"
    m = rules.check(chip="MI308X", to="CN", hq="CN", date="2025-08-10")
    assert (m.review_policy, m.policy_may_be_stricter, m.missing) == (
        "presumption_of_approval", True, ["die_area_mm2", "interconnect_bandwidth_gbs", "memory_bandwidth_gbs", "tpp"])
    assert {v["reviewed"] for v in rules.versions()} == {"2026-07-23"}


def test_shipment_text_with_nul_is_refused(rules):
    """Issue 9, item 5: text after a NUL was ignored (the C string ends there), so this came out allowed."""
    text = '{"destination":"CN","chip":"H20","date":"2025-05-02"}\x00,"end_user_hq":"CN"}'
    for given in (text, text.encode()):
        with pytest.raises(chipcheck.Error) as e:
            rules.check_shipment(given)
        assert e.value.code == "CHIPCHECK_ERR_PARSE"
        assert e.value.message == "the shipment text holds a NUL character at byte 53; expected JSON text"
        assert e.value.offset == 53
    # in a dict, json.dumps writes the NUL as \u0000, which the library refuses naming the field
    with pytest.raises(chipcheck.Error) as e:
        rules.check(chip={"name": "\x00H20", "tpp": 100}, to="CN", date="2025-05-02")
    assert (e.value.field, e.value.message) == ("chip.name", "chip.name: holds a NUL character (\\u0000)")
    # check_many with errors="yield" goes on after such a line
    out = list(rules.check_many([text, {"chip": "H20", "destination": "DE", "end_user_hq": "DE"}], errors="yield"))
    assert [type(o).__name__ for o in out] == ["Error", "Decision"]


def test_nul_in_other_arguments_is_a_value_error(rules):
    """A NUL would cut the C string: a ruleset, a name or a path is never silently read shorter."""
    with pytest.raises(ValueError):
        rules.check(chip="H20", to="CN", date="2025-05-02", ruleset="us-ear-advanced-computing@2025-04-09\x00x")
    with pytest.raises(ValueError):
        rules.chip("H20\x00 and more")
    with pytest.raises(ValueError):
        rules.version("us-ear-advanced-computing@2025-04-09\x00")
    with pytest.raises(ValueError):
        chipcheck.Rules.from_dir(os.path.join(ROOT, "rules") + "\x00/elsewhere")


def test_wrong_argument_types_raise_type_error(rules):
    """Issue 9, item 14: wrong types are TypeError (they raised AttributeError), and one path given to
    from_files is refused rather than read as one-letter paths."""
    with pytest.raises(TypeError, match="id_at_version must be a str"):
        rules.version(None)
    with pytest.raises(TypeError, match="ruleset must be a str"):
        rules.check(chip="H20", to="CN", ruleset=5)
    with pytest.raises(TypeError, match="name must be a str"):
        rules.chip(b"H20")
    with pytest.raises(TypeError, match="date must be a str"):
        rules.check(chip="H20", to="CN", date=20250502)
    with pytest.raises(TypeError, match="a shipment must be a dict or JSON text"):
        rules.check_shipment(["H20", "CN"])
    for one in ("a.xml", b"a.xml", __import__("pathlib").Path("a.xml")):
        with pytest.raises(TypeError, match="paths must be a list of paths"):
            chipcheck.Rules.from_files(one)
    with pytest.raises(TypeError):
        chipcheck.Rules.from_dir(5)


CLOSE_WHILE_CHECKING = r"""
import threading, chipcheck
rules = chipcheck.Rules.default()
start = threading.Barrier(5)
done = {"decisions": 0, "closed": 0, "other": 0}
lock = threading.Lock()
def worker():
    start.wait()
    while True:
        try:
            rules.check(chip="H20", to="CN", hq="CN", date="2025-05-02")
            key = "decisions"
        except chipcheck.Error as e:
            key = "closed" if e.message == "the rule collection is closed" else "other"
        with lock:
            done[key] += 1
        if key != "decisions":
            return
threads = [threading.Thread(target=worker) for _ in range(4)]
for t in threads:
    t.start()
start.wait()
while True:
    with lock:
        if done["decisions"] >= 200:
            break
rules.close()
for t in threads:
    t.join()
print(done["closed"], done["other"], done["decisions"] >= 200)
"""


def test_close_waits_for_checks_in_flight():
    """Issue 9, item 9: close() while other threads check crashed the interpreter (the handle was read
    outside the lock and close() did not wait). Run in a child, so that a crash is a failure, not the end
    of the test run."""
    for _ in range(5):
        run = subprocess.run([sys.executable, "-c", CLOSE_WHILE_CHECKING], capture_output=True, text=True,
                             env=os.environ.copy(), timeout=120)
        assert run.returncode == 0, run.stderr
        assert run.stdout == "4 0 True\n"


def test_wrong_library_is_an_import_error(tmp_path):
    """Issue 9, item 14: CHIPCHECK_LIBRARY naming another library, or a libchipcheck without a function the
    package needs, raised AttributeError; the documented error is ImportError."""
    cc = shutil.which("cc") or shutil.which("gcc")
    src = tmp_path / "old.c"
    src.write_text("int chipcheck_version_number(void) { return 100; }\n"
                   "const char *chipcheck_version(void) { return \"0.1.0\"; }\n")
    old = tmp_path / "libchipcheck.so.0.0.9"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(old), str(src)], check=True)
    libc = ctypes.util.find_library("c")
    for lib, symbol in ((str(old), "chipcheck_status_name"), (libc, "chipcheck_version")):
        env = dict(os.environ, CHIPCHECK_LIBRARY=lib)
        run = subprocess.run([sys.executable, "-c", "import chipcheck"], capture_output=True, text=True, env=env)
        assert run.returncode == 1
        last = run.stderr.strip().splitlines()[-1]
        assert last == ("ImportError: chipcheck: %s has no %s: it is not libchipcheck, or older than this package "
                        "(0.x with every function of include/chipcheck.h)" % (lib, symbol)), run.stderr


def test_headroom_h20_before_the_april_2025_letters(rules):
    h = rules.headroom("H20", "CN", date="2025-03-01")
    assert h["outcome"]["verdict"] == "allowed"
    line = h["nearest_line"]
    assert (line["metric"], line["op"], line["line"], line["change"], line["change_pct"]) == ("tpp", ">=", 2400, 32, 1.35)
    assert (line["before"]["value"], line["before"]["verdict"]) == (2399.999, "allowed")
    assert (line["after"]["value"], line["after"]["verdict"], line["after"]["review_policy"]) == \
        (2400, "license_required", "case_by_case")
    assert [r["rule"] for r in line["rules"]] == ["3A090.b.1"]
    assert line["confirmed"] is True
    flips = [(d["date"], d["after"]["verdict"], d["after"]["review_policy"], d["gained"]) for d in h["date_flips"]]
    assert flips == [("2025-04-09", "license_required", "presumption_of_denial",
                      ["H20_CLASS_2025_04", "H20_EQUIV_BANDWIDTH_2025_04"]),
                     ("2025-07-14", "license_required", "presumption_of_approval", ["H20_MI308_ALLOWANCE_2025_07"])]
    # every flip, checked again through check() on both sides of its line (TPP moves with the die area, so the
    # performance density stays where the analysis holds it)
    density = h["metrics"]["performance_density"]["value"]
    for f in h["flips"]:
        for side in ("before", "after"):
            x = f[side]["value"]
            chip = {"catalog": "H20", "tpp": x, "die_area_mm2": x / density} if f["metric"] == "tpp" else \
                {"catalog": "H20", "tpp": 2368, "die_area_mm2": 2368 / x}
            d = rules.check(chip=chip, to="CN", date="2025-03-01")
            assert (d.verdict, d.review_policy) == (f[side]["verdict"], f[side]["review_policy"])


def test_envelope_new_design_to_china(rules):
    e = rules.envelope("CN", date="2024-01-01")
    assert e["envelope"]["verdict"] == "allowed"
    assert [[c["text"] for c in alt] for alt in e["envelope"]["any"]] == [
        ["tpp < 1600"], ["tpp < 2400", "performance_density < 3.2"], ["tpp < 4800", "performance_density < 1.6"]]
    e = rules.envelope("CN", date="2024-01-01", datacenter=False)
    assert [c["text"] for c in e["envelope"]["all"]] == ["tpp < 4800"]
    e = rules.envelope("CN", chip="RTX 4090 D", date="2024-01-01", metrics=["tpp", "performance_density"])
    assert e["chip"]["placed"] is True
    assert (e["chip"]["nearest_line"]["line"], e["chip"]["nearest_line"]["change_pct"]) == (4800, 1.98)


def test_analysis_errors_raise(rules):
    with pytest.raises(chipcheck.Error) as e:
        rules.envelope("CN", date="2024-01-01", metrics=["tops_per_watt"])
    assert (e.value.code, e.value.field) == ("CHIPCHECK_ERR_ARG", "metrics")
    with pytest.raises(chipcheck.Error) as e:
        rules.headroom("H20", "XX", date="2024-01-01")
    assert (e.value.code, e.value.field) == ("CHIPCHECK_ERR_INPUT", "destination")
