"""The struct paths of the package (issue 11, item 5): check() without JSON text, the Decision that holds
the C decision, check_many's bulk call (chipcheck_check_many) and the column API screen(). Each is compared,
on one seeded set of shipments that includes bad ones, with the JSON path (check_shipment of the same dict),
which stays the reference, and with fixed expected values."""
import datetime
import gc
import json
import pickle
import random

import pytest

import chipcheck
from chipcheck import Decision

CHIPS = ["H20", "H100", "h100 sxm5 80gb", "A10", "B200", "Instinct MI308X", "GeForce RTX 4090", "L40S", "nope",
         "H2000", "", "H20\u00a0"]
COUNTRIES = ["CN", "DE", "AE", "IR", "RU", "UA", "MO", "KP", "US", "VN", "HK", "SG", "XX", "cn", " "]
DATES = [None, "2022-10-06", "2023-11-17", "2024-06-01", "2025-05-02", "2025-08-01", "2026-02-01", "2025-02-30",
         "2025-5-2", datetime.date(2025, 1, 15)]
REGIONS = [None, None, None, "UA-43", "UA-30", "XX-1", "ua-14"]
ECCNS = [None, None, None, "3A991.p", "EAR99", "5A992.c", "3A090"]
DEFAULT = "2025-06-01"


