"""Decision: the verdict and reasoning trace of one shipment.

A Decision made by ``Rules.check*`` holds the C decision (``chipcheck_decision *``) and reads what it is asked
for through the library's accessors: the verdict, review policy, missing fields, classification, id and codes
cost a call each, and the decision JSON (17-39 KB) is rendered only when a field that needs it is read
(``reasons``, ``rulesets``, ``to_dict()``, ``to_json()``, ...). The JSON is then kept, decoded on first use,
and the C decision freed.

A C decision borrows text from its rule collection, so it must not outlive it. The choice made here: each
Rules has a keeper, which owns the C decisions of its live Decisions (a dict from the Decision's id() to the
pointer: no reference to the Decision, nothing to do per check but one dict store), and ``Rules.close()``
renders the JSON of every C decision still held, frees it, and keeps the text for its Decision, before the
collection is freed. A Decision is therefore usable (and picklable: it pickles as its JSON) after its Rules
is closed, and one dropped before then costs no rendering at all. The keeper's lock (reentrant, since the
garbage collector may finalize a Decision on the thread that closes) guards every use of the pointers, so a
read, a render, a finalizer and close() never race.
"""
import json
import threading
import weakref

from . import _ffi

_UNREAD = object()  # a field not read yet (None is a real review policy)


class _Keeper:
    """The C decisions of one Rules' live Decisions (id(Decision) -> pointer), the JSON texts close() rendered
    for them, and the lock that guards both."""

    __slots__ = ("lock", "live", "texts")

    def __init__(self):
        self.lock = threading.RLock()
        self.live = {}
        self.texts = {}

    def release(self):
        """Render every C decision still held and free it, keeping its text for its Decision (before the rules
        are freed)."""
        with self.lock:
            for key, d in list(self.live.items()):
                self.texts[key] = _ffi.take_string(_ffi.decision_json(d, 0))
                del self.live[key]
                _ffi.decision_free(d)


