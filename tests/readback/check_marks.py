#!/usr/bin/env python3
"""Reads a workbook written by jixiao back with openpyxl (and its charts from the zip) and prints
what the print and marking tests check, as JSON on stdout:

    python3 tests/readback/check_marks.py BOOK.xlsx

- "sheets": for every sheet, its print setup: orientation, paperSize, fitToPage, fitToWidth,
  fitToHeight, print_title_rows, footer (the centre text of the odd-page footer);
- "marked": for every sheet, the cells with a fill other than the header's grey, or a note:
  cell, value, fill (RRGGBB), comment;
- "rows": for 问题清单 and 统计, the values of every row (as strings, "" for blank);
- "layout": for 问题清单 and 统计, the row heights (null: default), the column widths and
  whether each cell wraps its text;
- "charts": for 统计, each chart's top and height in points, from its anchor and the row
  heights, with the printable height of an A4 landscape page at the sheet's margins;
- "series": for every chart part, each series' categories and values: the range's formula,
  the values cached in the chart (what a viewer shows without recomputing) and the values of
  the cells the range names, both as strings.
"""

import html
import json
import re
import sys
import zipfile

import openpyxl
from openpyxl.utils import get_column_letter

EMU_PER_POINT = 12700
DEFAULT_ROW_PT = 15.0


def text(v):
    return "" if v is None else str(v)


def fill_of(cell):
    fill = cell.fill
    if fill is None or fill.fill_type is None:
        return None
    rgb = fill.fgColor.rgb if fill.fgColor is not None else None
    if not isinstance(rgb, str):
        return None
    return rgb[-6:].upper()


def print_setup(ws):
    ps = ws.page_setup
    pr = ws.sheet_properties.pageSetUpPr
    return {
        "orientation": ps.orientation,
        "paperSize": int(ps.paperSize) if ps.paperSize is not None else None,
        "fitToPage": bool(pr.fitToPage) if pr is not None else False,
        # Absent means Excel's default, 1.
        "fitToWidth": int(ps.fitToWidth) if ps.fitToWidth is not None else 1,
        "fitToHeight": int(ps.fitToHeight) if ps.fitToHeight is not None else 1,
        "print_title_rows": ws.print_title_rows,
        "footer": ws.oddFooter.center.text if ws.oddFooter is not None else None,
    }


def chart_places(book, wb):
    """Top and height (points) of each chart anchored on 统计."""
    if "统计" not in wb.sheetnames:
        return []
    ws = wb["统计"]
    index = wb.sheetnames.index("统计") + 1
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        rels = f"xl/worksheets/_rels/sheet{index}.xml.rels"
        if rels not in names:
            return []
        targets = re.findall(r'Target="([^"]*drawing[^"]*)"', z.read(rels).decode())
        if not targets:
            return []
        drawing = "xl/drawings/" + targets[0].split("/")[-1]
        xml = z.read(drawing).decode()
    out = []
    def height_above(row):
        return sum((ws.row_dimensions[r].height or DEFAULT_ROW_PT) for r in range(1, row + 1))

    def point(anchor, end):
        part = re.search(rf"<xdr:{end}>(.*?)</xdr:{end}>", anchor, re.S).group(1)
        row = int(re.search(r"<xdr:row>(\d+)</xdr:row>", part).group(1))
        off = int(re.search(r"<xdr:rowOff>(\d+)</xdr:rowOff>", part).group(1))
        return row, height_above(row) + off / EMU_PER_POINT

    for anchor in re.findall(r"<xdr:twoCellAnchor.*?</xdr:twoCellAnchor>", xml, re.S):
        row, top = point(anchor, "from")
        _, bottom = point(anchor, "to")
        out.append({"row": row, "top_pt": top, "height_pt": bottom - top})
    m = ws.page_margins
    # A4 landscape: 8.27 in tall.
    printable = (8.27 - m.top - m.bottom) * 72
    return [dict(c, printable_pt=printable) for c in out]


def chart_series(book, wb):
    """Each chart series' ranges, with their cached values and their cells' values."""
    out = []
    with zipfile.ZipFile(book) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        for name in charts:
            xml = z.read(name).decode()
            for ser in re.findall(r"<c:ser>.*?</c:ser>", xml, re.S):
                series = {"chart": name}
                for part in ("cat", "val"):
                    block = re.search(rf"<c:{part}>(.*?)</c:{part}>", ser, re.S).group(1)
                    formula = re.search(r"<c:f>(.*?)</c:f>", block).group(1)
                    cache = re.findall(r'<c:pt idx="\d+"><c:v>(.*?)</c:v></c:pt>', block, re.S)
                    sheet, cells = formula.rsplit("!", 1)
                    ws = wb[sheet.strip("'")]
                    values = [text(c.value) for row in ws[cells.replace("$", "")] for c in row]
                    series[part] = {
                        "formula": formula,
                        "cache": [html.unescape(v) for v in cache],
                        "cells": values,
                    }
                out.append(series)
    return out


def main():
    book = sys.argv[1]
    wb = openpyxl.load_workbook(book)
    result = {"sheets": {}, "marked": {}, "rows": {}, "layout": {}, "charts": chart_places(book, wb),
              "series": chart_series(book, wb)}
    for ws in wb.worksheets:
        result["sheets"][ws.title] = print_setup(ws)
        marked = []
        for row in ws.iter_rows():
            for cell in row:
                fill = fill_of(cell)
                if cell.comment is not None or (fill is not None and fill != "F2F2F2"):
                    marked.append({
                        "cell": f"{get_column_letter(cell.column)}{cell.row}",
                        "value": text(cell.value),
                        "fill": fill,
                        "comment": cell.comment.text if cell.comment is not None else None,
                    })
        result["marked"][ws.title] = marked
        if ws.title in ("问题清单", "统计"):
            result["rows"][ws.title] = [
                [text(v) for v in r] for r in ws.iter_rows(values_only=True)
            ]
            result["layout"][ws.title] = {
                "heights": [ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)],
                "widths": [ws.column_dimensions[get_column_letter(c)].width
                           for c in range(1, ws.max_column + 1)],
                "wrap": [[bool(c.alignment is not None and c.alignment.wrap_text) for c in r]
                         for r in ws.iter_rows()],
            }
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
