"""Checks of `ddrsim report`'s HTML brief (run by tests/test_report.c):

  report_check.py BRIEF.html PICTURES SUMMARY.json [SUMMARY.json ...]
                  [--compare COMPARE.json] [--headings "A|B|..."] [--french]

- it parses as HTML with every tag closed in order (html.parser);
- it loads nothing from anywhere: no src= or href= to a URL, no @import, no
  url( but to data: or to a picture's own #id, no script, link, img or frame;
- it holds PICTURES inline <svg> pictures, each in its <figure>;
- its key tables (one per file, in order) say the numbers of
  `ddrsim summary --format json` on the same files: probability and its
  interval, P50 and P80 dates, the sentence (--french: in French);
- with --compare, its comparison table says the numbers of
  `ddrsim compare --format json` (difference, interval, mean paired days);
- with --headings, it has those section headings.

Prints "ok ..." and exits 0 when all is well."""
import html.parser
import json
import re
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Brief(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors = [], []
        self.svgs = self.figures = 0
        self.headings, self.tables = [], []
        self.heading = None
        self.row = None  # the tbody being read: {"id", "cells", "sentence"}
        self.cell = None
        self.words = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in VOID:
            self.stack.append(tag)
        self.svgs += tag == "svg"
        self.figures += tag == "figure"
        if tag in ("h1", "h2", "h3"):
            self.heading = ""
        elif tag == "table" and "continued" in a.get("class", "").split():
            self.tables.append(self.tables[-1])  # a table cut onto a new page goes on
        elif tag == "table":
            self.tables.append({"kind": a.get("class"), "rows": []})
        elif tag == "tbody" and self.tables:
            self.row = {"id": a.get("data-target"), "cells": [], "sentence": None}
        elif tag == "td" and self.row is not None:
            if a.get("colspan"):
                self.words = ""
            else:
                self.cell = {"data": {k[5:]: float(v) for k, v in a.items()
                                      if k.startswith("data-")}, "time": None, "text": ""}
        elif tag == "time" and self.cell is not None:
            self.cell["time"] = a.get("datetime")

    def handle_startendtag(self, tag, attrs):
        # <path .../> in SVG: opened and closed at once
        self.svgs += tag == "svg"

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> at line {self.getpos()[0]} closes "
                               f"<{self.stack[-1] if self.stack else 'nothing'}>")
        else:
            self.stack.pop()
        if tag in ("h1", "h2", "h3") and self.heading is not None:
            self.headings.append(" ".join(self.heading.split()))
            self.heading = None
        elif tag == "td" and self.cell is not None:
            self.row["cells"].append(self.cell)
            self.cell = None
        elif tag == "td" and self.words is not None:
            self.row["sentence"] = self.words
            self.words = None
        elif tag == "tbody" and self.row is not None:
            self.tables[-1]["rows"].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.heading is not None:
            self.heading += data
        if self.cell is not None:
            self.cell["text"] += data
        if self.words is not None:
            self.words += data


def external_references(text):
    bad = []
    patterns = [
        (r"""\b(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)""", "a src/href to a URL"),
        (r"@import", "@import"),
        (r"""url\(\s*["']?(?!data:|#)""", "url( to something but data: or #id"),
        (r"<(?:script|link|img|iframe|object|embed|image)\b", "an element that loads something"),
    ]
    for pattern, what in patterns:
        for m in re.finditer(pattern, text, re.I):
            bad.append(f"{what}: {text[max(0, m.start() - 40):m.end() + 40]!r}")
    return bad


def fail(msg):
    sys.exit(f"report_check: {msg}")


