"""The pictures: `chipcheck map` (SVG) and `chipcheck batch --report` (HTML). Every file is checked well formed
with xmllint, every SVG rendered to PNG with rsvg-convert; the map places every catalog chip at the figures the
library reads for it, coloured by its own verdict; a rule file with a moved threshold moves the drawn line."""
import json
import math
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.path.join(ROOT, "build", "chipcheck")
SVG = "{http://www.w3.org/2000/svg}"


def run(*args, check=True):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check:
        assert p.returncode == 0, p.stderr
    return p


def well_formed(path):
    p = subprocess.run(["xmllint", "--noout", path], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def rendered(path, tmp_path):
    png = str(tmp_path / (os.path.basename(path) + ".png"))
    p = subprocess.run(["rsvg-convert", path, "-o", png], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    with open(png, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    return width, height


def draw(tmp_path, name, *args):
    out = str(tmp_path / name)
    run("map", *args, "-o", out)
    well_formed(out)
    return out, ET.parse(out).getroot()


@pytest.fixture(scope="module")
def catalog_map(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("map")
    path, root = draw(tmp, "m.svg", "--catalog", "--to", "CN", "--date", "2023-01-01", "--date", "2024-01-01")
    return tmp, path, root


def plane(root, d, metrics):
    return root.find(".//%sg[@id='plane-%d-%s']" % (SVG, d, metrics))


def test_catalog_map_renders_both_versions(catalog_map):
    tmp, path, root = catalog_map
    assert rendered(path, tmp) == (int(root.get("width")), int(root.get("height")))
    text = open(path).read()
    assert "us-ear-advanced-computing@2022-10-07" in text and "us-ear-advanced-computing@2023-11-17" in text
    # the 2023 rule's new lines: TPP 1600, 2400 and density 1.6, 3.2, 5.92 appear only in the second panel
    lines = [sorted(float(g.get("data-value")) for g in plane(root, d, "tpp-performance_density").iter(SVG + "g")
                    if g.get("data-metric")) for d in (0, 1)]
    assert lines == [[4800.0], [1.6, 3.2, 5.92, 1600.0, 2400.0, 4800.0]]
    # the bandwidth plane of 2023-01-01 has the 2022 interconnect line; the 2024 one none
    bw = [[float(g.get("data-value")) for g in plane(root, d, "memory_bandwidth_gbs-interconnect_bandwidth_gbs").iter(
        SVG + "g") if g.get("data-metric")] for d in (0, 1)]
    assert bw == [[600.0], []]


def test_every_catalog_chip_is_placed_or_listed(catalog_map):
    tmp, path, root = catalog_map
    names = [l.split("  ")[0].strip() for l in run("chips", "list").stdout.splitlines()]
    assert len(names) == 44
    for d in (0, 1):
        for p, metrics in enumerate(("tpp-performance_density", "memory_bandwidth_gbs-interconnect_bandwidth_gbs")):
            placed = [g.get("data-chip") for g in plane(root, d, metrics).iter(SVG + "g") if g.get("data-chip")]
            listed = [n for g in root.iter(SVG + "g") if g.get("class") == "unplaced" and
                      (g.get("data-date"), g.get("data-plane")) == (str(d), str(p)) for n in g.get("data-chips").split("|")]
            assert sorted(placed + listed) == sorted(names)


def decisions(chips, to, dates):
    """{(chip, date): decision} from one batch."""
    lines = "".join(json.dumps({"id": "%s|%s" % (c, d), "chip": c, "destination": to, "date": d}) + "\n"
                    for c in chips for d in dates)
    p = subprocess.run([CLI, "batch"], input=lines, capture_output=True, text=True)
    return {tuple(json.loads(l)["id"].split("|")): json.loads(l) for l in p.stdout.splitlines()}


def test_chips_sit_at_their_figures_coloured_by_their_verdict(catalog_map):
    tmp, path, root = catalog_map
    chips = {m.get("data-chip") for m in root.iter(SVG + "g") if m.get("data-chip")}
    dec_of = decisions(chips, "CN", ["2023-01-01", "2024-01-01"])
    for d, date in enumerate(("2023-01-01", "2024-01-01")):
        g = plane(root, d, "tpp-performance_density")
        marks = [m for m in g.iter(SVG + "g") if m.get("data-chip")]
        assert len(marks) == 17  # the chips with a TPP and a die area
        for m in marks:
            dec = dec_of[(m.get("data-chip"), date)]
            assert m.get("data-verdict") == dec["verdict"]
            assert m.get("data-policy") == (dec["review_policy"] or "")
            assert float(m.get("data-x")) == pytest.approx(dec["metrics"]["tpp"]["value"], rel=1e-12)
            later = dec_of[(m.get("data-chip"), "2024-01-01")]  # density as the rules that define it derive it
            assert float(m.get("data-y")) == pytest.approx(later["metrics"]["performance_density"]["value"], rel=1e-12)
            assert m.find(SVG + "circle").get("class").split()[0] == \
                {"allowed": "c-allowed", "license_required": "c-denial", "indeterminate": "c-indet"}[dec["verdict"]]
        # the log scale: pixel x is linear in log10(tpp), up to the spread of markers that share a place (at most
        # 20 px; on a linear scale the misfit would be hundreds)
        pts = [(math.log10(float(m.get("data-x"))), float(m.find(SVG + "circle").get("cx"))) for m in marks]
        n, sa, sp = len(pts), sum(a for a, _ in pts), sum(p for _, p in pts)
        slope = (n * sum(a * p for a, p in pts) - sa * sp) / (n * sum(a * a for a, _ in pts) - sa * sa)
        assert slope > 0
        for a, px in pts:
            assert abs((sp - slope * sa) / n + slope * a - px) <= 20


def test_moved_threshold_moves_the_drawn_line_and_the_margins(catalog_map, tmp_path):
    tmp, path, root = catalog_map
    rules = tmp_path / "rules"
    shutil.copytree(os.path.join(ROOT, "rules"), rules)
    f = rules / "us-ear" / "2023-11-17.xml"
    text = f.read_text()
    assert text.count('op=">=" right="2400"') == 1
    f.write_text(text.replace('op=">=" right="2400"', 'op=">=" right="2500"'))
    moved_path, moved = draw(tmp_path, "moved.svg", "--catalog", "--to", "CN", "--date", "2023-01-01", "--date",
                             "2024-01-01", "--rules", str(rules))
    rendered(moved_path, tmp_path)

    def label_x(r, value):
        g = [g for g in plane(r, 1, "tpp-performance_density").iter(SVG + "g") if g.get("data-value") == value]
        return float(g[0].find(SVG + "text").get("x")) if g else None

    assert label_x(root, "2400") is not None and label_x(moved, "2400") is None
    assert label_x(moved, "2500") > label_x(root, "2400")

    def bounds(r):
        return [p.get("d") for p in plane(r, 1, "tpp-performance_density").iter(SVG + "path")
                if p.get("data-boundary") == "bound"]
    assert len(bounds(root)) == 1 and bounds(moved) != bounds(root)
    h = json.loads(run("headroom", "--rules", str(rules), "--chip", "H20", "--to", "CN", "--date", "2024-02-01",
                       "--format", "json").stdout)
    assert (h["nearest_line"]["line"], h["nearest_line"]["change"], h["nearest_line"]["change_pct"]) == (2500, 132, 5.57)


def test_bandwidth_lines_are_labelled_reported(tmp_path):
    path, root = draw(tmp_path, "bw.svg", "--chip", "H20", "--to", "CN", "--date", "2025-05-01")
    rendered(path, tmp_path)
    g = plane(root, 0, "memory_bandwidth_gbs-interconnect_bandwidth_gbs")
    reported = sorted(float(x.get("data-value")) for x in g.iter(SVG + "g")
                      if x.get("data-metric") and "rep" in x.get("class").split())
    assert reported == [1100.0, 1400.0]
    labels = [t.text for x in g.iter(SVG + "g") if "plab" in (x.get("class") or "") for t in x.iter(SVG + "text")]
    assert labels == ["memory + interconnect = 1700 (reported)"]


def test_map_usage_errors():
    p = run("map", "--catalog", "--date", "2024-01-01", check=False)
    assert (p.returncode, p.stdout) == (2, "")
    assert "missing --to CC" in p.stderr
    p = run("map", "--to", "CN", "--chip", "MI300", check=False)
    assert p.returncode == 2 and "ambiguous" in p.stderr
    p = run("map", "--to", "CN", "--catalog", "--chip", "H20", check=False)
    assert p.returncode == 2 and "not both" in p.stderr


def test_readme_map_is_well_formed_and_renders(tmp_path):
    path = os.path.join(ROOT, "examples", "map-cn-2023-vs-2024.svg")
    well_formed(path)
    assert rendered(path, tmp_path)[0] > 1000


def order_book(path, n):
    """n shipments cycling through chips, destinations and dates (every 37th with an unknown country), as JSON
    Lines; deterministic."""
    chips = ["H20", "H100", "L4", "RTX 4090 D", "MI308X", "L20", "B200"]
    dests = ["CN", "DE", "US", "VN", "HK", "SG", "JP", "AE"]
    dates = ["2024-06-01", "2025-05-02", "2025-08-01"]
    with open(path, "w") as f:
        for i in range(n):
            s = {"id": "SO-%d" % i, "date": dates[i % 3], "destination": dests[i % 8], "chip": chips[i % 7]}
            if i % 5:
                s["end_user_hq"] = dests[i % 8]
            if i % 37 == 36:
                s["destination"] = "XX"
            f.write(json.dumps(s) + "\n")


def cells(html, title):
    """The rows of the table under the heading that starts with title: [[cell text, ...], ...]."""
    part = html.split("<h2>" + title, 1)[1].split("<h2>", 1)[0]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", part, re.S):
        tds = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        if tds:
            rows.append([re.sub(r"<svg.*?</svg>|<[^>]+>", "", td).strip() for td in tds])
    return rows


def test_batch_report_says_what_share_needs_a_license_and_why(tmp_path):
    book, page = str(tmp_path / "book.jsonl"), str(tmp_path / "report.html")
    order_book(book, 420)
    p = subprocess.run([CLI, "batch", book, "--report", page], capture_output=True, text=True)
    assert p.returncode == 2  # the lines with an unknown country are errors, as without --report
    decisions = [json.loads(l) for l in p.stdout.splitlines()]
    well_formed(page)
    html = open(page).read()
    # self-contained: no script, nothing fetched
    assert "<script" not in html and "src=" not in html and "href=" not in html and "@import" not in html
    decided = [d for d in decisions if "verdict" in d]
    lr = [d for d in decided if d["verdict"] == "license_required"]
    errors = len(decisions) - len(decided)
    assert errors == 11
    assert ('<span class="big">%.1f%%</span> of the 420 lines need a license (%d).' % (100 * len(lr) / 420, len(lr))
            in html)
    # why: each requirement that holds in the licensed lines, with its count
    why = {}
    for d in lr:
        for c in {r["code"] for r in d["reasons"] if r["result"] is True and r["kind"] in ("requirement", "determination")}:
            why[c] = why.get(c, 0) + 1
    assert {row[0]: int(row[1]) for row in cells(html, "Why a license")} == why
    # by destination: lines, license, allowed, indeterminate
    by = {}
    for d in decided:
        t = by.setdefault(d["destination"], [0, 0, 0, 0])
        t[0] += 1
        t[{"license_required": 1, "allowed": 2, "indeterminate": 3}[d["verdict"]]] += 1
    assert {row[0]: [int(x) for x in row[1:5]] for row in cells(html, "By destination")} == by
    # what is missing, the rule sets and their digests
    missing = {}
    for d in decided:
        if d["verdict"] == "indeterminate":
            for m in d["missing"]:
                missing[m] = missing.get(m, 0) + 1
    for m, n in missing.items():
        assert "<code>%s</code> (%d line%s)" % (m, n, "" if n == 1 else "s") in html
    for d in decided:
        for rs in d["rulesets"]:
            assert rs["digest"] in html
    # every bar is an SVG that renders on its own
    bars = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(bars) > 10
    svg = tmp_path / "bar.svg"
    svg.write_text(bars[0])
    well_formed(str(svg))
    rendered(str(svg), tmp_path)


def test_batch_report_streams_and_lists_only_the_first_lines(tmp_path):
    book, page = str(tmp_path / "book.jsonl"), str(tmp_path / "report.html")
    order_book(book, 2100)
    subprocess.run([CLI, "batch", book, "--brief", "--report", page], capture_output=True, text=True)
    well_formed(page)
    html = open(page).read()
    listed = html.split("<h2>Indeterminate lines", 1)[1].split("</table>", 1)[0].count("<tr><td")
    assert listed == 200 and "And " in html.split("<h2>Indeterminate lines", 1)[1].split("<h2>", 1)[0]


def test_batch_report_compares_two_versions_line_by_line(tmp_path):
    book, page = str(tmp_path / "book.jsonl"), str(tmp_path / "report.html")
    order_book(book, 210)
    a, b = "us-ear-advanced-computing@2025-01-15", "us-ear-advanced-computing@2025-04-09"
    p = subprocess.run([CLI, "batch", book, "--brief", "--ruleset", a, "--ruleset", b, "--report", page],
                       capture_output=True, text=True)
    well_formed(page)
    first = [json.loads(l) for l in p.stdout.splitlines()]
    second = [json.loads(l) for l in run("batch", book, "--brief", "--ruleset", b, check=False).stdout.splitlines()]
    assert first == [json.loads(l) for l in run("batch", book, "--brief", "--ruleset", a, check=False).stdout.splitlines()]
    names = ["allowed", "license_required", "indeterminate"]
    trans = [[0] * 3 for _ in names]
    changed = 0
    for x, y in zip(first, second):
        if "verdict" in x:
            trans[names.index(x["verdict"])][names.index(y["verdict"])] += 1
            changed += (x["verdict"], x["review_policy"]) != (y["verdict"], y["review_policy"])
    html = open(page).read()
    part = html.split("<h2>What changes from " + a + " to " + b, 1)[1]
    assert '<span class="big">%d</span>' % changed in part
    rows = re.findall(r"<tr><th>(\w+)</th>(.*?)</tr>", part.split("</table>", 1)[0], re.S)
    assert [[int(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for _, r in rows] == trans
    assert trans[0][1] > 0  # the April 2025 letters make some allowed lines licensed
