"""chipcheck: may this chip go to this customer in this country on this date?

Python binding of libchipcheck (ctypes, no compiler needed)::

    import chipcheck
    rules = chipcheck.Rules.default()          # the rule sets compiled into the library
    d = rules.check(chip="H20", to="CN", hq="CN", date="2025-05-02")
    d.verdict, d.review_policy                 # ('license_required', 'presumption_of_denial')

The library is found through the ``CHIPCHECK_LIBRARY`` environment variable (a path), else a
``libchipcheck.so*`` next to this package, else ``ctypes.util.find_library("chipcheck")``; importing the
package checks that the library's major version and its ``chipcheck_error`` layout match. Bad input raises
``chipcheck.Error``.
"""
import collections.abc
import contextlib
import ctypes
import datetime
import json
import math
import os
import threading
import time

from . import _fast, _ffi
from .decision import Decision, _Keeper
from .errors import Error

__all__ = ["Rules", "Decision", "Error", "check", "version"]
__version__ = "0.2.0"


def version():
    """The C library's version string, "MAJOR.MINOR.PATCH" (``__version__`` is the package's)."""
    return _ffi.version().decode()


def _date_text(date):
    """YYYY-MM-DD for a str, a datetime.date or a datetime.datetime (its date)."""
    if isinstance(date, datetime.datetime):
        date = date.date()
    if isinstance(date, datetime.date):
        return date.isoformat()
    return _text(date, "date", "a str (YYYY-MM-DD) or a datetime.date")


def _text(value, what, expected="a str"):
    """A str argument on its way to C: anything else is a TypeError, and a NUL (which would end the C string
    early, so that the library would read a shorter value than the caller gave) a ValueError."""
    if not isinstance(value, str):
        raise TypeError("%s must be %s, not %s" % (what, expected, type(value).__name__))
    if "\x00" in value:
        raise ValueError("%s holds a NUL character: %r" % (what, value))
    return value


def _path(path, what="path"):
    """A file system path (str, bytes or os.PathLike) as bytes for C; a NUL in it is a ValueError."""
    raw = os.fsencode(path)
    if b"\x00" in raw:
        raise ValueError("%s holds a NUL character: %r" % (what, path))
    return raw


def _options(date, ruleset):
    opts = _ffi.Options(_ffi.OPTIONS_VERSION, None, None)
    if date is not None:
        opts.default_date = _date_text(date).encode()
    if ruleset is not None:
        opts.ruleset = _text(ruleset, "ruleset", 'a str ("ID@VERSION" or "ID")').encode()
    return opts


def _shipment(chip, to, hq=None, date=None, export_from=None, licenses=None, exception=None,
              authorization=None, id=None, quantity=None, region=None, eccn=None):
    ship = {"destination": to, "chip": chip}
    for key, value in (("id", id), ("date", date), ("end_user_hq", hq), ("export_from", export_from),
                       ("licenses", licenses), ("exception", exception),
                       ("exception_authorization", authorization), ("quantity", quantity),
                       ("destination_region", region), ("eccn", eccn)):
        if value is not None:
            ship[key] = _date_text(value) if key == "date" else value
    return ship


def _input_error(field, message, shipment, code="CHIPCHECK_ERR_INPUT", status=-6, offset=-1):
    return Error("%s: %s" % (field, message) if field else message, code=code,
                 field=field, source="<shipment>", status=status, offset=offset, id=_shipment_id(shipment))


def _shipment_id(shipment):
    ident = shipment.get("id") if isinstance(shipment, dict) else None
    return ident if isinstance(ident, str) else None


def _finite(value, field, shipment):
    """Refuse NaN and infinities before they reach the JSON text (json.dumps would write NaN, which is not
    JSON, and the library could then only say "malformed JSON"): name the field, as the library does."""
    if isinstance(value, float) and not math.isfinite(value):
        raise _input_error(field, "%r is not a finite number" % value, shipment)
    if isinstance(value, dict):
        for key, item in value.items():
            _finite(item, "%s.%s" % (field, key) if field else str(key), shipment)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _finite(item, field, shipment)


