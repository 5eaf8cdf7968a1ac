#!/usr/bin/env python3
"""Write the hostile fixtures in tests/fixtures/hostile/: files that must not stop a run, each
with the issue it must give (see tests/fixtures/README.md and tests/hostile.rs).

    python3 scripts/make_hostile_fixtures.py

Needs openpyxl; formula_errors.xlsx also needs LibreOffice (to compute the error values, as Excel
would on saving). Deterministic: fixed dates and zip timestamps (make_samples' save_xlsx).
"""

import datetime
import os
import re
import shutil
import sys
import tempfile
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(REPO, "tests", "fixtures", "hostile")
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, os.path.join(REPO, "tests", "readback"))
sys.dont_write_bytecode = True

import make_samples as ms  # noqa: E402
from openpyxl.styles import PatternFill  # noqa: E402
from openpyxl.utils.datetime import CALENDAR_MAC_1904  # noqa: E402

FIXED = (2025, 1, 1, 0, 0, 0)


def official(unit_name):
    unit = ms.rename_unit(ms.UNIT_JIA, unit_name)
    return ms.official_workbook(f"单位名称：{unit_name}", ms.table_rows([unit]))


def zip_not_workbook(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("说明.txt", FIXED)
        z.writestr(info, "这是一个 zip 压缩包，不是电子表格。\n".encode("utf-8"))


def formula_errors(path):
    """Amount cells holding formulas whose values are #DIV/0! (C7) and #REF! (D8)."""
    from check_workbook import recalculate  # needs LibreOffice

    wb = official("示例单位艮")
    ws = wb.active
    ws["C7"] = "=1/0"
    ws["D8"] = "=#REF!+1"
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "formula_errors.xlsx")
        wb.save(plain)
        computed = recalculate(plain, tmp)

        def pin_dates(name, body):
            if name == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", b"2025-01-01T00:00:00Z", body)
            return body

        with open(computed, "rb") as f:
            ms.write_bytes(path, ms.normalize_zip(f.read(), transform=pin_dates))


def date1904(path):
    """A workbook in the 1904 date system, with a date where a goal should be (G7's goal, F7)."""
    wb = official("示例单位震")
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws["F7"] = datetime.date(2025, 9, 30)
    ws["F7"].number_format = "yyyy-mm-dd"
    ms.save_xlsx(wb, path)


def empty_rows(path):
    """The form, then 100,000 formatted rows without a value (as when a whole column is filled
    with a colour)."""
    wb = official("示例单位巽")
    ws = wb.active
    fill = PatternFill("solid", fgColor="FFFFCC")
    for r in range(20, 100_020):
        ws.cell(r, 1).fill = fill
    ms.save_xlsx(wb, path)


def long_cell(path):
    """A goal of 40,000 characters (Excel allows 32,767, and so does openpyxl: the string is
    lengthened in the saved XML)."""
    wb = official("示例单位坎")
    ws = wb.active
    ws["F7"] = "保障" * 20_000  # openpyxl keeps 32,767 of them
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "long.xlsx")
        ms.save_xlsx(wb, plain)
        cut = ("保障" * 20_000)[:32_767].encode("utf-8")
        full = ("保障" * 20_000).encode("utf-8")

        def lengthen(name, body):
            return body.replace(cut, full, 1) if name.startswith("xl/") else body

        with open(plain, "rb") as f:
            ms.write_bytes(path, ms.normalize_zip(f.read(), transform=lengthen))


def zip_bomb(path):
    """An .xlsx whose sheet expands to 1.2 GB (of spaces inside the XML) from about 1 MB."""
    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "small.xlsx")
        ms.save_xlsx(official("示例单位离"), small)
        with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                info = zipfile.ZipInfo(item.filename, FIXED)
                info.compress_type = zipfile.ZIP_DEFLATED
                if item.filename == "xl/worksheets/sheet1.xml":
                    head, _, tail = data.partition(b"<sheetData>")
                    with dst.open(info, "w", force_zip64=True) as out:
                        out.write(head + b"<sheetData>")
                        block = b" " * (1 << 20)
                        for _ in range(1200):
                            out.write(block)
                        out.write(tail)
                else:
                    dst.writestr(info, data)


def shared_string_bomb(path):
    """A minimal .xlsx of a few KB whose one 96 MB shared string is used by 40 cells: copied per
    cell, that is 3.8 GB of text."""
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="' + rel + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook ' + ns + b' xmlns:r="' + rel + b'"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="' + rel + b'/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="' + rel + b'/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + ns + b'><sheetData>'
        + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        + b"".join(b'<row r="%d"><c r="B%d" t="s"><v>1</v></c></row>' % (r, r) for r in range(2, 42))
        + b"</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
        info = zipfile.ZipInfo("xl/sharedStrings.xml", FIXED)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?><sst ' + ns
                      + b' count="41" uniqueCount="2"><si><t>\xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7\xb0</t></si><si><t>')
            block = b"x" * (1 << 20)
            for _ in range(96):
                out.write(block)
            out.write(b"</t></si></sst>")


def encrypted_xls(path):
    """An .xls marked password-protected: samples/示例单位甲.xls (LibreOffice's BIFF8) with its
    INTERFACEHDR record, right after BOF, turned into a FILEPASS record (RC4), the record an
    encrypted .xls carries there. Same size, so the OLE container is patched in place (olefile,
    which msoffcrypto-tool brings)."""
    import struct

    import olefile

    shutil.copy(os.path.join(REPO, "samples", "示例单位甲.xls"), path)
    ole = olefile.OleFileIO(path, write_mode=True)
    data = bytearray(ole.openstream("Workbook").read())
    bof_type, bof_len = struct.unpack_from("<HH", data, 0)
    at = 4 + bof_len
    record, length = struct.unpack_from("<HH", data, at)
    assert (bof_type, record, length) == (0x0809, 0x00E1, 2), (hex(bof_type), hex(record), length)
    struct.pack_into("<HHH", data, at, 0x002F, 2, 1)  # FILEPASS, RC4
    ole.write_stream("Workbook", bytes(data))
    ole.close()


def main():
    os.makedirs(HERE, exist_ok=True)
    zip_not_workbook(os.path.join(HERE, "zip_not_workbook.xlsx"))
    date1904(os.path.join(HERE, "date1904.xlsx"))
    empty_rows(os.path.join(HERE, "empty_rows.xlsx"))
    long_cell(os.path.join(HERE, "long_cell.xlsx"))
    zip_bomb(os.path.join(HERE, "zip_bomb.xlsx"))
    encrypted_xls(os.path.join(HERE, "encrypted.xls"))
    shared_string_bomb(os.path.join(HERE, "shared_string_bomb.xlsx"))
    if shutil.which("soffice"):
        formula_errors(os.path.join(HERE, "formula_errors.xlsx"))
    else:
        print("soffice not found: formula_errors.xlsx not written", file=sys.stderr)
    for name in sorted(os.listdir(HERE)):
        print(f"{name}: {os.path.getsize(os.path.join(HERE, name))} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
