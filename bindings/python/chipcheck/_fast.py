"""The hot paths of the package: shipments handed to C as ``chipcheck_shipment`` structs, no JSON text.

- ``fill``: the common ``check()``/``verdict()`` arguments (strings, a date) into this thread's reusable
  struct; anything else (a chip given by figures, licenses, a quantity, a non-str value, a NUL, text that does
  not encode as UTF-8) makes it answer False and the caller takes the JSON path, whose checks and messages
  are the reference.
- ``dict_fields``: the same for a shipment dict (``check_many``).
- ``encode``: each distinct str is encoded once and kept (``BYTES``), so a column of country codes or chip
  names costs a dict lookup per row.
- raw ctypes function objects (``_ffi.raw``) without errcheck hooks, called with addresses.

Private: use the ``chipcheck`` package.
"""
import ctypes
import datetime
import struct
import threading
from ctypes import c_int, c_long, c_size_t, c_void_p

from . import _ffi

VERDICTS = ("allowed", "license_required", None, "indeterminate")

check = _ffi.raw("check", [c_void_p, c_void_p, c_void_p, c_void_p], c_void_p)
evaluator_verdict = _ffi.raw("evaluator_verdict", [c_void_p, c_void_p, c_void_p, c_void_p], c_int)
decision_verdict = _ffi.raw("decision_verdict", [c_void_p], c_int)
check_many = _ffi.raw("check_many", [c_void_p, c_size_t, c_void_p, c_void_p, c_void_p, c_void_p, c_size_t,
                                     c_void_p, c_void_p, c_void_p], c_long)

NO = object()  # "cannot go through the struct": the caller takes the JSON path
BYTES = {None: None}  # str -> UTF-8 bytes, each distinct string encoded once (and kept: see ADDR)
ADDR = {None: 0}      # str -> the address of its bytes in BYTES, as the struct's const char * takes it
_BYTES_MAX = 1 << 16

# chipcheck_shipment as native pointers: id, date, destination, end_user_hq, export_from, chip_name, chip,
# exception, exception_authorization, licenses, n_licenses (size_t), destination_region, eccn
_SHIP = struct.Struct("@10PN2P")
assert _SHIP.size == ctypes.sizeof(_ffi.Shipment)


def encode(value):
    """``value`` as bytes for C (None stays None), cached; NO when it is not a str, holds a NUL or does not
    encode (a lone surrogate)."""
    if not isinstance(value, str) or "\x00" in value:
        return NO
    b = BYTES.get(value)
    if b is not None:  # an entry is never replaced: its address may be in a struct in use on another thread
        return b
    try:
        b = value.encode("utf-8")
    except UnicodeEncodeError:
        return NO
    if len(BYTES) < _BYTES_MAX:
        key = str(value)
        b = BYTES.setdefault(key, b)  # atomic: two threads encoding one string keep the same bytes
        ADDR.setdefault(key, ctypes.cast(ctypes.c_char_p(b), c_void_p).value)  # the bytes object's own buffer
    return b


def address(value):
    """The address of ``value``'s cached bytes (0 for None); NO when it does not encode, FULL when the cache
    is full (the caller then sets the struct's fields one by one)."""
    if encode(value) is NO:
        return NO
    return ADDR.get(value, FULL)


FULL = object()


def encode_date(value):
    """A date argument (str, datetime.date, datetime.datetime) as bytes; NO for anything else."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return encode(value)


def encode_id(value):
    """An id (a str, not cached: ids are mostly distinct) as bytes; NO for anything else (a number id takes
    the JSON path, which writes it as the library does)."""
    if value is None:
        return None
    if type(value) is not str or "\x00" in value:
        return NO
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        return NO


class Scratch(threading.local):
    """Each thread's reusable shipment struct, options and error report (their addresses precomputed)."""

    def __init__(self):
        self.ship = _ffi.Shipment()
        self.ship_p = ctypes.addressof(self.ship)
        self.ship_mem = memoryview(self.ship).cast("B")
        self.err = _ffi.Error()
        self.err_p = ctypes.addressof(self.err)
        self.text = ctypes.create_string_buffer(1 << 16)
        self.used = c_size_t()
        self.used_p = ctypes.addressof(self.used)


scratch = Scratch()


def fill(sc, chip, to, hq, date, export_from, exception, authorization, id, region, eccn):
    """Fill this thread's struct (sc: the Scratch) with the strings' cached addresses; False when some
    argument needs the JSON path."""
    A = ADDR
    try:
        c = A[chip]
        t = A[to]
        h = A[hq]
        d = A[date]
        f = A[export_from]
        ex = A[exception]
        au = A[authorization]
        rg = A[region]
        ec = A[eccn]
    except (KeyError, TypeError):
        c, t, h, f, ex, au, rg, ec = (address(v) if v is not None else 0
                                      for v in (chip, to, hq, export_from, exception, authorization, region, eccn))
        d = 0 if date is None else address(date if isinstance(date, str) else _date_str(date))
        if NO in (c, t, h, d, f, ex, au, rg, ec):
            return False
        if FULL in (c, t, h, d, f, ex, au, rg, ec):
            return _fill_fields(sc.ship, chip, to, hq, date, export_from, exception, authorization, id, region, eccn)
    if not c or not t:  # the JSON path says what is missing, as before
        return False
    _SHIP.pack_into(sc.ship_mem, 0, 0, d, t, h, f, c, 0, ex, au, 0, 0, rg, ec)
    if id is not None:
        i = encode_id(id)
        if i is NO:
            return False
        sc.ship.id = i
    return True


def _fill_fields(sh, chip, to, hq, date, export_from, exception, authorization, id, region, eccn):
    """fill() one field at a time (the string cache is full)."""
    date = date if date is None or isinstance(date, str) else _date_str(date)
    values = [encode(v) if v is not None else None
              for v in (chip, to, hq, date, export_from, exception, authorization, region, eccn)]
    values.append(encode_id(id))
    if NO in values or values[0] is None or values[1] is None:
        return False
    for name, b in zip(("chip_name", "destination", "end_user_hq", "date", "export_from", "exception",
                        "exception_authorization", "destination_region", "eccn", "id"), values):
        setattr(sh, name, b)
    return True


def _date_str(value):
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, datetime.date) else NO


# shipment dict key -> Shipment field, for the keys a struct carries as text
_DICT_FIELDS = {"id": "id", "date": "date", "destination": "destination", "end_user_hq": "end_user_hq",
                "export_from": "export_from", "chip": "chip_name", "exception": "exception",
                "exception_authorization": "exception_authorization", "destination_region": "destination_region",
                "eccn": "eccn"}


def dict_fields(ship):
    """[(field, bytes), ...] of a shipment dict whose keys a struct carries, each value a str (a date may be a
    datetime.date); None when the dict needs the JSON path (other keys, other values, no chip or
    destination, or not a dict at all)."""
    if type(ship) is not dict or "chip" not in ship or "destination" not in ship:
        return None
    out = []
    for key, value in ship.items():
        field = _DICT_FIELDS.get(key)
        if field is None:
            return None
        b = encode_id(value) if key == "id" else encode_date(value) if key == "date" else BYTES.get(value, NO) \
            if type(value) is str else NO
        if b is NO and type(value) is str and key != "id":
            b = encode(value)
        if b is NO or b is None:
            return None
        out.append((field, b))
    return out
