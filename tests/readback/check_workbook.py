#!/usr/bin/env python3
"""Reads a consolidated workbook written by jixiao with two independent readers and compares what
they see with jixiao's JSON report. Exits non-zero, naming the sheet and cell, on any disagreement.

    python3 tests/readback/check_workbook.py OUT.xlsx REPORT.json
    python3 tests/readback/check_workbook.py --recalc FORM.xlsx...   (step 2 only, first sheet)

1. openpyxl: the cached values of the formulas in 汇总表 (合计 and unit rows) equal the report's
   totals; 问题清单 and 报送情况 have one row per issue and per file.
2. LibreOffice (headless, with a profile that recalculates every formula on load): the values it
   computes equal the cached ones. A copy with a deliberately wrong cached 合计 proves that
   LibreOffice really recalculated rather than echoing the cache.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal

import openpyxl

RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message, file=sys.stderr)


def money(value):
    """A cell value as a Decimal rounded to the cent, as the form shows it."""
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def formula_cells(path):
    """{(row, col): formula} of the first sheet (汇总表, or a unit's form), read with openpyxl."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    return {
        (c.row, c.column): c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    }


def values(path):
    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    return {(c.row, c.column): c.value for row in ws.iter_rows() for c in row}


def check_openpyxl(path, report):
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb["汇总表"]
    if ws.cell(4, 1).value != "合计":
        fail(f"汇总表!A4 is {ws.cell(4, 1).value!r}, expected 合计")
    total = ws.cell(4, 2).value
    if total is None or money(total) != Decimal(report["summary"]["total"]):
        fail(f"汇总表!B4 cached {total!r} != report total {report['summary']['total']}")
    # Unit rows in order: every file that is not a duplicate, its units in order.
    expected_units = [
        (u["name"], Decimal(u["total"]))
        for f in report["files"]
        if f["status"] != "duplicate"
        for u in f["units"]
    ]
    seen_units = []
    row = 5
    projects = {(u["name"], u["projects"]) for f in report["files"] for u in f["units"]}
    for name, _ in expected_units:
        cell = ws.cell(row, 2).value
        seen_units.append((ws.cell(row, 1).value, money(cell) if cell is not None else None))
        count = next(p for n, p in projects if n == name)
        row += 1 + count
    if seen_units != expected_units:
        fail(f"汇总表 unit rows {seen_units} != report {expected_units}")
    issues = wb["问题清单"].max_row - 1
    if issues != len(report["issues"]):
        fail(f"问题清单 has {issues} rows, report has {len(report['issues'])} issues")
    files = wb["报送情况"].max_row - 1
    if files != len(report["files"]):
        fail(f"报送情况 has {files} rows, report has {len(report['files'])} files")
    print(f"openpyxl: 合计 {money(total)}, {len(seen_units)} unit rows, {issues} issues, {files} files")


def soffice():
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    fail("LibreOffice (soffice) not found: apt-get install -y libreoffice-calc-nogui")
    return None


def recalculate(path, workdir):
    """Converts with LibreOffice, recalculating every formula on load; returns the new file."""
    profile = os.path.join(workdir, "profile")
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(RECALC_PROFILE)
    outdir = os.path.join(workdir, "out-" + os.path.basename(path))
    subprocess.run(
        [soffice(), "-env:UserInstallation=file://" + profile, "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", outdir, path],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300,
    )
    out = os.path.join(outdir, os.path.basename(path))
    if not os.path.exists(out):
        fail(f"LibreOffice did not convert {path}")
    return out


def tamper(path, out):
    """A copy whose cached B4 (合计 of 汇总表, the unit row of a form) is 0, to prove that
    LibreOffice recalculates."""
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                text, n = re.subn(r'(<c r="B4"[^>]*><f>[^<]*</f><v>)[^<]*(</v>)', r"\g<1>0\g<2>", text)
                if n != 1:
                    fail(f"could not find the cached value of B4 in {path} to tamper with")
                data = text.encode("utf-8")
            zout.writestr(item, data)


def check_libreoffice(path):
    if soffice() is None:
        return
    ours = values(path)
    formulas = formula_cells(path)
    with tempfile.TemporaryDirectory() as workdir:
        tampered = os.path.join(workdir, "tampered.xlsx")
        tamper(path, tampered)
        for source in (path, tampered):
            recalculated = values(recalculate(source, workdir))
            for cell in formulas:
                a, b = ours.get(cell), recalculated.get(cell)
                if b is None or money(a) != money(b):
                    fail(f"{os.path.basename(source)} row {cell[0]} col {cell[1]}: "
                         f"cached {a!r}, LibreOffice computes {b!r}")
    print(f"LibreOffice: {len(formulas)} formulas of {os.path.basename(path)} recalculated, "
          f"equal to the cached values (and the tampered B4 restored)")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--recalc":
        for path in sys.argv[2:]:
            check_libreoffice(path)
        return 1 if failures else 0
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, report_path = sys.argv[1], sys.argv[2]
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    check_openpyxl(path, report)
    check_libreoffice(path)
    if failures:
        print(f"{len(failures)} disagreement(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
