"""chipcheck.screen_frame (pandas) and chipcheck.dask.screen on a real distributed.LocalCluster of two worker
processes, checked line for line against `chipcheck batch` on the same lines."""
import json
import logging
import os
import subprocess
import sys
import tempfile

import pytest

import chipcheck

pd = pytest.importorskip("pandas", reason="pandas is not installed: `make deps` installs python3-pandas")
np = pytest.importorskip("numpy", reason="numpy is not installed: `make deps` installs python3-pandas")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RESULTS = ["verdict", "review_policy", "codes", "missing", "error"]


def small_frame():
    return pd.DataFrame({
        "id": ["a", "b", "c", "d", "e", "f"],
        "date": ["2025-05-02", "2024-06-01", "2024-06-01", "2025-05-02", "2025-05-02", pd.Timestamp("2024-01-10")],
        "destination": ["CN", "DE", "CN", "XX", "CN", "CN"],
        "end_user_hq": ["CN", "DE", "CN", "CN", "CN", None],
        "chip": ["H20", "H100", None, "H20", None, "H100"],
        "name": [None, None, "X1", None, "X2", None],
        "tpp": [np.nan, np.nan, 2000, np.nan, "abc", np.nan],
        "datacenter": [None, None, True, None, None, None],
        "order_no": [101, 102, 103, 104, 105, 106],
    }, index=[10, 20, 30, 40, 50, 60])


def test_screen_frame_small():
    df = small_frame()
    out = chipcheck.screen_frame(df, ignore=["order_no"])
    assert list(out.columns) == list(df.columns) + RESULTS
    assert list(out.index) == [10, 20, 30, 40, 50, 60]
    assert list(out["order_no"]) == [101, 102, 103, 104, 105, 106]
    assert list(df.columns)[-1] == "order_no"  # the caller's frame is left as it was
    assert out[RESULTS].to_dict("records") == [
        {"verdict": "license_required", "review_policy": "presumption_of_denial",
         "codes": ["H20_CLASS_2025_04", "H20_EQUIV_BANDWIDTH_2025_04"], "missing": [], "error": None},
        {"verdict": "allowed", "review_policy": None, "codes": ["3A090.a.1", "3A090.a.2", "CCL_ITEM"],
         "missing": [], "error": None},
        {"verdict": "indeterminate", "review_policy": None, "codes": [], "missing": ["die_area_mm2"],
         "error": None},
        {"verdict": "error", "review_policy": None, "codes": None, "missing": None,
         "error": "destination: 'XX' is not an ISO 3166-1 alpha-2 country code"},
        {"verdict": "error", "review_policy": None, "codes": None, "missing": None,
         "error": "tpp: 'abc' is not a number (digits, optional '.' and exponent)"},
        {"verdict": "license_required", "review_policy": "presumption_of_denial",
         "codes": ["3A090.a.1", "3A090.a.2", "D5_DESTINATION", "CCL_ITEM"], "missing": [], "error": None},
    ]


def test_cells_of_every_type(rules):
    # numpy and pandas scalars, missing values of every kind, and cells of the wrong type
    df = pd.DataFrame({
        "id": pd.Series([1, np.int64(2), 3.0, "4", 5, 6, 7], dtype=object),
        "date": pd.to_datetime(["2024-06-01", "2024-06-01", None, "2024-06-01", "2024-06-01", "2024-06-01",
                                "2024-06-01"]),
        "destination": pd.array(["CN", "CN", "CN", "CN", "CN", pd.NA, "CN"], dtype="string"),
        "name": ["X1"] * 7,
        "tpp": [2000.0, 2000.0, 2000.0, float("inf"), 2000.0, 2000.0, True],
        "die_area_mm2": [300, 300, 300, 300, 300, 300, 300],
        "datacenter": [np.bool_(True), 1, "YES", True, "maybe", True, True],
    })
    out = chipcheck.screen_frame(df, rules=rules, date="2024-06-01")
    assert out[["id", "verdict", "missing", "error"]].values.tolist() == [
        [1, "license_required", [], None],
        [2, "license_required", [], None],
        [3.0, "license_required", [], None],
        ["4", "error", None, "tpp: inf is not a finite number"],
        [5, "error", None, "datacenter: 'maybe' is not true, false, 1, 0, yes or no (empty for unknown)"],
        [6, "error", None, "destination: is required (ISO 3166-1 alpha-2 country of destination)"],
        [7, "error", None, "tpp: True (bool) is not a number"],
    ]
    # the id reaches the library as text, a date as YYYY-MM-DD; chip figures override the catalog entry
    assert chipcheck.frames._cell("id", np.int64(7)) == "7"
    assert chipcheck.frames._cell("date", pd.Timestamp("2024-06-01 13:00")) == "2024-06-01"
    assert chipcheck.frames._cell("tpp", "1e3") == 1000.0
    with pytest.raises(chipcheck.frames._CellError, match=r"^tpp: '1e999' is not a finite number$"):
        chipcheck.frames._cell("tpp", "1e999")
    assert chipcheck.frames._shipment(["chip", "tpp"], ["H20", 5000]) == {"chip": {"tpp": 5000, "catalog": "H20"}}