def _json_default(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return _date_text(value)
    raise TypeError("a %s is not a JSON value" % type(value).__name__)


def _shipment_json(shipment):
    """The JSON text of a shipment dict (a str or bytes is taken as JSON text already). The library reads a
    NUL-terminated string, so JSON text holding a NUL (which JSON cannot) is refused here, as the command
    refuses such a line: what follows it would be silently ignored."""
    if isinstance(shipment, (str, bytes)):
        text = shipment.encode("utf-8", "surrogateescape") if isinstance(shipment, str) else shipment
        nul = text.find(b"\x00")
        if nul >= 0:
            raise _input_error("", "the shipment text holds a NUL character at byte %d; expected JSON text" % nul,
                               None, code="CHIPCHECK_ERR_PARSE", status=-3, offset=nul)
        return text
    if not isinstance(shipment, collections.abc.Mapping):
        raise TypeError("a shipment must be a dict or JSON text (str or bytes), not %s" % type(shipment).__name__)
    _finite(shipment, "", shipment)
    try:
        return json.dumps(shipment, default=_json_default, allow_nan=False).encode()
    except (TypeError, ValueError) as e:
        raise _input_error("", "the shipment cannot be written as JSON: %s" % e, shipment) from None


_VERDICTS = {0: "allowed", 1: "license_required", 3: "indeterminate"}


_BLOCK = 256  # shipments per call of check_many's bulk path
_ARG = {"chips": "chip", "to": "to", "hq": "hq", "dates": "date", "export_from": "export_from", "region": "region",
        "eccn": "eccn"}  # screen() column -> verdict() argument
_PREPARED_COLUMNS = ("chips", "to", "hq", "dates", "export_from")  # what a prepared chip's verdict reads
_MAX_PREPARED = 65536  # prepared chips kept per evaluator by screen()
_SHIP_FIELD = {"chips": "chip_name", "to": "destination", "hq": "end_user_hq", "dates": "date",
               "export_from": "export_from", "region": "destination_region", "eccn": "eccn"}


def _column_values(values, n, what):
    """A column (list, tuple, numpy array, pandas Series, other sequence) as a list of n Python values."""
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError("%s must be a list (or tuple, numpy array, pandas Series) of str, not %s"
                        % (what, type(values).__name__))
    if type(values) is not list:
        kind = getattr(getattr(values, "dtype", None), "kind", "")
        if kind == "M" and type(values).__name__ == "ndarray":  # numpy datetime64: as datetime.date
            values = values.astype("datetime64[D]")
        values = values.tolist() if hasattr(values, "tolist") else list(values)
    if n is not None and len(values) != n:
        raise ValueError("%s has %d entries; chips has %d" % (what, len(values), n))
    return values


def _absent(v):
    """None, a float NaN, pandas NA or NaT: an absent entry."""
    return v is None or (isinstance(v, float) and v != v) or type(v).__name__ in ("NAType", "NaTType")


def _encode_column(values, what, column):
    """Distinct column values as bytes (None when absent), each converted once; a bad value raises naming
    its first row in column."""
    out = []
    for v in values:
        b = _fast.BYTES.get(v, _fast.NO) if type(v) is str else _fast.NO
        if b is _fast.NO:
            if _absent(v):
                b = None
            elif isinstance(v, datetime.date) and what == "dates":
                b = _date_text(v).encode()
            elif not isinstance(v, str):
                raise TypeError("%s[%d] must be a str or None, not %s" % (what, column.index(v), type(v).__name__))
            elif "\x00" in v:
                raise ValueError("%s[%d] holds a NUL character: %r" % (what, column.index(v), v))
            else:
                b = _fast.encode(v)
                if b is _fast.NO:  # does not encode: the library says why
                    b = v.encode("utf-8", "surrogateescape")
        out.append(b)
    return out


class Rules:
    """A loaded, immutable rule collection: every rule-set version found and the chip catalog.

    Make one with ``Rules.default()`` (the rules compiled into the library) or ``Rules.from_dir(path)``.
    Any number of threads may check shipments against one collection. ``close()`` frees the C object (so do
    ``with Rules.default() as rules:`` and garbage collection); decisions already made stay usable: a
    ``Decision`` still holding its C decision has its JSON rendered by ``close()`` (see ``chipcheck.decision``).
    """

    def __init__(self, handle):
        """Wrap a ``chipcheck_rules *`` handle (internal: use ``Rules.default()`` or ``Rules.from_dir()``)."""
        self._h = handle
        self._cond = threading.Condition()  # guards the swap of _h in close() and the evaluators list
        # One entry per call in flight that uses the handle: list.append and list.pop are atomic, so counting
        # costs no lock. A call appends, then reads _h; close() sets _h to None, then waits for the list to
        # empty: a call either is counted before close() looks or sees None.
        self._inflight = []
        self._local = threading.local()  # each thread's evaluator (verdict-only scratch)
        self._evaluators = []            # every evaluator made, freed by close()
        self._chips = []                 # every chip prepared by screen(), freed by close()
        self._keeper = _Keeper()         # the live Decisions holding C decisions: rendered by close()

    def __repr__(self):
        try:
            with self._using() as h:
                return "<chipcheck.Rules: %d rule-set versions, %d chips>" % (
                    _ffi.rules_count(h), _ffi.rules_chip_count(h))
        except Error:
            return "<chipcheck.Rules (closed)>"

    @classmethod
    def default(cls):
        """The rule sets and chip catalog compiled into the library (no file needed)."""
        err = _ffi.Error()
        return cls(_ffi.rules_load_default(ctypes.byref(err)))

    @classmethod
    def from_dir(cls, path):
        """Every rule file (*.xml) and catalog (chips/*.json) below a directory laid out like rules/.
        A bad file raises ``chipcheck.Error`` with its ``source`` (the file), ``line`` and ``column``."""
        err = _ffi.Error()
        return cls(_ffi.rules_load_dir(_path(path), ctypes.byref(err)))

    @classmethod
    def from_files(cls, paths):
        """An explicit list of rule files (XML) and catalogs (JSON); a file's extends must be in the list.
        ``paths`` is a list (or other iterable) of paths; one path given alone is a TypeError, not read as
        one-letter file names."""
        if isinstance(paths, (str, bytes, os.PathLike)):
            raise TypeError("paths must be a list of paths, not one %s: from_files([path])" % type(paths).__name__)
        paths = [_path(p) for p in paths]
        arr = (ctypes.c_char_p * len(paths))(*paths)
        err = _ffi.Error()
        return cls(_ffi.rules_load_files(arr, len(paths), ctypes.byref(err)))

    @contextlib.contextmanager
    def _using(self):
        """The handle, for one call: counted while in use, so that close() frees it only after every call in
        flight on other threads has returned (freeing it under them crashed the interpreter)."""
        h = self._enter()
        try:
            yield h
        finally:
            self._inflight.pop()

    def _enter(self):
        """The handle, counted as in use until ``self._inflight.pop()`` (the hot paths' form of ``_using``)."""
        self._inflight.append(None)
        h = self._h
        if not h:
            self._inflight.pop()
            raise Error("the rule collection is closed")
        return h

    def close(self):
        """Free the collection, once the calls in flight on other threads have returned; calls made after
        close() raise ``chipcheck.Error``. Decisions already made stay usable (the C decisions still held are
        rendered to JSON and freed here, before the collection they borrow from)."""
        with self._cond:
            h, self._h = self._h, None
        while self._inflight:
            time.sleep(0.0005)
        self._keeper.release()
        with self._cond:
            evaluators, self._evaluators = self._evaluators, []
            chips, self._chips = self._chips, []
        for ev in evaluators:
            _ffi.evaluator_free(ev)
        for chip in chips:
            _ffi.prepared_chip_free(chip)
        if h:
            _ffi.rules_free(h)

    def __enter__(self):
        """Use the collection in a ``with`` block; it is closed at the end."""
        return self

    def __exit__(self, *exc):
        """Close the collection."""
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: the module globals may be gone
            pass

    def check_shipment(self, shipment, date=None, ruleset=None):
        """Check one shipment given as a dict in the shipment format (keys ``id``, ``date``,
        ``destination``, ``destination_region``, ``end_user_hq``, ``export_from``, ``chip``, ``eccn``,
        ``exception``, ``exception_authorization``, ``licenses``, ``quantity``), or as JSON text.
        Every regime loaded is consulted (advanced computing, destination embargoes); ``ruleset`` pins the
        version of one of them.

        ``date`` is the default date when the shipment has none (today when None); ``ruleset`` forces
        ``"ID@VERSION"``. Returns a ``Decision``; raises ``chipcheck.Error`` for bad input (unknown keys,
        unknown country, impossible date, negative or non-finite figure, unknown catalog chip, ...).
        """
        text = _shipment_json(shipment)
        err = _ffi.Error()
        opts = _options(date, ruleset)
        with self._using() as h:
            try:
                d = _ffi.check_json(h, text, ctypes.byref(opts), ctypes.byref(err))
            except Error as e:
                e.id = _shipment_id(shipment)
                raise
            return Decision._from_c(d, self._keeper, _fast.VERDICTS[_fast.decision_verdict(d)])

    def check(self, chip, to, hq=None, date=None, export_from=None, licenses=None, exception=None,
              authorization=None, id=None, quantity=None, ruleset=None, region=None, eccn=None):
        """Check one shipment and return its ``Decision``.

        ``chip`` is a catalog name (``"H20"``) or a dict of figures (``{"name": ..., "tpp": ...,
        "die_area_mm2": ..., "datacenter": True}``, optionally ``"catalog": "H20"`` to start from a catalog
        entry); ``to`` (destination), ``hq`` (where the end user or its ultimate parent is headquartered) and
        ``export_from`` are ISO 3166-1 alpha-2 codes; ``date`` is ``"YYYY-MM-DD"`` or a ``datetime.date``
        (today, UTC, when None); ``licenses`` is a list of license dicts (``id``, ``destination``,
        ``valid_from``, ``valid_to``, ``products``); ``exception`` names a license exception the shipment is
        made under (``"NAC"``, ``"ACA"`` or ``"SPP"``), with ``authorization`` for NAC; ``id`` is echoed in
        the decision; ``ruleset`` forces ``"ID@VERSION"`` for that regime; ``region`` is the ISO 3166-2
        region of the destination (``"UA-43"``: needed for Ukraine, where Crimea and the so-called DNR and LNR
        are controlled); ``eccn`` is the item's classification (``"3A991.p"``, ``"EAR99"``), which some
        destination-wide controls depend on. Bad input raises ``chipcheck.Error``.

        A catalog chip with text arguments goes to the library as a struct (no JSON text); a chip given by
        figures, licenses or a quantity go as JSON. Both give the same decision.
        """
        sc = _fast.scratch
        if licenses is None and quantity is None and \
                _fast.fill(sc, chip, to, hq, date, export_from, exception, authorization, id, region, eccn):
            opts = None if ruleset is None else _options(None, ruleset)
            h = self._enter()
            try:
                d = _fast.check(h, sc.ship_p, opts and ctypes.addressof(opts), sc.err_p)
                if not d:
                    e = _ffi.error_from(sc.err)
                    e.id = id if isinstance(id, str) else None
                    raise e
                return Decision._from_c(d, self._keeper, _fast.VERDICTS[_fast.decision_verdict(d)])
            finally:
                self._inflight.pop()
        return self.check_shipment(_shipment(chip, to, hq, date, export_from, licenses, exception,
                                             authorization, id, quantity, region, eccn), ruleset=ruleset)

    def check_many(self, shipments, date=None, ruleset=None, errors="raise"):
        """Check an iterable of shipments (dicts in the shipment format, as for ``check_shipment``),
        lazily, yielding one result per input, in order.

        ``errors="raise"`` (the default): a bad shipment raises ``chipcheck.Error`` from the iteration,
        which then stops. ``errors="yield"``: the ``chipcheck.Error`` is yielded in the bad shipment's place
        (its ``id`` attribute is the shipment's id) and the iteration goes on, as ``chipcheck batch``
        writes an error record and goes on; tell the two apart with ``isinstance(item, chipcheck.Error)``.

        A list or tuple is decided in blocks of 256, each block in one call into the library
        (``chipcheck_check_many``), whose decisions come back with their verdict, review policy, codes and
        missing fields already read; any other iterable is read one shipment at a time, never ahead.
        """
        if errors not in ("raise", "yield"):
            raise ValueError("errors must be 'raise' or 'yield'")
        if isinstance(shipments, (list, tuple)):
            for start in range(0, len(shipments), _BLOCK):
                block = shipments[start:start + _BLOCK]
                for ship, item in zip(block, self._check_block(block, date, ruleset)):
                    if item is None:
                        try:
                            item = self.check_shipment(ship, date=date, ruleset=ruleset)
                        except Error as e:
                            item = e
                    if isinstance(item, Error) and errors == "raise":
                        raise item
                    yield item
            return
        for shipment in shipments:
            try:
                yield self.check_shipment(shipment, date=date, ruleset=ruleset)
            except Error as e:
                if errors == "raise":
                    raise
                yield e

    def _check_block(self, block, date, ruleset):
        """Decisions of the shipments of block that a struct can carry, through chipcheck_check_many; None
        in the place of the others and of errors (the caller checks those alone, for their messages)."""
        fields = [_fast.dict_fields(ship) for ship in block]
        todo = [i for i, f in enumerate(fields) if f is not None]
        out = [None] * len(block)
        if not todo:
            return out
        n = len(todo)
        ships = (_ffi.Shipment * n)()
        for k, i in enumerate(todo):
            entry = ships[k]
            for field, value in fields[i]:
                setattr(entry, field, value)
        outcomes = (_ffi.Outcome * n)()
        decisions = (ctypes.c_void_p * n)()
        opts = _options(date, ruleset)
        sc = _fast.scratch
        size, so, sd = ctypes.sizeof(_ffi.Shipment), ctypes.sizeof(_ffi.Outcome), ctypes.sizeof(ctypes.c_void_p)
        base = (ctypes.addressof(ships), ctypes.addressof(outcomes), ctypes.addressof(decisions))
        h = self._enter()
        try:
            done = 0
            while done < n:
                got = _fast.check_many(h, n - done, base[0] + done * size, ctypes.addressof(opts),
                                       base[1] + done * so, ctypes.addressof(sc.text), len(sc.text), sc.used_p,
                                       base[2] + done * sd, sc.err_p)
                if got <= 0:
                    raise _ffi.error_from(sc.err)
                strs = ctypes.string_at(sc.text, sc.used.value).decode("utf-8").split("\0")
                at = 0
                for k in range(done, done + got):
                    o = outcomes[k]
                    nc, nm = o.n_codes, o.n_missing
                    d = decisions[k]
                    if o.verdict >= 0 and d:
                        out[todo[k]] = Decision._from_c(d, self._keeper, _fast.VERDICTS[o.verdict],
                                                        strs[at] or None, strs[at + 1:at + 1 + nc],
                                                        strs[at + 1 + nc:at + 1 + nc + nm])
                    at += 1 + nc + nm
                done += got
        finally:
            self._inflight.pop()
        return out

    def headroom(self, chip, to, hq=None, date=None, export_from=None, ruleset=None, region=None, eccn=None,
                 id=None):
        """How far the chip sits from every line the rules in force draw on its metrics, and what crossing one
        does (the arguments are those of ``check``). Returns a dict (``chipcheck_headroom``'s JSON):
        ``outcome``, ``rulesets``, ``metrics``, ``comparisons`` (each with ``value``, ``threshold``,
        ``margin``, ``margin_pct``, ``rules`` and ``crossings``), ``flips`` (per metric and direction: the
        nearest value at which the verdict or policy changes, confirmed on both sides), ``nearest_line`` (the
        nearest flip to a stricter outcome: for an allowed chip, the line it was designed under) and
        ``date_flips`` (later versions that change the answer).

        >>> rules.headroom("H20", "CN", date="2025-03-01")["nearest_line"]["line"]
        2400
        """
        text = _shipment_json(_shipment(chip, to, hq, date, export_from, id=id, region=region, eccn=eccn))
        err = _ffi.Error()
        opts = _options(None, ruleset)
        with self._using() as h:
            return json.loads(_ffi.take_string(
                _ffi.headroom(h, text, ctypes.byref(opts), 0, ctypes.byref(err))))

    def envelope(self, to, chip=None, hq=None, date=None, datacenter=None, metrics=None, export_from=None,
                 ruleset=None):
        """The region of metric space (``tpp``, ``performance_density``, the bandwidths, ...) in which a chip
        gets the mildest outcome for this destination, end user and date. Returns a dict
        (``chipcheck_envelope``'s JSON): ``envelope`` (``verdict``, ``review_policy``, and the constraints:
        ``all`` of them and one list of ``any``, each with ``text`` and the ``rules`` that draw it),
        ``regions`` (every outcome's), the ``axes``, ``planes`` and ``cells`` a map draws, and ``chip``
        (where the chip sits, when it has figures).

        ``chip`` is a catalog name or a dict of figures; without one, a new design (``{"name": "new
        design"}``, for datacenters unless ``datacenter`` says otherwise). ``datacenter`` overrides the
        chip's flag. ``metrics`` lists the metrics to vary (every one the rules compare when None); the others
        are held at the chip's figures, or at the least value a classification drawn needs, else 0.
        """
        if chip is None:
            chip = {"name": "new design", "datacenter": True if datacenter is None else bool(datacenter)}
        elif datacenter is not None:
            chip = dict(chip, datacenter=bool(datacenter)) if isinstance(chip, dict) else \
                {"catalog": chip, "datacenter": bool(datacenter)}
        text = _shipment_json(_shipment(chip, to, hq, date, export_from))
        names = [m.encode() for m in metrics] if metrics is not None else []
        arr = (ctypes.c_char_p * max(len(names), 1))(*names)
        err = _ffi.Error()
        opts = _options(None, ruleset)
        with self._using() as h:
            return json.loads(_ffi.take_string(_ffi.envelope(
                h, text, arr if metrics is not None else None, len(names), ctypes.byref(opts), 0,
                ctypes.byref(err))))

    def _evaluator(self, h):
        """This thread's evaluator (an evaluator belongs to one thread at a time)."""
        ev = getattr(self._local, "ev", None)
        if ev is None:
            err = _ffi.Error()
            ev = _ffi.evaluator_new(h, ctypes.byref(err))
            with self._cond:
                self._evaluators.append(ev)
            self._local.ev = ev
            self._local.chips = {}  # chip name (bytes) -> prepared chip (address) or negative status
        return ev

    def _prepared(self, h, names):
        """The prepared chips (addresses) of the chips named (bytes or None), each prepared once per thread
        (chipcheck_prepare_chip, kept until close()); a chip that cannot be prepared gives its negative
        status. None when the names would take this thread's chips past _MAX_PREPARED (the caller then goes
        the plain way)."""
        cache = self._local.chips
        new = [c for c in dict.fromkeys(names) if c not in cache]
        if len(cache) + len(new) > _MAX_PREPARED:
            return None
        for name in new:
            err = _ffi.Error()
            try:
                chip = _ffi.prepare_chip(h, name, None, ctypes.byref(err))
            except Error as e:
                cache[name] = e.status
                continue
            with self._cond:
                self._chips.append(chip)
            cache[name] = chip
        return [cache[c] for c in names]

    def verdict(self, chip, to, hq=None, date=None, export_from=None, licenses=None, exception=None,
                authorization=None, id=None, quantity=None, ruleset=None, region=None, eccn=None):
        """The verdict alone (``'allowed'``, ``'license_required'`` or ``'indeterminate'``) of the shipment
        ``check()`` would decide with the same arguments, through the library's verdict-only path: no trace
        is built or rendered, so it is many times faster than ``check(...).verdict``. Bad input raises
        ``chipcheck.Error`` as ``check()`` does."""
        sc = _fast.scratch
        if licenses is None and quantity is None and \
                _fast.fill(sc, chip, to, hq, date, export_from, exception, authorization, id, region, eccn):
            opts = None if ruleset is None else _options(None, ruleset)
            h = self._enter()
            try:
                try:
                    ev = self._local.ev
                except AttributeError:
                    ev = self._evaluator(h)
                v = _fast.evaluator_verdict(ev, sc.ship_p, opts and ctypes.addressof(opts), sc.err_p)
            finally:
                self._inflight.pop()
            if v < 0:
                e = _ffi.error_from(sc.err)
                e.id = id if isinstance(id, str) else None
                raise e
            return _fast.VERDICTS[v]
        shipment = _shipment(chip, to, hq, date, export_from, licenses, exception, authorization, id, quantity,
                             region, eccn)
        text = _shipment_json(shipment)
        err = _ffi.Error()
        opts = _options(None, ruleset)
        with self._using() as h:
            try:
                v = _ffi.evaluator_verdict_json(self._evaluator(h), text, ctypes.byref(opts), ctypes.byref(err))
            except Error as e:
                e.id = _shipment_id(shipment)
                raise
        return _VERDICTS[v]

    def screen(self, chips, to, hq=None, dates=None, export_from=None, region=None, eccn=None, date=None,
               ruleset=None, errors="raise"):
        """Verdicts of many shipments given as columns: ``chips`` (catalog names), ``to`` (destinations), and
        optionally ``hq``, ``dates`` (``"YYYY-MM-DD"`` or dates), ``export_from``, ``region`` and ``eccn``,
        each a list, tuple, numpy array or pandas Series of one length; an entry None (or NaN, NA, NaT) is
        absent. ``date`` is the date of shipments without one (today when None); ``ruleset`` pins
        ``"ID@VERSION"``. Each verdict is the one ``check()`` gives that shipment alone.

        Returns a list of verdict strings; a numpy array when ``chips`` is one, a pandas Series (same index,
        named "verdict") when ``chips`` is one. ``errors="raise"``: a bad shipment raises its
        ``chipcheck.Error`` (the first one, with its message); ``errors="yield"``: the ``chipcheck.Error``
        takes the bad shipment's place.

        The rows are deduplicated first (a verdict depends only on these columns and the options), each
        distinct string is encoded once, and the distinct rows are decided in one call into the library's
        verdict-only path: each distinct chip is prepared once per thread (``chipcheck_prepare_chip``, kept for
        later calls until ``close()``) and the rows go through ``chipcheck_evaluator_verdicts_prepared``; with
        ``region`` or ``eccn`` given, one verdict-only call per distinct row.
        """
        result = self._screen(chips, to, hq, dates, export_from, region, eccn, date, ruleset, errors)
        kind = type(chips).__module__.split(".")[0]
        if kind == "pandas" and type(chips).__name__ == "Series":
            import pandas
            return pandas.Series(result, index=chips.index, name="verdict", dtype=object)
        if kind == "numpy" and type(chips).__name__ == "ndarray":
            import numpy
            plain = all(type(v) is str for v in set(result))
            return numpy.array(result) if plain and result else numpy.array(result, dtype=object)
        return result

    def verdicts(self, chips, to, hq=None, dates=None, date=None, ruleset=None, errors="raise"):
        """``screen()`` over ``chips``, ``to``, ``hq`` and ``dates``, always returning a list (kept for
        callers of 0.2)."""
        return self._screen(chips, to, hq, dates, None, None, None, date, ruleset, errors)

    def _screen(self, chips, to, hq, dates, export_from, region, eccn, date, ruleset, errors):
        if errors not in ("raise", "yield"):
            raise ValueError("errors must be 'raise' or 'yield'")
        chips = _column_values(chips, None, "chips")
        n = len(chips)
        names = ("chips", "to", "hq", "dates", "export_from", "region", "eccn")
        given = [(name, _column_values(col, n, name)) for name, col in zip(
            names, (chips, to, hq, dates, export_from, region, eccn)) if col is not None or name in ("chips", "to")]
        cols = [values for _, values in given]
        try:
            distinct = list(dict.fromkeys(zip(*cols)))
        except TypeError:  # an unhashable value (a dict, a list): name it
            for name, values in given:
                for i, v in enumerate(values):
                    if type(v).__hash__ is None:
                        raise TypeError("%s[%d] must be a str or None, not %s" % (name, i, type(v).__name__)) from None
            raise
        encoded = [_encode_column([row[j] for row in distinct], name, cols[j])
                   for j, (name, _) in enumerate(given)]
        verdicts = self._distinct_verdicts([name for name, _ in given], encoded, len(distinct), date, ruleset)
        answer = {}
        for r, (row, v) in enumerate(zip(distinct, verdicts)):
            if v < 0:  # check it alone for its message (its values as they went to the library)
                kw = {_ARG[name]: None if col[r] is None else col[r].decode("utf-8", "surrogateescape")
                      for (name, _), col in zip(given, encoded)}
                try:
                    self.verdict(date=kw.pop("date", None) or date, ruleset=ruleset, **kw)
                    e = Error("the shipment's error was not reproduced", status=v)
                except Error as exc:
                    e = exc
                if errors == "raise":
                    raise e
                answer[row] = e
            else:
                answer[row] = _fast.VERDICTS[v]
        return list(map(answer.__getitem__, zip(*cols)))

    def _distinct_verdicts(self, names, encoded, u, date, ruleset):
        """The verdict (or negative status) of each of u distinct rows, columns encoded as bytes lists."""
        opts = _options(date, ruleset)
        with self._using() as h:
            ev = self._evaluator(h)
            chips = self._prepared(h, encoded[0]) if set(names) <= set(_PREPARED_COLUMNS) else None
            if chips is not None:  # each chip prepared once, the rows in one call
                arrays = {name: (ctypes.c_char_p * u)(*col) for name, col in zip(names, encoded)}
                out = (ctypes.c_int * u)()
                err = _ffi.Error()
                ptrs = (ctypes.c_void_p * u)(*[c if c > 0 else None for c in chips])
                _ffi.evaluator_verdicts_prepared(ev, u, ptrs, arrays["to"], arrays.get("hq"),
                                                 arrays.get("export_from"), arrays.get("dates"), ctypes.byref(opts),
                                                 out, ctypes.byref(err))
                return [v if c > 0 else c for v, c in zip(out, chips)]
            if set(names) <= {"chips", "to", "hq", "dates"}:
                arrays = {name: (ctypes.c_char_p * u)(*col) for name, col in zip(names, encoded)}
                out = (ctypes.c_int * u)()
                err = _ffi.Error()
                _ffi.evaluator_verdicts(ev, u, arrays["chips"], arrays["to"], arrays.get("hq"), arrays.get("dates"),
                                        ctypes.byref(opts), out, ctypes.byref(err))
                return list(out)
            sc = _fast.scratch
            sh = sc.ship
            fields = [_SHIP_FIELD[name] for name in names]
            out = []
            for r in range(u):
                for name in _SHIP_FIELD.values():
                    setattr(sh, name, None)
                for field, col in zip(fields, encoded):
                    setattr(sh, field, col[r])
                out.append(_fast.evaluator_verdict(ev, sc.ship_p, ctypes.addressof(opts), sc.err_p))
            return out

    def versions(self):
        """Every loaded rule-set version, ordered by regime id then effective date: a list of dicts with
        ``id``, ``version``, ``effective``, ``title``, ``digest`` (``"sha256:..."``) and ``reviewed`` (the
        date through which the version's regime was reviewed, or None)."""
        out = []
        with self._using() as h:
            for i in range(_ffi.rules_count(h)):
                vals = [ctypes.c_char_p() for _ in range(5)]
                _ffi.rules_info(h, i, *[ctypes.byref(v) for v in vals])
                entry = dict(zip(("id", "version", "effective", "title", "digest"),
                                 (v.value.decode() if v.value is not None else None for v in vals)))
                reviewed = _ffi.rules_reviewed(h, i)
                entry["reviewed"] = reviewed.decode() if reviewed is not None else None
                out.append(entry)
        return out

    def version(self, id_at_version):
        """One resolved version (after extends) as a dict: files, groups, metrics, rules."""
        want = _text(id_at_version, "id_at_version", 'a str ("ID@VERSION")').encode()
        err = _ffi.Error()
        with self._using() as h:
            return json.loads(_ffi.take_string(_ffi.rules_version_json(h, want, 0, ctypes.byref(err))))

    def chips(self):
        """Names of the catalog chips."""
        with self._using() as h:
            return [_ffi.rules_chip_name(h, i).decode() for i in range(_ffi.rules_chip_count(h))]

    def chip(self, name):
        """One catalog chip's entry (figures, sources) as a dict."""
        want = _text(name, "name").encode()
        err = _ffi.Error()
        with self._using() as h:
            return json.loads(_ffi.take_string(_ffi.rules_chip_json(h, want, ctypes.byref(err))))


_default = None
_default_lock = threading.Lock()


def check(chip, to, **kwargs):
    """Check one shipment against the rules compiled into the library, loaded once on first use and
    shared by every thread; the keyword arguments are those of ``Rules.check`` (``hq``, ``date``,
    ``export_from``, ``licenses``, ``exception``, ``authorization``, ``id``, ``quantity``, ``ruleset``).

    >>> chipcheck.check("H20", "CN", hq="CN", date="2025-05-02").verdict
    'license_required'
    """
    global _default
    with _default_lock:
        if _default is None:
            _default = Rules.default()
    return _default.check(chip, to, **kwargs)


def __getattr__(name):
    """``chipcheck.screen_frame`` (pandas) is looked up on first use, so that the package imports without
    pandas; ``import chipcheck.dask`` gives the Dask entry point."""
    if name == "screen_frame":
        from .frames import screen_frame
        return screen_frame
    raise AttributeError("module 'chipcheck' has no attribute %r" % name)
