"""ctypes declarations of libchipcheck: one line per C function of include/chipcheck.h.

Each ``_fn`` line in the table below mirrors one ``CHIPCHECK_API`` prototype, libarchive-c style:
``_fn(name without the chipcheck_ prefix, argument types, return type, errcheck hook)``. The tests compare
the table with the header (names, argument counts and types) and with the library's exported symbols, so
a header change that is not mirrored here fails ``make python-test``.

Conventions:
- opaque handles (``chipcheck_rules *``, ``chipcheck_decision *``, ...) are ``c_void_p``;
- a string the library owns (borrowed, ``const char *``) is ``c_char_p``; a string the caller must free
  (``char *``) is ``c_void_p``, so that the pointer can be handed back to ``chipcheck_free`` (a
  ``c_char_p`` restype would copy the bytes and lose the pointer: a leak);
- constructors that return NULL on failure get ``_check_null``, calls that return a negative status get
  ``_check_status``; both raise ``chipcheck.Error`` from the ``chipcheck_error`` passed to the call.

This module is private: use the ``chipcheck`` package.
"""
import ctypes
import ctypes.util
import glob
import os
from ctypes import POINTER, c_char, c_char_p, c_int, c_long, c_size_t, c_uint, c_void_p

from .errors import Error as ChipcheckError

#: The major version this package is written for; the library's must match (checked below, on import).
MAJOR = 0


class Error(ctypes.Structure):
    """Mirror of ``chipcheck_error`` (its size is checked against ``chipcheck_sizeof_error()`` on import)."""
    _fields_ = [
        ("code", c_int),
        ("line", c_int),
        ("column", c_int),
        ("offset", c_long),
        ("source", c_char * 256),
        ("field", c_char * 64),
        ("message", c_char * 256),
    ]


class Options(ctypes.Structure):
    """Mirror of ``chipcheck_options``; make it with ``Options(OPTIONS_VERSION, None, None)``."""
    _fields_ = [("version", c_uint), ("default_date", c_char_p), ("ruleset", c_char_p)]


class Shipment(ctypes.Structure):
    """Mirror of ``chipcheck_shipment`` (the chip figures and licenses go through JSON, so they stay opaque)."""
    _fields_ = [("id", c_char_p), ("date", c_char_p), ("destination", c_char_p), ("end_user_hq", c_char_p),
                ("export_from", c_char_p), ("chip_name", c_char_p), ("chip", c_void_p), ("exception", c_char_p),
                ("exception_authorization", c_char_p), ("licenses", c_void_p), ("n_licenses", c_size_t),
                ("destination_region", c_char_p), ("eccn", c_char_p)]


class Outcome(ctypes.Structure):
    """Mirror of ``chipcheck_outcome`` (written by ``chipcheck_check_many``)."""
    _fields_ = [("verdict", c_int), ("policy_may_be_stricter", c_int), ("text", c_size_t), ("n_codes", c_size_t),
                ("n_missing", c_size_t)]


OPTIONS_VERSION = 1  # CHIPCHECK_OPTIONS_VERSION
JSON_PRETTY = 1      # CHIPCHECK_JSON_PRETTY
JSON_BRIEF = 2       # CHIPCHECK_JSON_BRIEF


def _candidates():
    """Where the library is looked for, in order (see ``_load``)."""
    env = os.environ.get("CHIPCHECK_LIBRARY")
    if env:
        return [("CHIPCHECK_LIBRARY", env)]
    here = os.path.dirname(os.path.abspath(__file__))
    # Next to the package: the SONAME of our major first, then the dev symlink, then any versioned file.
    local = [os.path.join(here, "libchipcheck.so.%d" % MAJOR), os.path.join(here, "libchipcheck.so")]
    local += sorted(glob.glob(os.path.join(here, "libchipcheck.so.%d.*" % MAJOR)))
    found = [("next to the package", p) for p in local if os.path.exists(p)]
    system = ctypes.util.find_library("chipcheck")
    if system:
        found.append(("the system library path", system))
    return found


def _load():
    """Load libchipcheck: $CHIPCHECK_LIBRARY (a path, to override), else the libchipcheck.so.0 next to this
    package (the wheel built by bindings/python/_build carries it there), else the installed one
    (``ctypes.util.find_library("chipcheck")``). Raises ImportError saying what to do."""
    candidates = _candidates()
    if not candidates:
        raise ImportError("chipcheck: libchipcheck.so.%d not found: install the package from a built tree (make, "
                          "then pip install bindings/python: the wheel carries the library), set CHIPCHECK_LIBRARY "
                          "to its path, or install the library (make install, then ldconfig)" % MAJOR)
    where, path = candidates[0]
    try:
        return ctypes.CDLL(path)
    except OSError as e:
        raise ImportError("chipcheck: cannot load libchipcheck from %s (%s): %s" % (where, path, e)) from e


