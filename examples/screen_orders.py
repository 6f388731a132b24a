#!/usr/bin/env python3
"""Screen the order lines of a CSV file with chipcheck and print a short report.

    usage: screen_orders.py ORDERS.csv

The CSV has a header row with the columns id, date, destination, end_user_hq, chip and quantity (an empty
cell is left out of the shipment). Each order gets one line: its id, the verdict, the review policy (or
"-") and the codes of the reasons that hold (for an indeterminate verdict, the missing data); an order
chipcheck refuses gets "error" and the reason. Counts per verdict follow, one a line. Run it with the Python package
on the path and the library found, for example from the repository root:

    CHIPCHECK_LIBRARY=$PWD/build/libchipcheck.so.0.1.0 PYTHONPATH=bindings/python \\
        python3 examples/screen_orders.py examples/orders.csv
"""
import csv
import sys

import chipcheck

COLUMNS = ("id", "date", "destination", "end_user_hq", "chip", "quantity")
VERDICTS = ("allowed", "license_required", "indeterminate")


def shipment(row):
    """The shipment dict of one order line; raises ValueError for a quantity that is not a whole number."""
    ship = {key: row[key] for key in COLUMNS if key != "quantity" and row.get(key)}
    quantity = row.get("quantity")
    if quantity:
        if not quantity.isdigit():
            raise ValueError("quantity: %r is not a whole number" % quantity)
        ship["quantity"] = int(quantity)
    return ship


def main(argv):
    if len(argv) != 2:
        print("usage: screen_orders.py ORDERS.csv", file=sys.stderr)
        return 2
    rules = chipcheck.Rules.default()
    counts = dict.fromkeys(VERDICTS + ("error",), 0)
    with open(argv[1], newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        unknown = [c for c in reader.fieldnames or [] if c not in COLUMNS]
        if unknown:
            print("screen_orders.py: unknown column %r" % unknown[0], file=sys.stderr)
            return 2
        rows = list(reader)
    width = max([len(r["id"] or "") for r in rows] + [2])
    for row in rows:
        try:
            d = rules.check_shipment(shipment(row))
        except chipcheck.Error as e:
            counts["error"] += 1
            print("%-*s  %-16s  %s" % (width, row["id"], "error", e.message))
            continue
        except ValueError as e:
            counts["error"] += 1
            print("%-*s  %-16s  %s" % (width, row["id"], "error", e))
            continue
        counts[d.verdict] += 1
        if d.verdict == "indeterminate":
            detail = "missing: " + ", ".join(d.missing)
        else:
            detail = " ".join(r["code"] for r in d.reasons if r["result"] is True)
        print(("%-*s  %-16s  %-23s  %s" % (width, row["id"], d.verdict, d.review_policy or "-", detail)).rstrip())
    rules.close()
    print()
    for key, n in counts.items():
        print("%s: %d" % ("errors" if key == "error" else key, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
