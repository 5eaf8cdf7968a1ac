#!/usr/bin/env python3
"""Write tests/fixtures/formats/: workbooks whose styles carry everything a styles part can
(number formats built in and custom, fonts, theme colours, fills, borders, alignment), written
by openpyxl and by LibreOffice. `read::workbook`'s tests open them with the number formats alone
(the patched calamine's `new_formats_only`) and with the published opening, and want the same
cells, dates included.

    python3 scripts/make_format_fixtures.py

Needs openpyxl and LibreOffice. Fixed dates and zip timestamps: the openpyxl file is
deterministic; LibreOffice's re-save also depends on its version, the machine's fonts (it names
a fallback font) and locale.
"""

import datetime
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(REPO, "tests", "fixtures", "formats")
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.dont_write_bytecode = True

import make_samples as ms  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # noqa: E402
from openpyxl.styles.colors import Color  # noqa: E402

# (label, value, number format): built-in formats (14, 22, 10, 4, 49) and custom ones.
CELLS = [
    ("日期（内置 14）", datetime.date(2025, 9, 30), "mm-dd-yy"),
    ("日期时间（内置 22）", datetime.datetime(2025, 12, 31, 17, 30), "m/d/yy h:mm"),
    ("中文日期", datetime.date(2026, 1, 15), 'yyyy"年"m"月"d"日"'),
    ("年月", datetime.date(2026, 6, 1), '[$-804]yyyy"年"m"月"'),
    ("时间", datetime.time(8, 45), "h:mm"),
    ("百分比", 0.955, "0.00%"),
    ("千分位金额", 1234567.891, "#,##0.00"),
    ("万元", 15443.71, '0.00"万元"'),
    ("文本格式的数", "00120", "@"),
    ("常规", 42, "General"),
]


def styled():
    wb = Workbook()
    wb.properties.created = wb.properties.modified = datetime.datetime(2025, 1, 1)
    ws = wb.active
    ws.title = "格式"
    thin = Side(style="thin", color="FF000000")
    for r, (label, value, fmt) in enumerate(CELLS, start=1):
        ws.cell(r, 1, label).font = Font(name="宋体", bold=True, color=Color(theme=4))
        cell = ws.cell(r, 2, value)
        cell.number_format = fmt
        cell.fill = PatternFill("solid", fgColor=Color(theme=5, tint=0.6))
        cell.border = Border(left=thin, right=thin, top=thin, bottom=Side(style="double"))
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    ws.cell(len(CELLS) + 1, 2, "=B6*100").number_format = "0.0"
    return wb


def pin_core_dates(name, body):
    """docProps/core.xml with its dates pinned to 2025-01-01."""
    if name == "docProps/core.xml":
        body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", b"2025-01-01T00:00:00Z", body)
    return body


def main():
    plain = os.path.join(HERE, "styled_openpyxl.xlsx")
    ms.save_xlsx(styled(), plain)
    # LibreOffice opens openpyxl's file and saves it again, its own styles part and theme.
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["soffice", "-env:UserInstallation=file://" + os.path.join(tmp, "profile"),
             "--headless", "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
             "--outdir", os.path.join(tmp, "out"), plain],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        with open(os.path.join(tmp, "out", "styled_openpyxl.xlsx"), "rb") as f:
            data = f.read()
    ms.write_bytes(os.path.join(HERE, "styled_libreoffice.xlsx"),
                   ms.normalize_zip(data, transform=pin_core_dates))


if __name__ == "__main__":
    main()
