"""Checks of a brief printed to PDF by a browser (run by scripts/test-browser.sh,
`make test-browser`):

  browser_check.py BRIEF.html BRIEF.pdf

- the PDF has as many pages as the brief has sheets (<section class="sheet">:
  ddrsim lays the brief out one sheet a page, so a page more means something
  overflowed its page);
- each picture is wholly on the page of its sheet: its caption ("Figure N.")
  and the text drawn in it (its title and the caption line naming its run) are
  in that page's text (pdftotext);
- no page is blank, and on each page the rows where pictures should be hold
  ink (the page rasterised with pdftoppm, in grey).

Prints one line per page and exits 0 when all is well."""
import html.parser
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

WIDTH_MM = 178.0 * 0.92  # a picture's width in print (report_html.c)
DPI = 40


class Brief(html.parser.HTMLParser):
    """The sheets of a brief and, for each, its pictures: number, the
    proportions of the SVG and the longest texts drawn in it."""

    def __init__(self):
        super().__init__()
        self.sheets = []
        self.figure = None
        self.in_text = False
        self.text = ""
        self.caption = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and a.get("class") == "sheet":
            self.sheets.append([])
        elif tag == "figure":
            self.figure = {"id": a.get("id"), "texts": [], "ratio": None, "caption": ""}
        elif tag == "svg" and self.figure is not None:
            for key, value in a.items():
                if key.lower() == "viewbox":
                    w, h = [float(x) for x in value.split()[2:4]]
                    self.figure["ratio"] = h / w
        elif tag == "text" and self.figure is not None:
            self.in_text, self.text = True, ""
        elif tag == "figcaption":
            self.caption = ""

    def handle_endtag(self, tag):
        if tag == "text" and self.in_text:
            self.in_text = False
            self.figure["texts"].append(" ".join(self.text.split()))
        elif tag == "figcaption":
            self.figure["caption"] = " ".join(self.caption.split())
            self.caption = None
        elif tag == "figure":
            self.sheets[-1].append(self.figure)
            self.figure = None

    def handle_data(self, data):
        if self.in_text:
            self.text += data
        if self.caption is not None:
            self.caption += data


def squash(s):
    """Text compared without spaces: pdftotext may split or join words."""
    return re.sub(r"\s+", "", s)


def page_text(pdf, page):
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", pdf, "-"],
                         check=True, capture_output=True, text=True).stdout
    return squash(out)


def page_pixels(pdf, page, tmp):
    prefix = os.path.join(tmp, "p")
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(DPI), "-gray",
                    "-singlefile", pdf, prefix], check=True)
    with open(prefix + ".pgm", "rb") as f:
        data = f.read()
    # binary PGM: P5, width, height, maxval, then the pixels
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(fields.group(1)), int(fields.group(2))
    return np.frombuffer(data[fields.end():fields.end() + w * h], dtype=np.uint8).reshape(h, w)


def main():
    html_path, pdf = sys.argv[1], sys.argv[2]
    brief = Brief()
    with open(html_path, encoding="utf-8") as f:
        brief.feed(f.read())
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    sheets = len(brief.sheets)
    failures = []
    if pages != sheets:
        failures.append(f"{pages} pages for {sheets} sheets: something overflowed its page")
    with tempfile.TemporaryDirectory() as tmp:
        for n, figures in enumerate(brief.sheets[:pages], start=1):
            text = page_text(pdf, n)
            ink = page_pixels(pdf, n, tmp)
            # ink: anything but white paper (the lightest band is a pale grey)
            inked_rows = int(np.sum(np.mean(ink < 240, axis=1) > 0.01))
            if np.mean(ink < 240) < 0.002:
                failures.append(f"page {n} is blank")
            need = 0.0
            for fig in figures:
                label = fig["caption"].split(".")[0] + "."
                if squash(label) not in text:
                    failures.append(f"page {n}: {label} is not on its page")
                longest = sorted(fig["texts"], key=len)[-2:]
                for t in longest:
                    if squash(t) not in text:
                        failures.append(f"page {n}: {label} lacks its text \"{t}\" on the page")
                # a picture is mostly rows with ink (axes, bands, labels)
                need += 0.5 * WIDTH_MM * fig["ratio"] / 25.4 * DPI
            if inked_rows < need:
                failures.append(f"page {n}: {inked_rows} rows with ink, expected at least "
                                f"{need:.0f} for its {len(figures)} picture(s)")
            print(f"page {n}: {len(figures)} picture(s), {inked_rows} rows with ink")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print(f"ok {pdf}: {pages} pages, "
          f"{sum(len(s) for s in brief.sheets)} pictures each wholly on its page")


if __name__ == "__main__":
    main()
