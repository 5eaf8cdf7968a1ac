#!/usr/bin/env python3
"""Write the test fixtures in tests/fixtures/ (deterministic; see tests/fixtures/README.md).

    python3 scripts/make_fixtures.py

Needs openpyxl. The data (示例单位甲's three projects) and the writers come from
scripts/make_samples.py, so the fixtures and the samples cannot drift apart.
"""

import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(REPO, "tests", "fixtures")
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.dont_write_bytecode = True  # no __pycache__ left in scripts/

import make_samples as ms  # noqa: E402


def wrap_p(text):
    return f"<p>{text}</p>" if text else text


def web_export_lines(unit_line, rows):
    """Tab-separated web export in the seed's shape: single-cell title lines with blank lines
    between them, then the header and the rows; some cells wrapped in <p>…</p>, one &nbsp;."""
    lines = [[""], [""], [ms.TITLE], [""], [unit_line], [""], [ms.MONEY_UNIT], [""], list(ms.HEADER)]
    for i, row in enumerate(rows):
        cells = [row["name"]] + [ms.fmt_text(a) for a in row["amounts"]] + [row["goal"], row["indicators"]]
        if i == 2:  # the first project: a goal with an &nbsp; entity between two sentences
            cells[5] = cells[5].replace("，", "，&nbsp;", 1)
        if i >= 3:  # the later projects: every non-empty cell wrapped like the seed's rows 18-22, 30-32
            cells = [wrap_p(c) for c in cells]
        lines.append(cells)
    return lines


def main():
    jia = ms.UNIT_JIA

    # broken/: one good file among three unreadable ones
    good = os.path.join(HERE, "broken", "good.xlsx")
    unit = ms.rename_unit(jia, "示例单位戊")
    ms.save_xlsx(ms.official_workbook("单位名称：示例单位戊", ms.table_rows([unit])), good)
    with open(good, "rb") as f:
        good_bytes = f.read()
    ms.write_bytes(os.path.join(HERE, "broken", "empty.xlsx"), b"")
    ms.write_bytes(os.path.join(HERE, "broken", "truncated.xlsx"), good_bytes[:300])
    ms.write_bytes(os.path.join(HERE, "broken", "not_a_sheet.xlsx"),
                   "这不是电子表格，只是一个扩展名为 .xlsx 的 UTF-8 文本文件。\n"
                   "This is not a spreadsheet: plain UTF-8 text named .xlsx.\n".encode("utf-8"))

    # broken/encrypted.xlsx: good.xlsx with the password 1234 (an OLE container holding an
    # EncryptedPackage), by msoffcrypto-tool (pip install msoffcrypto-tool). Its encryption is
    # salted at random, so an existing file is kept rather than rewritten with other bytes.
    encrypted = os.path.join(HERE, "broken", "encrypted.xlsx")
    if not os.path.exists(encrypted):
        import msoffcrypto.format.ooxml  # noqa: E402  (only needed to make this one file)
        with open(good, "rb") as plain, open(encrypted, "wb") as out:
            msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("1234", out)

    # broken/stray_cell.xlsx: a good form plus one stray cell at XFD1048576, so that the sheet's
    # rectangle claims every cell Excel allows (17 billion); it must be read as what it holds.
    unit = ms.rename_unit(jia, "示例单位乾")
    wb = ms.official_workbook("单位名称：示例单位乾", ms.table_rows([unit]))
    wb.active["XFD1048576"] = "×"
    ms.save_xlsx(wb, os.path.join(HERE, "broken", "stray_cell.xlsx"))

    # gbk_bom/: text encodings
    unit = ms.rename_unit(jia, "示例单位己")
    ms.write_csv(os.path.join(HERE, "gbk_bom", "utf8_bom.csv"),
                 ms.text_table("单位名称：示例单位己", ms.table_rows([unit])), "utf-8-sig")
    unit = ms.rename_unit(jia, "示例单位庚")
    lines = web_export_lines("单位名称：示例单位庚", ms.table_rows([unit]))
    # joined by hand, not csv.writer: a web export has no quoting, and a blank line stays blank
    text = "".join("\t".join(cells) + "\r\n" for cells in lines)
    ms.write_bytes(os.path.join(HERE, "gbk_bom", "gbk.tsv"), text.encode("gbk"))


if __name__ == "__main__":
    sys.exit(main())
