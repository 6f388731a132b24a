"""ctypes declarations of libchipcheck: one line per C function of include/chipcheck.h.

Each ``_fn`` line mirrors one ``CHIPCHECK_API`` prototype (tests compare the names with the header and
with the library's exported symbols). Returned strings the caller owns are declared ``c_void_p`` so they
can be handed back to ``chipcheck_free``.
"""
import ctypes
import ctypes.util
import glob
import os
from ctypes import POINTER, c_char, c_char_p, c_int, c_long, c_size_t, c_uint, c_void_p

from .errors import Error as ChipcheckError

MAJOR = 0


class Error(ctypes.Structure):
    """Mirror of ``chipcheck_error``."""
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
    """Mirror of ``chipcheck_options``."""
    _fields_ = [("version", c_uint), ("default_date", c_char_p), ("ruleset", c_char_p)]


OPTIONS_VERSION = 1
JSON_PRETTY = 1


def _find_library():
    env = os.environ.get("CHIPCHECK_LIBRARY")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in sorted(glob.glob(os.path.join(here, "libchipcheck.so*"))):
        return candidate
    found = ctypes.util.find_library("chipcheck")
    if found:
        return found
    raise ChipcheckError("libchipcheck.so not found: set CHIPCHECK_LIBRARY to its path, or install the library",
                         code="CHIPCHECK_ERR_IO")


lib = ctypes.CDLL(_find_library())


def error_from(err):
    """Turn a filled ``Error`` struct into a ``chipcheck.Error`` exception."""
    name = lib.chipcheck_status_name(err.code)
    return ChipcheckError(err.message.decode("utf-8", "replace"),
                          code=name.decode() if name else str(err.code),
                          field=err.field.decode("utf-8", "replace"),
                          source=err.source.decode("utf-8", "replace"),
                          line=err.line, column=err.column)


def _err_arg(args):
    """The Error struct passed (by reference or by pointer) among a call's arguments."""
    for a in args:
        if isinstance(a, Error):
            return a
        obj = getattr(a, "_obj", None)  # ctypes.byref() and pointer() keep the object here
        if isinstance(obj, Error):
            return obj
        if isinstance(a, ctypes._Pointer) and isinstance(a.contents, Error):
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
        raise ChipcheckError("%s failed with status %d" % (func.__name__, result))
    return result


NAMES = []


def _fn(name, argtypes, restype, errcheck=None):
    f = getattr(lib, "chipcheck_" + name)
    f.argtypes = argtypes
    f.restype = restype
    if errcheck is not None:
        f.errcheck = errcheck
    NAMES.append("chipcheck_" + name)
    globals()[name] = f


E = POINTER(Error)
# ---- one line per CHIPCHECK_API function, in header order ----
_fn("version", [], c_char_p)
_fn("version_number", [], c_int)
_fn("status_name", [c_int], c_char_p)
_fn("sizeof_error", [], c_size_t)
_fn("free", [c_void_p], None)
_fn("rules_load_default", [E], c_void_p, _check_null)
_fn("rules_load_dir", [c_char_p, E], c_void_p, _check_null)
_fn("rules_load_files", [POINTER(c_char_p), c_size_t, E], c_void_p, _check_null)
_fn("rules_free", [c_void_p], None)
_fn("rules_count", [c_void_p], c_size_t)
_fn("rules_info", [c_void_p, c_size_t, POINTER(c_char_p), POINTER(c_char_p), POINTER(c_char_p),
                   POINTER(c_char_p), POINTER(c_char_p)], c_int, _check_status)
_fn("rules_version_json", [c_void_p, c_char_p, c_uint, E], c_void_p, _check_null)
_fn("rules_chip_count", [c_void_p], c_size_t)
_fn("rules_chip_name", [c_void_p, c_size_t], c_char_p)
_fn("rules_chip_json", [c_void_p, c_char_p, E], c_void_p, _check_null)
_fn("verdict_name", [c_int], c_char_p)
_fn("check_json", [c_void_p, c_char_p, POINTER(Options), E], c_void_p, _check_null)
_fn("check", [c_void_p, c_void_p, POINTER(Options), E], c_void_p, _check_null)
_fn("evaluator_new", [c_void_p, E], c_void_p, _check_null)
_fn("evaluator_free", [c_void_p], None)
_fn("evaluator_verdict", [c_void_p, c_void_p, POINTER(Options), E], c_int, _check_status)
_fn("evaluator_verdict_json", [c_void_p, c_char_p, POINTER(Options), E], c_int, _check_status)
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


def take_string(ptr):
    """Copy a library-allocated string into Python and free it with chipcheck_free."""
    if not ptr:
        raise ChipcheckError("out of memory", code="CHIPCHECK_ERR_NOMEM")
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        free(ptr)  # noqa: F821 (declared by _fn above)


if version_number() // 10000 != MAJOR:  # noqa: F821
    raise ImportError("libchipcheck major version %d does not match the package's %d"
                      % (version_number() // 10000, MAJOR))  # noqa: F821
if ctypes.sizeof(Error) != sizeof_error():  # noqa: F821
    raise ImportError("chipcheck_error is %d bytes in the library but %d in the binding"
                      % (sizeof_error(), ctypes.sizeof(Error)))  # noqa: F821