class Decision:
    """One decision.

    ``verdict`` is ``'allowed'``, ``'license_required'`` or ``'indeterminate'``; ``reasons`` is the
    ordered trace (dicts with ``rule``, ``code``, ``kind``, ``result``, ``citation``, ``source_kind``,
    ``text``, ``checks``, ...); ``missing`` names the data whose absence left the answer open; ``codes`` are
    the codes of the reasons that hold. A Decision stays usable after its ``Rules`` is closed, and pickles as
    its JSON.
    """

    __slots__ = ("_decoded", "_json", "_keeper", "_verdict", "_policy", "_codes", "_missing")

    def __init__(self, text):
        """Make a Decision from decision JSON text (as ``chipcheck_decision_json(d, 0)`` writes it). The text
        is decoded on the first access to a field, not before: code that only keeps or forwards the JSON
        (``to_json()``) never pays for decoding it."""
        self._json = text
        self._decoded = None
        self._keeper = None  # the keeper of its C decision, while it has one
        self._verdict = self._codes = self._missing = None
        self._policy = _UNREAD

    @classmethod
    def _from_c(cls, ptr, keeper, verdict, policy=_UNREAD, codes=None, missing=None):
        """Wrap a C decision (the keeper owns it from now on) whose verdict is known; the other fields already
        known may be given. The caller holds the rules in use, so the keeper is not released meanwhile."""
        self = cls.__new__(cls)
        self._json = self._decoded = None
        self._keeper = keeper
        self._verdict = verdict
        self._policy = policy
        self._codes = codes
        self._missing = missing
        keeper.live[id(self)] = ptr
        return self

    def __del__(self):
        k = self._keeper
        if k is not None:
            try:
                with k.lock:
                    d = k.live.pop(id(self), None)
                    k.texts.pop(id(self), None)
                if d:
                    _ffi.decision_free(d)
            except Exception:  # interpreter shutdown: the module globals may be gone
                pass

    @property
    def _held(self):
        """True while the C decision is held (nothing rendered yet)."""
        k = self._keeper
        return k is not None and id(self) in k.live

    def _render(self):
        """The JSON text: rendered from the C decision (which is then freed) on first use, or the text close()
        rendered."""
        if self._json is None:
            k = self._keeper
            with k.lock:
                if self._json is None:
                    key = id(self)
                    d = k.live.get(key)
                    if d:
                        text = _ffi.take_string(_ffi.decision_json(d, 0))
                        del k.live[key]
                        _ffi.decision_free(d)
                    else:
                        text = k.texts.pop(key)
                    self._json = text
                    self._keeper = None
        return self._json

    def _c(self, read):
        """(True, read(C decision)) while the C decision is held, else (False, None): read the JSON."""
        k = self._keeper
        if k is not None:
            with k.lock:
                d = k.live.get(id(self))
                if d:
                    return True, read(d)
        return False, None

    @property
    def _data(self):
        if self._decoded is None:
            self._decoded = json.loads(self._render())
        return self._decoded

    @property
    def id(self):
        """The shipment id echoed from the input, or None."""
        ok, v = self._c(_ffi.decision_id)
        if ok:
            return v.decode() if v is not None else None
        return self._data.get("id")

    @property
    def verdict(self):
        """'allowed', 'license_required' or 'indeterminate'."""
        if self._verdict is None:
            self._verdict = self._data["verdict"]
        return self._verdict

    @property
    def allowed(self):
        """True only for the 'allowed' verdict (never for 'indeterminate')."""
        return self.verdict == "allowed"

    @property
    def reasons(self):
        """The ordered reasoning trace: one dict per rule evaluated."""
        return self._data["reasons"]

    @property
    def codes(self):
        """The codes of the reasons that hold, in trace order (the ``codes`` of ``chipcheck batch --brief``),
        e.g. ['3A090.a.1', 'D5_DESTINATION']."""
        if self._codes is None:
            ok, v = self._c(_reason_codes)
            self._codes = v if ok else [r["code"] for r in self._data["reasons"] if r["result"] is True]
        return list(self._codes)

    @property
    def classification(self):
        """Classifications that hold, e.g. ['3A090.a']."""
        ok, v = self._c(lambda d: _strings(d, _ffi.decision_classification_count, _ffi.decision_classification))
        return v if ok else self._data["classification"]

    @property
    def missing(self):
        """Fields whose absence left a requirement unknown: with 'indeterminate', what to find out; with
        'license_required', what could add a requirement or a stricter policy."""
        if self._missing is None:
            ok, v = self._c(lambda d: _strings(d, _ffi.decision_missing_count, _ffi.decision_missing))
            self._missing = v if ok else self._data["missing"]
        return list(self._missing)

    @property
    def policy_may_be_stricter(self):
        """True when an unknown requirement would carry a stricter review policy than ``review_policy``."""
        ok, v = self._c(_ffi.decision_policy_may_be_stricter)
        return bool(v) if ok else self._data["policy_may_be_stricter"]

    @property
    def rulesets(self):
        """Every regime consulted: dicts with ``id``, ``version`` (None when none was in force), ``effective``,
        ``digest``, ``verdict`` (that regime's own) and ``review_policy``."""
        return self._data["rulesets"]

    @property
    def not_screened(self):
        """What the answer does not cover (restricted parties, end-use controls, ...): dicts with ``code``,
        ``label`` and ``text``, declared by the rule files of the regimes in force."""
        return self._data["not_screened"]

    @property
    def freshness(self):
        """Regimes whose rules were reviewed only up to a date before the shipment's: dicts with ``regime``,
        ``reviewed`` and ``days_after``; empty when the rules were reviewed through the shipment's date."""
        return self._data["freshness"]

    @property
    def review_policy(self):
        """The review policy where a license is required, else None."""
        if self._policy is _UNREAD:
            ok, v = self._c(_ffi.decision_review_policy)
            self._policy = (v.decode() if v is not None else None) if ok else self._data["review_policy"]
        return self._policy

    @property
    def conditions(self):
        """Conditions attached by allowances (texts)."""
        return self._data["conditions"]

    @property
    def exceptions(self):
        """License exceptions the shipment is eligible for."""
        return self._data["exceptions"]

    @property
    def ruleset(self):
        """{'id', 'version', 'effective', 'title', 'digest'} of the primary (advanced-computing) rule set;
        every regime consulted is in ``rulesets``."""
        return self._data["ruleset"]

    def to_dict(self):
        """The decision JSON as a dict (a fresh copy)."""
        return json.loads(self._render())

    def to_json(self):
        """The decision JSON text exactly as the library wrote it."""
        return self._render()

    def __reduce__(self):
        # A pickle carries the JSON (the C decision belongs to this process).
        return (Decision, (self._render(),))

    def __repr__(self):
        return "Decision(id=%r, verdict=%r, review_policy=%r)" % (self.id, self.verdict, self.review_policy)


def _strings(d, count, item):
    return [item(d, i).decode() for i in range(count(d))]


def _reason_codes(d):
    out = []
    for i in range(_ffi.decision_reason_count(d)):
        r = _ffi.decision_reason(d, i)
        if _ffi.reason_result(r) == 1:
            out.append(_ffi.reason_code(r).decode())
    return out
