"""Screen a Dask DataFrame of order lines on a Dask cluster: ``chipcheck.dask.screen(ddf)``.

Each partition goes through ``chipcheck.screen_frame`` on the worker that holds it. The tasks carry only
the parameters (a rules directory path, a date, a rule-set pin, the columns to leave alone); every worker
process loads the rules once, on its first partition, and keeps them (``chipcheck.frames.cached_rules``).
Needs dask[dataframe] and pandas (Debian: python3-dask, python3-pandas; python3-distributed for a cluster);
``import chipcheck`` never imports them.
"""
import os

from . import _date_text, frames


def screen(ddf, rules_dir=None, date=None, ruleset=None, ignore=()):
    """The Dask DataFrame ``ddf`` with ``verdict``, ``review_policy``, ``codes``, ``missing`` and ``error``
    added to every partition, lazily (``.compute()``, ``.to_parquet(...)``, ... run it). The columns, the
    index and the divisions are those of ``ddf``; see ``chipcheck.screen_frame`` for the columns read and
    the values written.

    ``rules_dir`` is a directory laid out like rules/ that must exist at that path on every worker (None:
    the rules compiled into the library); ``date`` (str or datetime.date) is the date of rows without one
    (None: each worker's today, UTC: give it for reproducible results); ``ruleset`` pins ``"ID@VERSION"``.
    A ``chipcheck.Rules`` object is refused: it is a handle to C memory of this process, and the workers
    load their own. Unknown columns raise ValueError here, before anything runs.
    """
    try:
        import dask.dataframe as dd
    except ImportError as e:
        raise ImportError("chipcheck.dask needs dask's DataFrame and pandas (Debian: apt-get install python3-dask "
                          "python3-pandas, and python3-distributed for a cluster): %s" % e) from None
    if not isinstance(ddf, dd.DataFrame):
        raise TypeError("chipcheck.dask.screen takes a dask DataFrame, not %s" % type(ddf).__name__)
    if rules_dir is not None and not isinstance(rules_dir, (str, bytes, os.PathLike)):
        raise TypeError("rules_dir must be a path (the workers load the rules themselves), not %s"
                        % type(rules_dir).__name__)
    params = {
        "rules_dir": None if rules_dir is None else os.fsdecode(rules_dir),
        "date": None if date is None else _date_text(date),
        "ruleset": ruleset,
        "ignore": (ignore,) if isinstance(ignore, str) else tuple(ignore),
    }
    # The empty frame's result is the meta: it checks the columns and loads no rules.
    meta = frames.screen_frame(ddf._meta, **params)
    return ddf.map_partitions(frames._screen_partition, meta=meta, **params)
