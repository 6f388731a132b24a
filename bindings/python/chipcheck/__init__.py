"""chipcheck: may this chip go to this customer in this country on this date?

Python binding of libchipcheck (ctypes). Start with ``Rules.default()`` and ``Rules.check()``.
"""
import ctypes
import json
import threading

from . import _ffi
from .decision import Decision
from .errors import Error

__all__ = ["Rules", "Decision", "Error", "check", "version"]
__version__ = "0.1.0"


def version():
    """The C library's version string."""
    return _ffi.version().decode()


def _options(date, ruleset):
    opts = _ffi.Options(_ffi.OPTIONS_VERSION, None, None)
    if date is not None:
        opts.default_date = str(date).encode()
    if ruleset is not None:
        opts.ruleset = ruleset.encode()
    return opts


def _shipment(chip, to, hq=None, date=None, export_from=None, licenses=None, exception=None,
              authorization=None, id=None, quantity=None):
    ship = {"destination": to, "chip": chip}
    for key, value in (("id", id), ("date", date), ("end_user_hq", hq), ("export_from", export_from),
                       ("licenses", licenses), ("exception", exception),
                       ("exception_authorization", authorization), ("quantity", quantity)):
        if value is not None:
            ship[key] = str(value) if key == "date" else value
    return ship


class Rules:
    """A loaded, immutable rule collection. Safe to share between threads; close() frees it."""

    def __init__(self, handle):
        self._h = handle
        self._lock = threading.Lock()

    @classmethod
    def default(cls):
        """The rule sets and chip catalog compiled into the library."""
        err = _ffi.Error()
        return cls(_ffi.rules_load_default(ctypes.byref(err)))

    @classmethod
    def from_dir(cls, path):
        """Every rule file (*.xml) and catalog (chips/*.json) below a directory laid out like rules/."""
        err = _ffi.Error()
        return cls(_ffi.rules_load_dir(str(path).encode(), ctypes.byref(err)))

    @classmethod
    def from_files(cls, paths):
        """An explicit list of rule files and catalogs."""
        paths = [str(p).encode() for p in paths]
        arr = (ctypes.c_char_p * len(paths))(*paths)
        err = _ffi.Error()
        return cls(_ffi.rules_load_files(arr, len(paths), ctypes.byref(err)))

    def _handle(self):
        if not self._h:
            raise Error("the rule collection is closed")
        return self._h

    def close(self):
        """Free the collection. Decisions already made stay usable (they hold Python data)."""
        with self._lock:
            if self._h:
                _ffi.rules_free(self._h)
                self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def check_shipment(self, shipment, date=None, ruleset=None):
        """Check one shipment given as a dict (or JSON text) in the shipment format."""
        text = shipment if isinstance(shipment, str) else json.dumps(shipment)
        err = _ffi.Error()
        opts = _options(date, ruleset)
        d = _ffi.check_json(self._handle(), text.encode(), ctypes.byref(opts), ctypes.byref(err))
        try:
            return Decision(_ffi.take_string(_ffi.decision_json(d, 0)))
        finally:
            _ffi.decision_free(d)

    def check(self, chip, to, hq=None, date=None, export_from=None, licenses=None, exception=None,
              authorization=None, id=None, quantity=None, ruleset=None):
        """Check one shipment.

        ``chip`` is a catalog name (``"H20"``) or a dict of figures (``{"name": ..., "tpp": ...}``);
        ``to``, ``hq`` and ``export_from`` are ISO 3166-1 alpha-2 codes; ``date`` is ``YYYY-MM-DD`` (today
        when None); ``licenses`` is a list of license dicts; ``exception`` names a license exception the
        shipment is made under (with ``authorization`` for NAC); ``ruleset`` forces ``ID@VERSION``.
        """
        return self.check_shipment(_shipment(chip, to, hq, date, export_from, licenses, exception,
                                             authorization, id, quantity), ruleset=ruleset)

    def check_many(self, shipments, date=None, ruleset=None, errors="raise"):
        """Check an iterable of shipment dicts, yielding one result per input, in order.

        With ``errors="raise"`` a bad shipment raises ``chipcheck.Error``; with ``errors="yield"`` the
        ``Error`` is yielded in its place and the iteration goes on.
        """
        if errors not in ("raise", "yield"):
            raise ValueError("errors must be 'raise' or 'yield'")
        for shipment in shipments:
            try:
                yield self.check_shipment(shipment, date=date, ruleset=ruleset)
            except Error as e:
                if errors == "raise":
                    raise
                yield e

    def versions(self):
        """Every loaded rule-set version: dicts with id, version, effective, title, digest."""
        h = self._handle()
        out = []
        for i in range(_ffi.rules_count(h)):
            vals = [ctypes.c_char_p() for _ in range(5)]
            _ffi.rules_info(h, i, *[ctypes.byref(v) for v in vals])
            out.append(dict(zip(("id", "version", "effective", "title", "digest"),
                                (v.value.decode() for v in vals))))
        return out

    def version(self, id_at_version):
        """One resolved version (after extends) as a dict: files, groups, metrics, rules."""
        err = _ffi.Error()
        return json.loads(_ffi.take_string(
            _ffi.rules_version_json(self._handle(), id_at_version.encode(), 0, ctypes.byref(err))))

    def chips(self):
        """Names of the catalog chips."""
        h = self._handle()
        return [_ffi.rules_chip_name(h, i).decode() for i in range(_ffi.rules_chip_count(h))]

    def chip(self, name):
        """One catalog chip's entry (figures, sources) as a dict."""
        err = _ffi.Error()
        return json.loads(_ffi.take_string(_ffi.rules_chip_json(self._handle(), name.encode(), ctypes.byref(err))))


_default = None
_default_lock = threading.Lock()


def check(chip, to, **kwargs):
    """Check one shipment against the bundled rules (loaded once, on first use). See Rules.check."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Rules.default()
    return _default.check(chip, to, **kwargs)