def check_key_table(table, summary, which, french):
    targets = {t["id"]: t for t in summary["targets"]}
    ids = [r["id"] for r in table["rows"]]
    if ids != [t["id"] for t in summary["targets"]]:
        fail(f"key table {which}: targets {ids}, summary has {list(targets)}")
    for row in table["rows"]:
        t = targets[row["id"]]
        prob = row["cells"][1]["data"]
        if (prob.get("probability"), prob.get("lo"), prob.get("hi")) != \
                (t["probability"], t["interval"][0], t["interval"][1]):
            fail(f"{row['id']}: brief says {prob}, summary {t['probability']} {t['interval']}")
        for col, level in ((2, "0.5"), (3, "0.8")):
            if row["cells"][col]["time"] != t["date_quantiles"][level]:
                fail(f"{row['id']} P{level}: brief says {row['cells'][col]['time']}, summary "
                     f"{t['date_quantiles'][level]}")
        if french and "La probabilité" not in row["sentence"] and "réplications" not in row["sentence"]:
            fail(f"{row['id']}: sentence {row['sentence']!r} is not in French")
        elif not french and " ".join(row["sentence"].split()) != " ".join(t["sentence"].split()):
            fail(f"{row['id']}: sentence {row['sentence']!r}, summary {t['sentence']!r}")
    return len(table["rows"])


def check_comparison(table, compare):
    comparisons = {t["id"]: t["comparisons"] for t in compare["targets"]}
    rows = 0
    by_target = {}
    for row in table["rows"]:
        by_target.setdefault(row["id"], []).append(row)
    for tid, rws in by_target.items():
        for row, c in zip(rws, comparisons[tid]):
            d = row["cells"][2]["data"]
            if (d["difference"], d["lo"], d["hi"]) != (c["difference"], *c["interval"]):
                fail(f"{tid}: difference {d}, compare {c['difference']} {c['interval']}")
            mean = row["cells"][5]["data"].get("mean")
            if c["paired"] and mean != c.get("paired_mean_difference_days"):
                fail(f"{tid}: mean paired days {mean}, compare "
                     f"{c.get('paired_mean_difference_days')}")
            if not c["paired"] and mean is not None:
                fail(f"{tid}: a paired mean for unpaired runs")
            rows += 1
    if rows == 0:
        fail("the comparison table has no rows")
    return rows


def main():
    args = sys.argv[1:]
    compare = headings = None
    if "--compare" in args:
        i = args.index("--compare")
        compare = json.load(open(args[i + 1]))
        del args[i:i + 2]
    french = "--french" in args  # the sentences are the summary's only in English
    if french:
        args.remove("--french")
    if "--headings" in args:
        i = args.index("--headings")
        headings = args[i + 1].split("|")
        del args[i:i + 2]
    path, pictures, summaries = args[0], int(args[1]), args[2:]
    text = open(path, encoding="utf-8").read()
    brief = Brief()
    brief.feed(text)
    brief.close()
    if brief.errors:
        fail("tags not balanced: " + "; ".join(brief.errors[:5]))
    if brief.stack:
        fail(f"tags left open: {brief.stack}")
    if not text.startswith("<!DOCTYPE html>"):
        fail("no <!DOCTYPE html>")
    bad = external_references(text)
    if bad:
        fail("external resources: " + "; ".join(bad[:5]))
    if brief.svgs != pictures or brief.figures != pictures:
        fail(f"{brief.svgs} <svg> in {brief.figures} <figure>, expected {pictures}")
    tables = []
    for t in brief.tables:  # once each, a table cut across pages too
        if all(t is not u for u in tables):
            tables.append(t)
    brief.tables = tables
    keys = [t for t in brief.tables if t["kind"] == "key"]
    if len(keys) != len(summaries):
        fail(f"{len(keys)} key tables for {len(summaries)} files")
    n = sum(check_key_table(t, json.load(open(s)), s, french) for t, s in zip(keys, summaries))
    m = 0
    if compare:
        tables = [t for t in brief.tables if t["kind"] == "comparison"]
        if len(tables) != 1:
            fail(f"{len(tables)} comparison tables")
        m = check_comparison(tables[0], compare)
    for h in headings or []:
        if h not in brief.headings:
            fail(f"no heading {h!r} (headings: {brief.headings})")
    print(f"ok report: {pictures} pictures, {n} targets, {m} comparisons, "
          f"{len(brief.headings)} headings")


if __name__ == "__main__":
    main()
