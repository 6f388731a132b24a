"""Screen order lines held in a pandas DataFrame (``chipcheck.screen_frame``), and the per-process rule cache
that ``chipcheck.dask.screen`` relies on.

The frame's columns are named like the columns of ``chipcheck batch --input-format csv``: the shipment's
fields (``id``, ``date``, ``destination``, ``end_user_hq``, ``export_from``, ``quantity``, ``exception``,
``exception_authorization``, ``chip``, and the shipment's ``destination_region`` and ``eccn``) and the chip's
figures (``name``, ``vendor``, ``part_number``, ``kind``, ``tpp``, ``die_area_mm2``, ``memory_bandwidth_gbs``,
``interconnect_bandwidth_gbs``, ``hbm_bandwidth_density``, ``datacenter``). A missing cell (None, NaN, NaT,
``pd.NA`` or ``""``) is an absent field, as an empty CSV cell is; chip figures with a ``chip`` cell override
that catalog entry. pandas is imported when a frame is screened, never by ``import chipcheck``.
"""
import ctypes
import datetime
import difflib
import json
import math
import numbers
import os
import re
import threading

from . import _ffi
from .errors import Error

SHIPMENT_COLUMNS = ("id", "date", "destination", "end_user_hq", "export_from", "quantity", "exception",
                    "exception_authorization", "chip", "destination_region", "eccn")
CHIP_COLUMNS = ("name", "vendor", "part_number", "kind", "tpp", "die_area_mm2", "memory_bandwidth_gbs",
                "interconnect_bandwidth_gbs", "hbm_bandwidth_density", "datacenter")
#: Every column screen_frame reads.
COLUMNS = SHIPMENT_COLUMNS + CHIP_COLUMNS
#: The columns it adds, in this order.
RESULT_COLUMNS = ("verdict", "review_policy", "codes", "missing", "error")

_NUMBERS = frozenset(("quantity", "tpp", "die_area_mm2", "memory_bandwidth_gbs", "interconnect_bandwidth_gbs",
                      "hbm_bandwidth_density"))
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
# The number grammar of the command's CSV reader (bindings/cli/csv.c): [-]digits[.digits][e[+-]digits].
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_DEFAULT_KEY = "<default>"


def _pandas():
    try:
        import pandas
    except ImportError as e:
        raise ImportError("chipcheck.screen_frame needs pandas (Debian: apt-get install python3-pandas): %s"
                          % e) from None
    return pandas


# ---- the per-process rule cache ------------------------------------------------------------------------

_cache_lock = threading.Lock()
_cache = {}      # key (rules_dir as given, or "<default>") -> Rules
_loads = {}      # key -> how many times this process loaded it (1 once cached)
_screened = {"frames": 0, "rows": 0}


def _cache_key(rules_dir):
    return _DEFAULT_KEY if rules_dir is None else os.fsdecode(rules_dir)


def cached_rules(rules_dir=None):
    """The rule collection of this process for ``rules_dir`` (a directory laid out like rules/), or the
    rules compiled into the library when None: loaded on first use, then shared by every call and thread of
    the process until it exits. A bad directory raises ``chipcheck.Error`` and is not cached."""
    from . import Rules
    key = _cache_key(rules_dir)
    with _cache_lock:
        rules = _cache.get(key)
        if rules is None:
            rules = Rules.default() if rules_dir is None else Rules.from_dir(rules_dir)
            _cache[key] = rules
            _loads[key] = _loads.get(key, 0) + 1
        return rules


def process_stats():
    """What this process has done: ``pid``, ``rules_loads`` (cache key -> times loaded, "<default>" for the
    bundled rules), ``frames`` and ``rows`` screened. ``client.run(chipcheck.frames.process_stats)`` shows it
    for every Dask worker."""
    with _cache_lock:
        return {"pid": os.getpid(), "rules_loads": dict(_loads), "frames": _screened["frames"],
                "rows": _screened["rows"]}


# ---- screening a batch of shipments ----------------------------------------------------------------------

