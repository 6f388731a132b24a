"""Generated order lines (seeded, so every run gets the same lines) for the Dask test and `make bench`:
catalog chips, chips given by their figures with some figures missing, catalog chips with a figure
overridden, and a tenth of lines that chipcheck must refuse, to some 20 destinations from 2022 to 2026."""
import csv
import datetime
import math
import random

CATALOG = ("H20", "H100", "H100 PCIe 80GB", "A100", "A800 SXM4 80GB", "H800 SXM5 80GB", "B200", "L40S", "L20",
           "GeForce RTX 4090", "GeForce RTX 4090 D", "Instinct MI308X", "Instinct MI300X", "Gaudi 3", "A10")
COUNTRIES = ("CN", "HK", "MO", "DE", "VN", "US", "AE", "IN", "SG", "JP", "KP", "IR", "RU", "SA", "MY", "GB",
             "FR", "BR", "IL", "CU")
COLUMNS = ("id", "date", "destination", "end_user_hq", "export_from", "quantity", "chip", "name", "tpp",
           "die_area_mm2", "memory_bandwidth_gbs", "datacenter")
NAN = float("nan")
FIRST_DAY = datetime.date(2022, 1, 1).toordinal()
DAYS = datetime.date(2026, 6, 30).toordinal() - FIRST_DAY


def _bad(rng, row):
    """Spoil one field so that the command and the binding must refuse the line."""
    kind = rng.randrange(6)
    if kind == 0:
        row["destination"] = "XX"
    elif kind == 1:
        row["date"] = "2025-02-30"
    elif kind == 2:
        row["chip"], row["name"], row["tpp"] = None, "BAD-%d" % rng.randrange(1000), -5.0
    elif kind == 3:
        row["chip"] = "H2O"
    elif kind == 4:
        row["end_user_hq"] = "CHN"
    else:
        row["quantity"] = -1.0


def order_lines(n, seed=13):
    """A dict of column lists (COLUMNS), n lines; numbers are floats with NaN for a missing figure, as a
    DataFrame read from an ERP export holds them."""
    rng = random.Random(seed)
    cols = {c: [] for c in COLUMNS}
    for i in range(n):
        row = dict.fromkeys(COLUMNS)
        row.update(id="L%07d" % i, destination=rng.choice(COUNTRIES), quantity=NAN, tpp=NAN, die_area_mm2=NAN,
                   memory_bandwidth_gbs=NAN)
        if rng.random() < 0.97:
            row["date"] = datetime.date.fromordinal(FIRST_DAY + rng.randrange(DAYS)).isoformat()
        if rng.random() < 0.85:
            row["end_user_hq"] = rng.choice(COUNTRIES)
        if rng.random() < 0.5:
            row["export_from"] = "US"
        if rng.random() < 0.7:
            row["quantity"] = float(rng.randrange(1, 512))
        kind = rng.random()
        if kind < 0.6:
            row["chip"] = rng.choice(CATALOG)
            if kind < 0.1:
                row["tpp"] = round(rng.uniform(1000, 6000), 1)
        else:
            row["name"] = "SYN-%d" % rng.randrange(100)
            row["tpp"] = rng.choice((1599.0, 1600.0, 2399.9, 2400.0, 4799.0, 4800.0, round(rng.uniform(100, 20000), 2)))
            if rng.random() < 0.8:
                row["die_area_mm2"] = float(rng.choice((300, 600, 814, round(rng.uniform(50, 900)))))
            if rng.random() < 0.7:
                row["memory_bandwidth_gbs"] = float(rng.choice((1400, 4000, 4800, rng.randrange(200, 9000))))
            row["datacenter"] = rng.choice((True, False, None))
        if rng.random() < 0.1:
            _bad(rng, row)
        for c in COLUMNS:
            cols[c].append(row[c])
    return cols


def _csv_cell(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else value


def write_csv(cols, path):
    """The same lines as CSV for `chipcheck batch --input-format csv` (an empty cell where a value is
    missing; floats written exactly)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(zip(*[[_csv_cell(v) for v in cols[c]] for c in COLUMNS]))