def test_unknown_and_result_columns_are_refused():
    df = small_frame()
    with pytest.raises(ValueError, match=r"^unknown column 'order_no'; the columns read are id, date, "):
        chipcheck.screen_frame(df)
    df = df.rename(columns={"end_user_hq": "End_User_HQ"})
    with pytest.raises(ValueError, match=r"^unknown column 'End_User_HQ'; did you mean 'end_user_hq'\?"):
        chipcheck.screen_frame(df, ignore="order_no")
    with pytest.raises(ValueError, match=r"^the frame already has a column 'verdict' \(screen_frame adds verdict, "
                                         r"review_policy, codes, missing, error\)$"):
        chipcheck.screen_frame(pd.DataFrame({"destination": ["CN"], "verdict": ["x"]}), ignore=["verdict"])
    with pytest.raises(TypeError, match="takes a pandas DataFrame, not list"):
        chipcheck.screen_frame([{"destination": "CN"}])


def test_empty_frame_loads_no_rules(tmp_path):
    # no row, no rule load: a directory that does not exist is not even opened
    out = chipcheck.screen_frame(pd.DataFrame({"destination": pd.Series([], dtype=object)}),
                                 rules_dir=str(tmp_path / "none"))
    assert list(out.columns) == ["destination"] + RESULTS
    assert len(out) == 0
    with pytest.raises(chipcheck.Error):
        chipcheck.screen_frame(pd.DataFrame({"destination": ["CN"]}), rules_dir=str(tmp_path / "none"))
    assert str(tmp_path / "none") not in chipcheck.frames.process_stats()["rules_loads"]


def test_rules_dir_loaded_once_per_process():
    rules_dir = os.path.join(ROOT, "rules")
    df = small_frame()
    first = chipcheck.screen_frame(df, rules_dir=rules_dir, ignore=["order_no"])
    second = chipcheck.screen_frame(df, rules_dir=rules_dir, ignore=["order_no"])
    assert chipcheck.frames.process_stats()["rules_loads"][rules_dir] == 1
    assert first[RESULTS].equals(second[RESULTS])
    assert first[RESULTS].equals(chipcheck.screen_frame(df, ignore=["order_no"])[RESULTS])


