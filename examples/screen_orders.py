#!/usr/bin/env python3
"""Screen the order lines of a CSV file with chipcheck and print a short report.

    usage: screen_orders.py ORDERS.csv

The CSV has a header row naming its columns, the same as `chipcheck batch --input-format csv` reads: the
shipment's fields (id, date, destination, end_user_hq, export_from, quantity, exception,
exception_authorization, chip) and the chip's figures (name, vendor, part_number, kind, tpp, die_area_mm2,
memory_bandwidth_gbs, interconnect_bandwidth_gbs, hbm_bandwidth_density, datacenter as
true/false/1/0/yes/no), in any order. An empty cell is left out; chip figures with a chip cell override
that catalog entry. Each order gets one line: its id, the verdict, the review policy (or "-") and the
codes of the reasons that hold (for an indeterminate verdict, the missing data); an order chipcheck
refuses gets "error" and the reason. Counts per verdict follow, one a line.

Install the package first (see the README: `make`, then `pip install --no-index bindings/python` into a
venv); it carries the library, so no environment variable is needed:

    . venv/bin/activate && examples/screen_orders.py examples/orders.csv
"""
import csv
import math
import re
import sys

import chipcheck

#: The shipment's fields, then the chip's figures: the columns `chipcheck batch --input-format csv` reads.
SHIPMENT_COLUMNS = ("id", "date", "destination", "end_user_hq", "export_from", "quantity", "exception",
                    "exception_authorization", "chip")
CHIP_COLUMNS = ("name", "vendor", "part_number", "kind", "tpp", "die_area_mm2", "memory_bandwidth_gbs",
                "interconnect_bandwidth_gbs", "hbm_bandwidth_density", "datacenter")
COLUMNS = SHIPMENT_COLUMNS + CHIP_COLUMNS
NUMBERS = ("quantity", "tpp", "die_area_mm2", "memory_bandwidth_gbs", "interconnect_bandwidth_gbs",
           "hbm_bandwidth_density")
BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
VERDICTS = ("allowed", "license_required", "indeterminate")


def cell_value(column, text):
    """The JSON value of one non-empty cell, as the command reads it; ValueError names the column."""
    if column in NUMBERS:
        if not NUMBER.match(text):
            raise ValueError("%s: '%s' is not a number (digits, optional '.' and exponent)" % (column, text))
        value = float(text)
        if not math.isfinite(value):
            raise ValueError("%s: '%s' is not a finite number" % (column, text))
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if column == "datacenter":
        if text.lower() not in BOOLEANS:
            raise ValueError("datacenter: '%s' is not true, false, 1, 0, yes or no (empty for unknown)" % text)
        return BOOLEANS[text.lower()]
    return text


def shipment(row, header_size):
    """The shipment dict of one order line; ValueError for a cell the command would refuse."""
    if None in row or None in row.values():
        size = header_size + len(row.get(None, [])) if None in row else sum(v is not None for v in row.values())
        raise ValueError("the row has %d field%s; the header has %d" % (size, "" if size == 1 else "s", header_size))
    ship, chip = {}, {}
    for column, text in row.items():
        if text == "":
            continue  # an empty cell: the field is absent
        value = cell_value(column, text)
        (chip if column in CHIP_COLUMNS else ship)[column] = value
    if chip:
        if "chip" in ship:
            chip["catalog"] = ship["chip"]
        ship["chip"] = chip
    return ship


def main(argv):
    if len(argv) != 2:
        print("usage: screen_orders.py ORDERS.csv", file=sys.stderr)
        return 2
    rules = chipcheck.Rules.default()
    counts = dict.fromkeys(VERDICTS + ("error",), 0)
    with open(argv[1], newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        unknown = [c for c in header if c not in COLUMNS]
        if unknown:
            print("screen_orders.py: unknown column %r; the columns are %s" % (unknown[0], ", ".join(COLUMNS)),
                  file=sys.stderr)
            return 2
        rows = list(reader)
    width = max([len(r.get("id") or "") for r in rows] + [2])
    for row in rows:
        ident = row.get("id") or "-"
        try:
            d = rules.check_shipment(shipment(row, len(header)))
        except (chipcheck.Error, ValueError) as e:
            counts["error"] += 1
            print("%-*s  %-16s  %s" % (width, ident, "error", getattr(e, "message", e)))
            continue
        counts[d.verdict] += 1
        if d.verdict == "indeterminate":
            detail = "missing: " + ", ".join(d.missing)
        else:
            detail = " ".join(r["code"] for r in d.reasons if r["result"] is True)
        print(("%-*s  %-16s  %-23s  %s" % (width, ident, d.verdict, d.review_policy or "-", detail)).rstrip())
    rules.close()
    print()
    for key, n in counts.items():
        print("%s: %d" % ("errors" if key == "error" else key, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
