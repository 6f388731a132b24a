"""bench_python.py: the Python figures of `make bench` (run by tests/bench/bench.c, which prints them with
the others). One line out: "check_per_s verdict_per_s bulk_per_s distinct_per_s" -- check() one at a time (a
Decision and its verdict: the struct path, nothing rendered), verdict() one at a time, screen() over columns of
200,000 shipments (lists of str: 7 chips, 14 destinations, headquarters mostly the destination's, one
default date; screen() decides each distinct row once), and screen() over 200,000 rows that are all
distinct (each its own date, from 2022 to 2026, so no row is decided twice). A benchmark: it asserts nothing
about time."""
import datetime
import random
import time

import chipcheck

rules = chipcheck.Rules.default()
rng = random.Random(7)
CHIPS = ["H20", "H100 SXM5 80GB", "A100 SXM4 80GB", "B200", "GeForce RTX 4090", "L40S", "Instinct MI308X"]
DESTS = ["CN", "HK", "MO", "RU", "IR", "AE", "SA", "VN", "DE", "JP", "US", "GB", "IN", "SG"]
N = 200000
chips = [rng.choice(CHIPS) for _ in range(N)]
to = [rng.choice(DESTS) for _ in range(N)]
hq = [t if rng.random() < 0.7 else rng.choice(DESTS) for t in to]
day0 = datetime.date(2022, 1, 1)
days = [(day0 + datetime.timedelta(days=i % 1800)).isoformat() for i in range(N)]
rows = list(dict.fromkeys((rng.choice(CHIPS), rng.choice(DESTS), rng.choice(DESTS), days[i]) for i in range(N)))
dchips, dto, dhq, ddates = (list(col) for col in zip(*rows))


def rate(fn, n):
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        fn(n)
        best = max(best, n / (time.perf_counter() - t0))
    return best


def one_check(n):
    for i in range(n):
        rules.check(chips[i], to[i], hq=hq[i], date="2025-05-02").verdict


def one_verdict(n):
    for i in range(n):
        rules.verdict(chips[i], to[i], hq=hq[i], date="2025-05-02")


def bulk(n):
    rules.screen(chips[:n], to[:n], hq=hq[:n], date="2025-05-02")


def distinct(n):
    rules.screen(dchips[:n], dto[:n], hq=dhq[:n], dates=ddates[:n])


print("%.0f %.0f %.0f %.0f" % (rate(one_check, 20000), rate(one_verdict, 20000), rate(bulk, N),
                               rate(distinct, len(rows))))