def seeded(n=400, seed=11):
    """n shipments as check() keyword arguments, seeded: catalog chips and aliases, unknown and blank names,
    real, unknown, lower-case and blank countries, real and impossible dates, regions and ECCNs."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        to = rng.choice(COUNTRIES)
        kw = {"chip": rng.choice(CHIPS), "to": to, "date": rng.choice(DATES) or DEFAULT}
        if rng.random() < 0.8:
            kw["hq"] = to if rng.random() < 0.6 else rng.choice(COUNTRIES)
        if rng.random() < 0.3:
            kw["export_from"] = rng.choice(["US", "KR", "TW", "XX"])
        if to == "UA" or rng.random() < 0.1:
            kw["region"] = rng.choice(REGIONS)
        kw["eccn"] = rng.choice(ECCNS)
        if rng.random() < 0.5:
            kw["id"] = "SO-%d" % i
        out.append({k: v for k, v in kw.items() if v is not None})
    return out


def as_dict(kw):
    """The shipment dict (JSON path) of check() keyword arguments."""
    names = {"chip": "chip", "to": "destination", "hq": "end_user_hq", "date": "date", "export_from": "export_from",
             "region": "destination_region", "eccn": "eccn", "id": "id"}
    order = ["to", "chip"] + [k for k in kw if k not in ("to", "chip")]  # as check() writes it
    ship = {names[k]: kw[k] for k in order if k in kw}
    if isinstance(ship.get("date"), datetime.date):
        ship["date"] = ship["date"].isoformat()
    return ship


def outcome(fn):
    try:
        return fn()
    except chipcheck.Error as e:
        return e


def error_key(e):
    return (e.code, e.status, e.field, e.message, e.source, e.id)


SET = seeded()


def test_seeded_set_crosses_every_outcome(rules):
    kinds = [outcome(lambda: rules.check(**kw)) for kw in SET]
    verdicts = [k.verdict if isinstance(k, Decision) else k.code for k in kinds]
    for v in ("allowed", "license_required", "indeterminate", "CHIPCHECK_ERR_INPUT", "CHIPCHECK_ERR_NOT_FOUND"):
        assert verdicts.count(v) >= 10, (v, verdicts.count(v))


def test_check_struct_path_equals_json_path(rules):
    """check() (struct) and check_shipment() (JSON text) give the same decision, byte for byte, and the same
    errors; and the fields read through the C accessors equal those of the decoded JSON."""
    for kw in SET:
        fast = outcome(lambda: rules.check(**kw))
        ref = outcome(lambda: rules.check_shipment(as_dict(kw)))
        assert type(fast) is type(ref), kw
        if isinstance(ref, chipcheck.Error):
            assert error_key(fast) == error_key(ref), kw
            continue
        assert fast._held and fast._json is None  # nothing rendered yet
        fields = (fast.id, fast.verdict, fast.allowed, fast.review_policy, fast.codes, fast.missing,
                  fast.classification, fast.policy_may_be_stricter)
        assert fast._json is None, "a C accessor field rendered the JSON"
        data = ref.to_dict()
        plain = Decision(ref.to_json())  # a Decision of JSON text only: every field from the JSON
        assert fields == (plain.id, plain.verdict, plain.allowed, plain.review_policy, plain.codes, plain.missing,
                          plain.classification, plain.policy_may_be_stricter), kw
        assert fields[4] == [r["code"] for r in data["reasons"] if r["result"] is True]
        assert fast.to_dict() == data and fast.to_json() == ref.to_json(), kw


def test_screen_equals_check_verdict(rules):
    cols = {name: [kw.get(arg) for kw in SET] for name, arg in (
        ("chips", "chip"), ("to", "to"), ("hq", "hq"), ("dates", "date"), ("export_from", "export_from"),
        ("region", "region"), ("eccn", "eccn"))}
    got = rules.screen(date=DEFAULT, errors="yield", **cols)
    assert len(got) == len(SET)
    for kw, v in zip(SET, got):
        kw = {k: val for k, val in kw.items() if k != "id"}
        want = outcome(lambda: rules.check(**kw))
        if isinstance(want, chipcheck.Error):
            assert isinstance(v, chipcheck.Error) and error_key(v) == error_key(want), kw
        else:
            assert v == want.verdict, kw
    # the forms without region and eccn go through prepared chips (chipcheck_evaluator_verdicts_prepared) in
    # one call; same answers, and the same when the prepared-chip cache is full (the plain bulk call)
    four = rules.screen(cols["chips"], cols["to"], hq=cols["hq"], dates=cols["dates"], date=DEFAULT, errors="yield")
    five = rules.screen(cols["chips"], cols["to"], hq=cols["hq"], dates=cols["dates"], export_from=cols["export_from"],
                        date=DEFAULT, errors="yield")
    for kw, v, v5 in zip(SET, four, five):
        keep = {k: kw[k] for k in ("chip", "to", "hq", "date") if k in kw}
        want = outcome(lambda: rules.check(**keep))
        assert (v.message if isinstance(v, chipcheck.Error) else v) == \
            (want.message if isinstance(want, chipcheck.Error) else want.verdict), keep
        keep["export_from"] = kw.get("export_from")
        want = outcome(lambda: rules.check(**keep))
        assert (v5.message if isinstance(v5, chipcheck.Error) else v5) == \
            (want.message if isinstance(want, chipcheck.Error) else want.verdict), keep
    assert {c.encode() for c in cols["chips"] if c is not None} <= set(rules._local.chips)  # prepared, kept
    limit = chipcheck._MAX_PREPARED
    try:
        chipcheck._MAX_PREPARED = 0
        plain = rules.screen(cols["chips"], cols["to"], hq=cols["hq"], dates=cols["dates"], date=DEFAULT,
                             errors="yield")
    finally:
        chipcheck._MAX_PREPARED = limit
    assert [v if isinstance(v, str) else error_key(v) for v in plain] == \
        [v if isinstance(v, str) else error_key(v) for v in four]
    alias = rules.verdicts(cols["chips"], cols["to"], hq=cols["hq"], dates=cols["dates"], date=DEFAULT,
                           errors="yield")
    assert [v if isinstance(v, str) else error_key(v) for v in alias] == \
        [v if isinstance(v, str) else error_key(v) for v in four]


def test_screen_exact_values_and_errors(rules):
    got = rules.screen(["H20", "H20", "H100", "H20", "H20", "H20"], ["CN", "DE", "DE", "UA", "UA", "CN"],
                       hq=["CN", "DE", None, "UA", "UA", "CN"], region=[None, None, None, None, "UA-30", None],
                       dates=["2025-05-02", "2025-05-02", None, "2025-05-02", "2025-05-02", "2025-04-01"],
                       date="2025-06-01")
    assert got == ["license_required", "allowed", "indeterminate", "indeterminate", "allowed", "allowed"]
    got = rules.screen(["H20", "nope", "H20"], ["CN", "DE", "XX"], hq=["CN", None, None], date="2025-05-02",
                       errors="yield")
    assert got[0] == "license_required"
    assert (got[1].code, got[1].field) == ("CHIPCHECK_ERR_NOT_FOUND", "chip")
    assert (got[2].code, got[2].field) == ("CHIPCHECK_ERR_INPUT", "destination")
    with pytest.raises(chipcheck.Error) as e:
        rules.screen(["H20", "H20"], ["CN", "DE"], export_from=["US", "ZZ"], date="2025-05-02")
    assert (e.value.field, e.value.message) == (
        "export_from", "export_from: 'ZZ' is not an ISO 3166-1 alpha-2 country code")
    with pytest.raises(TypeError) as e:
        rules.screen(["H20", {"tpp": 1}], ["CN", "DE"])
    assert str(e.value) == "chips[1] must be a str or None, not dict"
    with pytest.raises(TypeError) as e:
        rules.screen(["H20", "H20"], ["CN", 7])
    assert str(e.value) == "to[1] must be a str or None, not int"
    with pytest.raises(ValueError) as e:
        rules.screen(["H20", "H20"], ["CN"])
    assert str(e.value) == "to has 1 entries; chips has 2"
    assert rules.screen([], []) == []


def test_screen_numpy_and_pandas_types(rules):
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    chips, to, hq = ["H20", "H20", "H100", "A10"], ["CN", "DE", "DE", "IR"], ["CN", "DE", None, "IR"]
    want = ["license_required", "allowed", "indeterminate", "license_required"]
    got = rules.screen(np.array(chips), np.array(to), hq=hq, dates=np.array(["2025-05-02"] * 4, dtype="datetime64[D]"))
    assert isinstance(got, np.ndarray) and got.dtype.kind == "U" and got.tolist() == want
    index = pd.Index([10, 20, 30, 40], name="line")
    frame = pd.DataFrame({"chip": chips, "to": to, "hq": hq, "date": pd.to_datetime(["2025-05-02"] * 4)}, index=index)
    got = rules.screen(frame["chip"], frame["to"], hq=frame["hq"], dates=frame["date"])
    assert isinstance(got, pd.Series) and got.name == "verdict" and list(got.index) == [10, 20, 30, 40]
    assert got.tolist() == want
    frame.loc[30, "hq"] = float("nan")  # NaN is absent, as None is
    assert rules.screen(frame["chip"], frame["to"], hq=frame["hq"], dates=frame["date"]).tolist() == want
    frame.loc[30, "chip"] = "nope"  # a bad row's error is its own, not the absent hq's
    bad = rules.screen(frame["chip"], frame["to"], hq=frame["hq"], dates=frame["date"], errors="yield")
    assert (bad[30].code, bad[30].field) == ("CHIPCHECK_ERR_NOT_FOUND", "chip") and bad[40] == want[3]
    bad = rules.screen(np.array(["H20", "nope"]), np.array(["CN", "CN"]), date="2025-05-02", errors="yield")
    assert bad.dtype == object and bad[0] == "license_required" and isinstance(bad[1], chipcheck.Error)


def test_check_many_bulk_equals_check(rules):
    """check_many over a list (blocks through chipcheck_check_many) and over a generator (one at a time) give
    what check_shipment gives each shipment alone, errors in place, fields prefilled from the C summary."""
    ships = [as_dict(kw) for kw in SET]
    ships[3] = dict(ships[3], chip={"name": "X1", "tpp": 2000, "datacenter": True})  # the JSON path, in the list
    ships[5] = dict(ships[5], quantity=3)
    bulk = list(rules.check_many(ships, date=DEFAULT, errors="yield"))
    lazy = list(rules.check_many(iter(ships), date=DEFAULT, errors="yield"))
    assert len(bulk) == len(lazy) == len(ships)
    for ship, a, b in zip(ships, bulk, lazy):
        ref = outcome(lambda: rules.check_shipment(ship, date=DEFAULT))
        for got in (a, b):
            assert type(got) is type(ref), ship
            if isinstance(ref, chipcheck.Error):
                assert error_key(got) == error_key(ref), ship
            else:
                assert (got.verdict, got.review_policy, got.codes, got.missing) == (
                    ref.verdict, ref.review_policy, ref.codes, ref.missing), ship
                assert got.to_json() == ref.to_json(), ship
    first_error = next(i for i, o in enumerate(bulk) if isinstance(o, chipcheck.Error))
    seen = []
    with pytest.raises(chipcheck.Error) as e:
        for d in rules.check_many(ships, date=DEFAULT):
            seen.append(d)
    assert len(seen) == first_error and error_key(e.value) == error_key(bulk[first_error])


def test_decisions_outlive_their_rules():
    """Decisions still holding their C decision are rendered by close(), whatever was read before; they stay
    readable and picklable after it, and equal to their JSON."""
    r = chipcheck.Rules.default()
    untouched = r.check("H20", "CN", hq="CN", date="2025-05-02", id="SO-1")
    read = r.check("H100", "DE", date="2025-05-02")
    assert (read.verdict, read.missing) == ("indeterminate", ["end_user_hq"])
    rendered = r.check("H20", "DE", hq="DE", date="2025-05-02")
    text = rendered.to_json()
    many = list(r.check_many([{"chip": "H20", "destination": "CN", "end_user_hq": "CN", "date": "2025-08-01"}]))
    dropped = r.check("H20", "CN")
    del dropped
    gc.collect()
    before = pickle.dumps(r.check("H20", "CN", hq="CN", date="2025-05-02", id="SO-1"))
    r.close()
    assert not untouched._held and untouched._keeper.texts  # rendered by close(), kept for it
    assert (untouched.id, untouched.verdict, untouched.review_policy) == ("SO-1", "license_required",
                                                                         "presumption_of_denial")
    assert untouched.reasons[0]["code"] == "3A090.a.1"
    assert untouched.codes == ["H20_CLASS_2025_04", "H20_EQUIV_BANDWIDTH_2025_04"]
    assert read.to_dict()["missing"] == ["end_user_hq"] and read.reasons
    assert rendered.to_json() == text and rendered.verdict == "allowed"
    assert (many[0].review_policy, many[0].to_dict()["review_policy"]) == ("presumption_of_approval",) * 2
    again = pickle.loads(pickle.dumps(untouched))
    assert again.to_json() == untouched.to_json() == pickle.loads(before).to_json()
    assert again.to_dict()["verdict"] == "license_required" and again.codes == untouched.codes
    assert json.loads(pickle.loads(pickle.dumps(read)).to_json())["verdict"] == "indeterminate"
    with pytest.raises(chipcheck.Error):
        r.check("H20", "CN")


def test_argument_kinds_take_the_right_path(rules):
    """A chip by figures, licenses, a quantity, a number id, a date object and text the struct cannot carry
    (a NUL, a lone surrogate) give the decision or error of the JSON path."""
    d = rules.check(chip="H20", to="CN", hq="CN", date=datetime.datetime(2025, 5, 2, 13, 0), id=42)
    assert (d.id, d.verdict) == ("42", "license_required")
    assert rules.check("H20", "CN", hq="CN", date="2025-05-02", quantity=8).verdict == "license_required"
    for kw in (dict(chip="H\x0020", to="CN"), dict(chip="H20", to="C\udcffN"), dict(chip="H20", to="CN", id="a\x00")):
        fast = outcome(lambda: rules.check(**kw))
        ref = outcome(lambda: rules.check_shipment(as_dict(kw)))
        assert isinstance(fast, chipcheck.Error) and error_key(fast) == error_key(ref), kw
    assert rules.check(chip="H20", to="CN", hq="CN", date="2024-01-02",
                       ruleset="us-ear-advanced-computing@2025-04-09").ruleset["version"] == "2025-04-09"
    for ruleset in ("us-ear-advanced-computing@2025-04-09", "us-ear-advanced-computing", "nope@1", "nope"):
        for kw in SET[:40]:
            fast = outcome(lambda: rules.check(ruleset=ruleset, **kw))
            ref = outcome(lambda: rules.check_shipment(as_dict(kw), ruleset=ruleset))
            assert (error_key(fast) if isinstance(fast, chipcheck.Error) else fast.to_json()) == \
                (error_key(ref) if isinstance(ref, chipcheck.Error) else ref.to_json()), (ruleset, kw)
            v = outcome(lambda: rules.verdict(ruleset=ruleset, **kw))
            assert (error_key(v) if isinstance(v, chipcheck.Error) else v) == \
                (error_key(ref) if isinstance(ref, chipcheck.Error) else ref.verdict), (ruleset, kw)


CLOSE_WHILE_DECIDING = r"""
import gc, random, threading, chipcheck
ref = chipcheck.Rules.default()
want = {c: ref.check(c, "CN", hq="CN", date="2025-05-02").to_json() for c in ("H20", "H100", "A10", "B200")}
ref.close()
for round_ in range(5):
    rules = chipcheck.Rules.default()
    kept, errors, made = [], [], [0]
    lock = threading.Lock()
    def work(seed):
        rng = random.Random(seed)
        while True:
            chip = rng.choice(sorted(want))
            try:
                if rng.random() < 0.1:
                    ds = list(rules.check_many([{"chip": chip, "destination": "CN", "end_user_hq": "CN",
                                                 "date": "2025-05-02"}] * 3))
                else:
                    ds = [rules.check(chip, "CN", hq="CN", date="2025-05-02")]
            except chipcheck.Error as e:
                if e.message != "the rule collection is closed":
                    errors.append(e.message)
                return
            for d in ds:
                r = rng.random()
                if r < 0.3:
                    d.verdict, d.codes, d.missing, d.review_policy
                elif r < 0.4:
                    d.to_json()
                with lock:
                    made[0] += 1
                    if rng.random() < 0.2:
                        kept.append((chip, d))
            if rng.random() < 0.01:
                gc.collect()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    while True:
        with lock:
            if made[0] >= 300:
                break
    rules.close()  # while the threads check, read, render and drop decisions
    for t in threads:
        t.join()
    assert not errors, errors
    assert all(d.to_json() == want[chip] for chip, d in kept), "a decision changed across close()"
    assert not rules._keeper.live
print("ok")
"""


def test_decisions_survive_close_while_threads_decide():
    """close() while other threads make, read, render and drop C-backed decisions: no crash, no decision
    lost or changed, nothing left held. In a child, so that a crash is a failure, not the end of the run."""
    import os
    import subprocess
    import sys
    run = subprocess.run([sys.executable, "-c", CLOSE_WHILE_DECIDING], capture_output=True, text=True,
                         env=os.environ.copy(), timeout=300)
    assert (run.returncode, run.stdout) == (0, "ok\n"), run.stderr