def _screen_rows(rules, rows, date=None, ruleset=None):
    """Screen a list of shipment dicts; one ``(verdict, review_policy, codes, missing, error)`` tuple per
    row, in order, where a refused row is ``("error", None, None, None, message)``. The one place that calls
    the library for a batch: the frame code does not depend on how it does so. Today each row goes through
    ``chipcheck_check_json`` and the brief decision JSON (``CHIPCHECK_JSON_BRIEF``: verdict, policy, the codes
    of the reasons that hold, the missing data, without the trace)."""
    from . import _options
    opts = _options(date, ruleset)
    out = []
    with rules._using() as h:
        for ship in rows:
            try:
                text = json.dumps(ship, allow_nan=False).encode()
            except (TypeError, ValueError) as e:
                out.append(("error", None, None, None, "the shipment cannot be written as JSON: %s" % e))
                continue
            try:
                err = _ffi.Error()
                d = _ffi.check_json(h, text, ctypes.byref(opts), ctypes.byref(err))
            except Error as e:
                out.append(("error", None, None, None, e.message))
                continue
            try:
                brief = json.loads(_ffi.take_string(_ffi.decision_json(d, _ffi.JSON_BRIEF)))
            finally:
                _ffi.decision_free(d)
            out.append((brief["verdict"], brief["review_policy"], brief["codes"], brief["missing"], None))
    return out


# ---- cells of a frame ------------------------------------------------------------------------------------

class _CellError(Exception):
    pass


_ABSENT = object()  # a missing cell: the field is left out
_KIND = {c: 2 if c == "chip" else 1 if c in CHIP_COLUMNS else 0 for c in COLUMNS}  # where a cell goes


def _numpy_bool():
    import numpy  # there whenever pandas is
    return numpy.bool_


def _shown(text):
    """At most 40 bytes of a value for a message, printable ASCII only, as the command quotes a cell."""
    raw = text.encode("utf-8", "surrogatepass")
    shown = "".join(chr(b) if 0x20 <= b < 0x7f else "?" for b in raw[:40])
    return shown + "..." if len(raw) > 40 else shown


def _number(column, value):
    if value.__class__ is float:  # the common case first: a float64 column
        if math.isfinite(value):
            return value
        raise _CellError("%s: %r is not a finite number" % (column, value))
    if isinstance(value, str):
        if not _NUMBER.match(value):
            raise _CellError("%s: '%s' is not a number (digits, optional '.' and exponent)"
                             % (column, _shown(value)))
        number = float(value)
        if not math.isfinite(number):
            raise _CellError("%s: '%s' is not a finite number" % (column, _shown(value)))
        return number
    if isinstance(value, (bool, _numpy_bool())) or not isinstance(value, numbers.Real):
        raise _CellError("%s: %r (%s) is not a number" % (column, value, type(value).__name__))
    if isinstance(value, numbers.Integral):
        return int(value)
    return _number(column, float(value))


def _boolean(column, value):
    if isinstance(value, (bool, _numpy_bool())):
        return bool(value)
    if isinstance(value, str):
        if value.lower() not in _BOOLEANS:
            raise _CellError("%s: '%s' is not true, false, 1, 0, yes or no (empty for unknown)"
                             % (column, _shown(value)))
        return _BOOLEANS[value.lower()]
    if isinstance(value, numbers.Real) and value in (0, 1):
        return bool(value)
    raise _CellError("%s: %r is not true, false, 1, 0, yes or no (empty for unknown)" % (column, value))


def _string(column, value):
    if isinstance(value, str):
        return value
    if column == "date" and isinstance(value, datetime.date):  # also datetime and pandas' Timestamp
        return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()
    if column == "id" and isinstance(value, numbers.Real) and not isinstance(value, (bool, _numpy_bool())) \
            and float(value).is_integer():
        return str(int(value))
    raise _CellError("%s: %r (%s) is not text" % (column, value, type(value).__name__))


def _cell(column, value):
    """The JSON value of one present cell; _CellError names the column and quotes the value."""
    if column in _NUMBERS:
        return _number(column, value)
    if column == "datacenter":
        return _boolean(column, value)
    return _string(column, value)


def _column_cells(column, values, missing, errors):
    """One column's cells as JSON values (_ABSENT where missing); a row's first bad cell goes to errors."""
    convert = _number if column in _NUMBERS else _boolean if column == "datacenter" else _string
    out = []
    for i, (value, miss) in enumerate(zip(values, missing)):
        if miss or (isinstance(value, str) and not value):
            out.append(_ABSENT)
        elif value.__class__ is str and convert is _string:
            out.append(value)
        else:
            try:
                out.append(convert(column, value))
            except _CellError as e:
                out.append(_ABSENT)
                if errors[i] is None:
                    errors[i] = str(e)
    return out