def test_package_imports_without_pandas_or_dask():
    code = ("import sys; sys.modules['pandas'] = sys.modules['dask'] = sys.modules['numpy'] = None\n"
            "import chipcheck\n"
            "print(chipcheck.check('H20', 'CN', hq='CN', date='2025-05-02').verdict)\n"
            "try:\n"
            "    chipcheck.screen_frame(None)\n"
            "except ImportError as e:\n"
            "    print(e)\n"
            "import chipcheck.dask\n"
            "try:\n"
            "    chipcheck.dask.screen(None)\n"
            "except ImportError as e:\n"
            "    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0] == "license_required"
    assert out.splitlines()[1].startswith(
        "chipcheck.screen_frame needs pandas (Debian: apt-get install python3-pandas): ")
    assert out.splitlines()[2].startswith(
        "chipcheck.dask needs dask's DataFrame and pandas (Debian: apt-get install python3-dask python3-pandas, "
        "and python3-distributed for a cluster): ")


def batch_results(csv_path, date):
    """`chipcheck batch --brief --input-format csv` on the lines: one (verdict, review_policy, codes, missing,
    error message) a line, in order."""
    cli = os.environ.get("CHIPCHECK_CLI", os.path.join(ROOT, "build", "chipcheck"))
    with tempfile.TemporaryFile() as out:
        rc = subprocess.run([cli, "batch", "--brief", "--input-format", "csv", "--date", date, str(csv_path)],
                            stdout=out, stderr=subprocess.PIPE).returncode
        assert rc == 2  # some lines are errors
        out.seek(0)
        return [_batch_result(json.loads(line)) for line in out]


def _batch_result(rec):
    if "error" in rec:
        return ("error", None, None, None, rec["error"]["message"])
    return (rec["verdict"], rec["review_policy"], rec["codes"], rec["missing"], None)


def test_text_cells_match_batch_on_the_example_orders():
    # the README's way: every cell read as text, as the command reads the same CSV
    path = os.path.join(ROOT, "examples", "orders.csv")
    orders = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = chipcheck.screen_frame(orders, date="2025-05-02")
    got = list(zip(*(out[c].tolist() for c in RESULTS)))
    assert got == batch_results(path, "2025-05-02")
    assert [r[0] for r in got] == ["allowed", "license_required", "license_required", "allowed", "indeterminate",
                                   "license_required", "license_required", "allowed", "error", "error",
                                   "license_required"]


# tornado, under distributed, warns about its own event loop set-up
@pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning")
def test_dask_cluster_matches_batch(tmp_path):
    pytest.importorskip("dask.dataframe", reason="dask is not installed: `make deps` installs python3-dask")
    distributed = pytest.importorskip(
        "distributed", reason="distributed is not installed: `make deps` installs python3-distributed")
    import dask.dataframe as dd
    import chipcheck.dask
    from order_lines import order_lines, write_csv

    n, date = 200000, "2025-05-02"
    cols = order_lines(n)
    write_csv(cols, tmp_path / "lines.csv")
    expected = batch_results(tmp_path / "lines.csv", date)
    assert len(expected) == n
    verdicts = {r[0] for r in expected}
    assert verdicts == {"allowed", "license_required", "indeterminate", "error"}

    df = pd.DataFrame(cols, index=pd.RangeIndex(1000, 1000 + n))
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=logging.ERROR, protocol="tcp",
                                  local_directory=str(tmp_path / "dask")) as cluster, \
            distributed.Client(cluster) as client:
        ddf = dd.from_pandas(df, npartitions=8)
        result = chipcheck.dask.screen(ddf, date=date)
        assert list(result.columns) == list(df.columns) + RESULTS
        out = result.compute()
        stats = client.run(chipcheck.frames.process_stats)

    assert list(out.index) == list(df.index)
    assert out["id"].tolist() == cols["id"]
    got = list(zip(*(out[c].tolist() for c in RESULTS)))
    mismatched = [i for i in range(n) if got[i] != expected[i]]
    assert not mismatched, "line %d: dask %r, batch %r" % (mismatched[0] + 2, got[mismatched[0]],
                                                           expected[mismatched[0]])
    # two worker processes (not this one), each of which loaded the bundled rules exactly once, whatever
    # number of partitions it screened; 8 partitions on 2 workers: one screened at least 4 with one load
    assert len(stats) == 2
    assert os.getpid() not in [s["pid"] for s in stats.values()]
    assert sum(s["frames"] for s in stats.values()) == 8
    assert sum(s["rows"] for s in stats.values()) == n
    for s in stats.values():
        assert s["rules_loads"] == ({"<default>": 1} if s["frames"] else {})
    assert max(s["frames"] for s in stats.values()) >= 4


def test_dask_refuses_bad_arguments_before_running():
    dd = pytest.importorskip("dask.dataframe", reason="dask is not installed: `make deps` installs python3-dask")
    import chipcheck.dask
    ddf = dd.from_pandas(small_frame(), npartitions=2)
    with pytest.raises(ValueError, match=r"^unknown column 'order_no'"):
        chipcheck.dask.screen(ddf)
    with pytest.raises(TypeError, match=r"^rules_dir must be a path \(the workers load the rules themselves\), "
                                        r"not Rules$"):
        chipcheck.dask.screen(ddf, rules_dir=chipcheck.Rules.default())
    # the synchronous scheduler, in this process: the same answers as screen_frame
    out = chipcheck.dask.screen(ddf, ignore=["order_no"]).compute(scheduler="sync")
    assert out.equals(chipcheck.screen_frame(small_frame(), ignore=["order_no"]))
