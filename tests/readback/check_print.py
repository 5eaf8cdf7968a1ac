#!/usr/bin/env python3
"""Prints one sheet of a workbook written by jixiao to PDF with LibreOffice (headless) and checks
that every printed page holds the whole width of the form: the first and the last header label on
each page (the header row repeats, so a column pushed to another page would show up as a page
without one of them). Optionally renders a page to PNG.

    python3 tests/readback/check_print.py BOOK.xlsx SHEET [--png OUT.png] [--page N] [--dpi D]

Prints "pages: N" and exits non-zero, naming the page, on a failure. Needs openpyxl, LibreOffice,
poppler-utils (pdfinfo, pdftotext, pdftoppm) and a CJK font (fonts-wqy-zenhei) for legible text.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=300).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("book")
    ap.add_argument("sheet")
    ap.add_argument("--png")
    ap.add_argument("--page", type=int, default=1)
    ap.add_argument("--dpi", type=int, default=70)
    args = ap.parse_args()

    wb = openpyxl.load_workbook(args.book)
    ws = wb[args.sheet]
    header_row = next(
        r for r in ws.iter_rows(min_row=1, max_row=10)
        if sum(1 for c in r if isinstance(c.value, str) and c.value) >= 3
    )
    labels = [c.value for c in header_row if c.value]
    first, last = labels[0], labels[-1]
    for other in [s for s in wb.sheetnames if s != args.sheet]:
        del wb[other]

    with tempfile.TemporaryDirectory() as tmp:
        only = os.path.join(tmp, "sheet.xlsx")
        wb.save(only)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        run(soffice, "-env:UserInstallation=file://" + os.path.join(tmp, "profile"),
            "--headless", "--convert-to", "pdf", "--outdir", tmp, only)
        pdf = os.path.join(tmp, "sheet.pdf")
        info = run("pdfinfo", pdf)
        pages = int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
        print(f"pages: {pages}")
        failures = 0
        for page in range(1, pages + 1):
            text = run("pdftotext", "-layout", "-f", str(page), "-l", str(page), pdf, "-")
            compact = "".join(text.split())
            for label in (first, last):
                if "".join(label.split()) not in compact:
                    print(f"FAIL: page {page} lacks the header label {label!r}", file=sys.stderr)
                    failures += 1
        if args.png:
            stem = os.path.splitext(args.png)[0]
            run("pdftoppm", "-png", "-r", str(args.dpi), "-f", str(args.page), "-l", str(args.page),
                "-singlefile", pdf, stem)
            print(f"png: {args.png} ({os.path.getsize(args.png)} bytes)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