lib = _load()


def error_from(err):
    """Turn a filled ``Error`` struct into a ``chipcheck.Error`` exception (not raised)."""
    name = lib.chipcheck_status_name(err.code)
    return ChipcheckError(err.message.decode("utf-8", "replace"),
                          code=name.decode() if name else str(err.code),
                          field=err.field.decode("utf-8", "replace"),
                          source=err.source.decode("utf-8", "replace"),
                          line=err.line, column=err.column, status=err.code, offset=err.offset)


def _err_arg(args):
    """The Error struct passed (by reference or by pointer) among a call's arguments, or None."""
    for a in args:
        if isinstance(a, Error):
            return a
        obj = getattr(a, "_obj", None)  # ctypes.byref() keeps the referenced object here
        if isinstance(obj, Error):
            return obj
        if isinstance(a, ctypes._Pointer) and a and isinstance(a.contents, Error):
            return a.contents
    return None


def _check_null(result, func, args):
    """errcheck: NULL means failure; the error struct among the arguments says why."""
    if not result:
        err = _err_arg(args)
        if err is not None and err.code != 0:
            raise error_from(err)
        raise ChipcheckError("%s failed" % func.__name__)
    return result


def _check_status(result, func, args):
    """errcheck: a negative status means failure."""
    if result < 0:
        err = _err_arg(args)
        if err is not None and err.code != 0:
            raise error_from(err)
        name = lib.chipcheck_status_name(result)
        raise ChipcheckError("%s failed with status %d" % (func.__name__, result),
                             code=name.decode() if name else str(result), status=result)
    return result


#: Every declared C function name (``chipcheck_...``), in table order; the tests compare it with the header.
NAMES = []


def _fn(name, argtypes, restype, errcheck=None):
    """Declare ``chipcheck_<name>`` once: its argument and return types and its errcheck hook. The
    function becomes this module's attribute ``<name>``. A library without it (another library, or an
    older libchipcheck) is an ImportError, as the package documents."""
    try:
        f = getattr(lib, "chipcheck_" + name)
    except AttributeError:
        raise ImportError("chipcheck: %s has no chipcheck_%s: it is not libchipcheck, or older than this "
                          "package (%d.x with every function of include/chipcheck.h)"
                          % (lib._name, name, MAJOR)) from None
    f.argtypes = argtypes
    f.restype = restype
    if errcheck is not None:
        f.errcheck = errcheck
    NAMES.append("chipcheck_" + name)
    globals()[name] = f


E = POINTER(Error)
S = POINTER(c_char_p)  # const char ** (out-parameters) and const char *const * (arrays of paths)

# ---- one line per CHIPCHECK_API function, in header order ------------------------------------------
# versions and errors
_fn("version", [], c_char_p)
_fn("version_number", [], c_int)
_fn("status_name", [c_int], c_char_p)
_fn("sizeof_error", [], c_size_t)
_fn("free", [c_void_p], None)
# rule collections
_fn("rules_load_default", [E], c_void_p, _check_null)
_fn("rules_load_dir", [c_char_p, E], c_void_p, _check_null)
_fn("rules_load_files", [S, c_size_t, E], c_void_p, _check_null)
_fn("rules_load_with_base", [c_char_p, S, c_size_t, E], c_void_p, _check_null)
_fn("rules_free", [c_void_p], None)
_fn("rules_count", [c_void_p], c_size_t)
_fn("rules_info", [c_void_p, c_size_t, S, S, S, S, S], c_int, _check_status)
_fn("rules_reviewed", [c_void_p, c_size_t], c_char_p)
_fn("rules_version_json", [c_void_p, c_char_p, c_uint, E], c_void_p, _check_null)
_fn("rules_chip_count", [c_void_p], c_size_t)
_fn("rules_chip_name", [c_void_p, c_size_t], c_char_p)
_fn("rules_chip_json", [c_void_p, c_char_p, E], c_void_p, _check_null)
# checking
_fn("verdict_name", [c_int], c_char_p)
_fn("check_json", [c_void_p, c_char_p, POINTER(Options), E], c_void_p, _check_null)
_fn("check", [c_void_p, c_void_p, POINTER(Options), E], c_void_p, _check_null)
_fn("evaluator_new", [c_void_p, E], c_void_p, _check_null)
_fn("evaluator_free", [c_void_p], None)
_fn("evaluator_verdict", [c_void_p, c_void_p, POINTER(Options), E], c_int, _check_status)
_fn("evaluator_verdict_json", [c_void_p, c_char_p, POINTER(Options), E], c_int, _check_status)
_fn("evaluator_verdicts", [c_void_p, c_size_t, S, S, S, S, POINTER(Options), c_void_p, E], c_long,
    _check_status)
