"""Decision: the verdict and reasoning trace of one shipment, as plain Python data."""
import json


class Decision:
    """One decision. It holds Python data only: the C decision is freed with chipcheck_decision_free as
    soon as its JSON (chipcheck_decision_json) has been read, so a Decision outlives its Rules.

    ``verdict`` is ``'allowed'``, ``'license_required'`` or ``'indeterminate'``; ``reasons`` is the
    ordered trace (dicts with ``rule``, ``code``, ``kind``, ``result``, ``citation``, ``source_kind``,
    ``text``, ``checks``, ...); ``missing`` names the data whose absence left the answer open.
    """

    __slots__ = ("_decoded", "_json")

    def __init__(self, text):
        """Make a Decision from decision JSON text (as ``chipcheck_decision_json(d, 0)`` writes it). The text
        is decoded on the first access to a field, not before: code that only keeps or forwards the JSON
        (``to_json()``) never pays for decoding it."""
        self._json = text
        self._decoded = None

    @property
    def _data(self):
        if self._decoded is None:
            self._decoded = json.loads(self._json)
        return self._decoded

    @property
    def id(self):
        """The shipment id echoed from the input, or None."""
        return self._data.get("id")

    @property
    def verdict(self):
        """'allowed', 'license_required' or 'indeterminate'."""
        return self._data["verdict"]

    @property
    def allowed(self):
        """True only for the 'allowed' verdict (never for 'indeterminate')."""
        return self._data["verdict"] == "allowed"

    @property
    def reasons(self):
        """The ordered reasoning trace: one dict per rule evaluated."""
        return self._data["reasons"]

    @property
    def classification(self):
        """Classifications that hold, e.g. ['3A090.a']."""
        return self._data["classification"]

    @property
    def missing(self):
        """Fields whose absence left a requirement unknown: with 'indeterminate', what to find out; with
        'license_required', what could add a requirement or a stricter policy."""
        return self._data["missing"]

    @property
    def policy_may_be_stricter(self):
        """True when an unknown requirement would carry a stricter review policy than ``review_policy``."""
        return self._data["policy_may_be_stricter"]

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
        return self._data["review_policy"]

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
        return json.loads(self._json)

    def to_json(self):
        """The decision JSON text exactly as the library wrote it."""
        return self._json

    def __repr__(self):
        return "Decision(id=%r, verdict=%r, review_policy=%r)" % (self.id, self.verdict, self.review_policy)