def _shipment(columns, values):
    """The shipment dict of one row of JSON values (as the command builds it from a CSV row): chip figures
    go to a chip object, which starts from the catalog entry the chip cell names."""
    ship, chip, catalog = {}, {}, None
    for column, value in zip(columns, values):
        if value is _ABSENT:
            continue
        kind = _KIND[column]
        if kind == 0:
            ship[column] = value
        elif kind == 1:
            chip[column] = value
        else:
            catalog = value
    if chip:
        if catalog is not None:
            chip["catalog"] = catalog
        ship["chip"] = chip
    elif catalog is not None:
        ship["chip"] = catalog
    return ship


# ---- the frame -----------------------------------------------------------------------------------------

def _screened_columns(frame_columns, ignore):
    """The frame's columns that are read; ValueError for an unknown column not in ``ignore`` (a misspelt
    column silently left out would screen every row without that field) or a result column already there."""
    ignore = set(ignore)
    for name in RESULT_COLUMNS:
        if name in frame_columns:
            raise ValueError("the frame already has a column %r (screen_frame adds %s)"
                             % (name, ", ".join(RESULT_COLUMNS)))
    used = []
    for name in frame_columns:
        if name in ignore:
            continue
        if name not in COLUMNS:
            near = difflib.get_close_matches(str(name).lower(), COLUMNS, n=1)
            raise ValueError("unknown column %r%s; the columns read are %s; name the columns to leave alone "
                             "with ignore=[...]" % (name, "; did you mean %r?" % near[0] if near else "",
                                                    ", ".join(COLUMNS)))
        used.append(name)
    return used


def _rules_for(rules, rules_dir):
    if rules is not None and rules_dir is not None:
        raise ValueError("give rules or rules_dir, not both")
    return rules if rules is not None else cached_rules(rules_dir)


def _screen(df, columns, rules, date, ruleset):
    """One result tuple per row of df (see _screen_rows), in order."""
    errors = [None] * len(df)
    cells = [_column_cells(c, df[c].tolist(), df[c].isna().tolist(), errors) for c in columns]
    ships, where = [], []
    for i, values in enumerate(zip(*cells)):
        if errors[i] is None:
            ships.append(_shipment(columns, values))
            where.append(i)
    results = [("error", None, None, None, e) for e in errors]
    for i, result in zip(where, _screen_rows(rules, ships, date, ruleset)):
        results[i] = result
    return results


def screen_frame(df, rules=None, rules_dir=None, date=None, ruleset=None, ignore=()):
    """Screen every row of a pandas DataFrame of order lines; return a copy of the frame (same index, same
    columns) with the columns ``verdict``, ``review_policy``, ``codes``, ``missing`` and ``error`` added, in
    that order.

    ``verdict`` is ``allowed``, ``license_required``, ``indeterminate``, or ``error`` for a row chipcheck
    refuses (a cell of the wrong type, an unknown country or chip, an impossible date, ...); ``error`` then
    holds the message naming the field and value, and is None on every other row. ``codes`` are the codes of
    the reasons that hold and ``missing`` the data whose absence left the answer open (lists; None on an
    error row). No row is ever dropped.

    ``rules``: a ``chipcheck.Rules``; else ``rules_dir`` (a directory laid out like rules/) or, when both are
    None, the bundled rules, loaded once per process and kept (see ``cached_rules``). ``date`` is the date of
    rows without one (today, UTC, when None); ``ruleset`` pins ``"ID@VERSION"``. The columns read are
    ``chipcheck.frames.COLUMNS``; any other column must be named in ``ignore`` (it is carried through), so
    that a misspelt column is a ValueError rather than a field silently left out.
    """
    pd = _pandas()
    if not isinstance(df, pd.DataFrame):
        raise TypeError("screen_frame takes a pandas DataFrame, not %s" % type(df).__name__)
    if isinstance(ignore, str):
        ignore = (ignore,)
    columns = _screened_columns(list(df.columns), ignore)
    results = []
    if len(df):
        results = _screen(df, columns, _rules_for(rules, rules_dir), date, ruleset)
        with _cache_lock:
            _screened["frames"] += 1
            _screened["rows"] += len(df)
    out = df.copy(deep=False)
    for k, name in enumerate(RESULT_COLUMNS):
        out[name] = pd.Series([r[k] for r in results], index=df.index, dtype=object)
    return out


def _screen_partition(df, rules_dir=None, date=None, ruleset=None, ignore=()):
    """map_partitions' function: the rules come from this process's cache, never from the task."""
    return screen_frame(df, rules_dir=rules_dir, date=date, ruleset=ruleset, ignore=ignore)