_fn("prepare_chip", [c_void_p, c_char_p, c_void_p, E], c_void_p, _check_null)
_fn("prepared_chip_free", [c_void_p], None)
_fn("evaluator_verdict_prepared", [c_void_p, c_void_p, c_char_p, c_char_p, c_char_p, c_char_p, POINTER(Options), E],
    c_int, _check_status)
_fn("evaluator_verdicts_prepared", [c_void_p, c_size_t, c_void_p, S, S, S, S, POINTER(Options), c_void_p, E],
    c_long, _check_status)
_fn("check_many", [c_void_p, c_size_t, c_void_p, POINTER(Options), c_void_p, c_char_p, c_size_t, c_void_p, c_void_p,
                   E], c_long, _check_status)
# decisions
_fn("decision_free", [c_void_p], None)
_fn("decision_verdict", [c_void_p], c_int)
_fn("decision_id", [c_void_p], c_char_p)
_fn("decision_ruleset_id", [c_void_p], c_char_p)
_fn("decision_ruleset_version", [c_void_p], c_char_p)
_fn("decision_ruleset_digest", [c_void_p], c_char_p)
_fn("decision_review_policy", [c_void_p], c_char_p)
_fn("decision_classification_count", [c_void_p], c_size_t)
_fn("decision_classification", [c_void_p, c_size_t], c_char_p)
_fn("decision_missing_count", [c_void_p], c_size_t)
_fn("decision_missing", [c_void_p, c_size_t], c_char_p)
_fn("decision_policy_may_be_stricter", [c_void_p], c_int)
_fn("decision_ruleset_count", [c_void_p], c_size_t)
_fn("decision_ruleset_info", [c_void_p, c_size_t, POINTER(c_char_p), POINTER(c_char_p), POINTER(c_char_p),
                              c_void_p], c_int)
_fn("decision_not_screened_count", [c_void_p], c_size_t)
_fn("decision_not_screened_code", [c_void_p, c_size_t], c_char_p)
_fn("decision_not_screened_text", [c_void_p, c_size_t], c_char_p)
_fn("decision_freshness_count", [c_void_p], c_size_t)
_fn("decision_freshness", [c_void_p, c_size_t, POINTER(c_char_p), POINTER(c_char_p), c_void_p], c_int)
_fn("decision_reason_count", [c_void_p], c_size_t)
_fn("decision_reason", [c_void_p, c_size_t], c_void_p)
_fn("reason_rule", [c_void_p], c_char_p)
_fn("reason_code", [c_void_p], c_char_p)
_fn("reason_kind", [c_void_p], c_char_p)
_fn("reason_citation", [c_void_p], c_char_p)
_fn("reason_source_kind", [c_void_p], c_char_p)
_fn("reason_text", [c_void_p], c_char_p)
_fn("reason_result", [c_void_p], c_int)
_fn("decision_json", [c_void_p, c_uint], c_void_p)

_fn("headroom", [c_void_p, c_char_p, POINTER(Options), c_uint, E], c_void_p, _check_null)
_fn("envelope", [c_void_p, c_char_p, POINTER(c_char_p), c_size_t, POINTER(Options), c_uint, E], c_void_p,
    _check_null)


def raw(name, argtypes, restype):
    """A second, independent function object for ``chipcheck_<name>``, for the package's hot paths: no
    errcheck hook (the caller reads the status and the error struct itself), and pointer arguments passed as
    addresses (``c_void_p``). The table above stays the declaration of record."""
    f = lib["chipcheck_" + name]
    f.argtypes = argtypes
    f.restype = restype
    return f


def take_string(ptr):
    """Copy a library-allocated string (a ``c_void_p`` result) into a Python str and free it with
    ``chipcheck_free``. NULL (the library ran out of memory) raises ``chipcheck.Error``."""
    if not ptr:
        raise ChipcheckError("out of memory", code="CHIPCHECK_ERR_NOMEM", status=-1)
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        free(ptr)  # noqa: F821 (declared by _fn above)


def _check_abi():
    """Refuse a library of another major version or with another chipcheck_error layout."""
    have = version_number()  # noqa: F821
    if have // 10000 != MAJOR:
        raise ImportError("chipcheck: libchipcheck %s (major %d) does not match this package (major %d)"
                          % (version().decode(), have // 10000, MAJOR))  # noqa: F821
    if ctypes.sizeof(Error) != sizeof_error():  # noqa: F821
        raise ImportError("chipcheck: chipcheck_error is %d bytes in the library but %d in the binding"
                          % (sizeof_error(), ctypes.sizeof(Error)))  # noqa: F821


_check_abi()
