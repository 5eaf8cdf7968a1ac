#!/usr/bin/env python3
"""Write the layout fixtures in tests/fixtures/layouts/ (deterministic; see tests/fixtures/README.md).

    python3 scripts/make_layout_fixtures.py

Needs openpyxl and LibreOffice's `soffice` on PATH (for the .ods and the .xls). The data
(示例单位甲's three projects and 17 indicators) and the writers come from scripts/make_samples.py.
Each file holds the same projects in another layout, so its totals are known in advance; the
expected numbers are listed in tests/fixtures/README.md and printed by this script.
"""

import os
import re
import sys
from decimal import Decimal

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "fixtures", "layouts")
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.dont_write_bytecode = True  # no __pycache__ left in scripts/

import make_samples as ms  # noqa: E402
from openpyxl.chart import BarChart, Reference  # noqa: E402

JIA = ms.UNIT_JIA[1]  # [社区健康讲座项目 (6 indicators), 河道保洁经费 (5), 老旧小区公共设施维护经费 (6)]
YUAN = Decimal(10000)


def path(name):
    return os.path.join(OUT, name)


def report(file, units):
    """Print each unit's project count, indicator count and column totals in 万元."""
    for name, projects, per_wan in units:
        sums = [sum((ms.dec(p["amounts"][c]) or Decimal(0) for p in projects), Decimal("0.00")) / per_wan
                for c in range(4)]
        count = sum(len(p["items"]) for p in projects)
        print(f"{file}: {name}: {len(projects)} projects, {count} indicators, "
              + " / ".join(f"{s:.2f}" for s in sums))


# ---------------------------------------------------------------------------
# 1-3: 示例单位甲 in the wide reference and two long layouts
# ---------------------------------------------------------------------------

def wide_reference():
    wb = ms.official_workbook("单位名称：示例单位甲", ms.table_rows([ms.UNIT_JIA]))
    ms.save_xlsx(wb, path("wide_reference.xlsx"))


def long_merged():
    wb = ms.new_workbook()
    ms.write_long(wb.active, [[(1, "单位名称：示例单位甲")]], JIA, "资金情况（万元）",
                  merge_level1=True, notes=[ms.NOTE])
    ms.save_xlsx(wb, path("long_merged.xlsx"))


ONE_ROW_HEADER = ms.LONG_PROJECT_LABELS + ms.LONG_INDICATOR_LABELS


def long_first_row():
    wb = ms.new_workbook()
    ms.write_long(wb.active, [[(1, "单位名称：示例单位甲")], [(len(ONE_ROW_HEADER), ms.MONEY_UNIT)]],
                  JIA, ONE_ROW_HEADER, merge_title=False, merge_project=False,
                  notes=["填报人：张三　　审核人：李四　　联系电话：020-87654321"])
    ms.soffice_convert(wb, path("long_first_row.ods"), "ods")


# ---------------------------------------------------------------------------
# 4: one value column, sign and unit apart, amounts in 元
# ---------------------------------------------------------------------------

SINGLE_VALUE_HEADER = ["项目名称", "资金总额", "财政资金", "专户资金", "单位自筹", "年度绩效目标",
                       "一级指标", "二级指标", "指标名称", "计算符号", "指标值", "计量单位"]
TARGET = re.compile(r"^([≥≤=]?)(\d+(?:\.\d+)?)(\D*)$")


def split_target(text, explicit_equal=False):
    """'≥1200人次' → ('≥', 1200, '人次'); '0.6' stays a float; a non-numeric target is text
    with no sign or unit. `explicit_equal` writes a bare '100%' as ('=', 100, '%')."""
    m = TARGET.match(text)
    if not m:
        return "", text, ""
    sign, number, unit = m.groups()
    value = float(number) if "." in number else int(number)
    return sign or ("=" if explicit_equal else ""), value, unit


def single_value_cells(item):
    l1, l2, name, period, annual = item
    assert period == annual, item  # one value column: 甲's targets are the same for both
    sign, value, unit = split_target(annual, explicit_equal=(name == "讲座内容审核通过率"))
    return [ms.level_name(l1), ms.level_name(l2), name, sign, value, unit]


def long_single_value():
    projects = [JIA[0], JIA[2]]  # 社区健康讲座项目 and 老旧小区公共设施维护经费
    wb = ms.new_workbook()
    ms.write_long(wb.active, [[(1, "单位名称：示例单位辛")], [(len(SINGLE_VALUE_HEADER), "金额单位：元")]],
                  projects, SINGLE_VALUE_HEADER, scale=YUAN, indicator_cells=single_value_cells)
    ms.soffice_convert(wb, path("long_single_value.xls"), "xls:MS Excel 97")
    return projects


# ---------------------------------------------------------------------------
# 5: wide CSV, "总计（元）" in the header, no money-unit line
# ---------------------------------------------------------------------------

def yuan_text(amount):
    d = ms.dec(amount)
    return "" if d is None else f"{d * YUAN:,.2f}"


def yuan_header():
    projects = [JIA[1], JIA[2]]  # 河道保洁经费 and 老旧小区公共设施维护经费
    unit = ("示例单位壬", projects)
    header = list(ms.HEADER)
    header[1] = "总计（元）"
    lines = [[ms.TITLE] + [""] * 6, ["单位名称：示例单位壬"] + [""] * 6, header]
    for row in ms.table_rows([unit]):
        lines.append([row["name"]] + [yuan_text(a) for a in row["amounts"]]
                     + [row["goal"], row["indicators"]])
    ms.write_csv(path("yuan_header.csv"), lines, "utf-8-sig")
    return projects


# ---------------------------------------------------------------------------
# 6: amounts as odd text, floats, dashes; indicator text with half-width separators
# ---------------------------------------------------------------------------

def quirky_indicators(items):
    """Half-width ';' and ':', a line break between items, no final '。'."""
    text = "\n".join(f"{n}、{l1};{l2};{name};实施周期指标值:{p};年度指标值:{a}。"
                     for n, (l1, l2, name, p, a) in enumerate(items, 1))
    return text[:-1]


def quirks():
    p1, p2, p3 = (dict(p) for p in JIA)
    # The amounts as the reader should understand them; rows 7 and 8 are then overwritten.
    p1["amounts"] = ["370.50", "370.20", "0.30", None]  # written: "370.50万元", 370.2, 0.1+0.2, "-"
    p2["amounts"] = ["1356.75", "1329.42", "27.33", None]  # written: 1356.75, "１，３２９．４２", 27.33, "—"
    p2["indicators"] = quirky_indicators(p2["items"])
    unit = ("示例单位癸", [p1, p2, p3])
    ms.check_consistent([unit])
    wb = ms.official_workbook("单位名称：示例单位癸", ms.table_rows([unit]))
    ws = wb.active
    assert ws["A7"].value == p1["name"] and ws["A8"].value == p2["name"]
    for ref, value in [("B7", "370.50万元"), ("E7", "-"), ("C8", "１，３２９．４２"), ("E8", "—")]:
        ws[ref].value = value
        ws[ref].number_format = "General"
    ws["D7"].value = 0.1 + 0.2
    ms.save_xlsx(wb, path("quirks.xlsx"))
    # openpyxl writes floats with 16 significant digits ("%.16g": 0.3); Excel writes the
    # shortest round-trip form, so the float's artefact is put back into the sheet XML.
    with open(path("quirks.xlsx"), "rb") as f:
        data = f.read()
    ms.write_bytes(path("quirks.xlsx"), ms.normalize_zip(data, transform=full_precision_d7))
    return unit[1]


def full_precision_d7(name, body):
    if name != "xl/worksheets/sheet1.xml":
        return body
    short = b'<c r="D7" s="5" t="n"><v>0.3</v></c>'
    assert body.count(short) == 1, "D7 of quirks.xlsx not found"
    return body.replace(short, short.replace(b"0.3", repr(0.1 + 0.2).encode()))


# ---------------------------------------------------------------------------
# 7: several sheets: instructions, two units, a hidden list sheet, a chart sheet
# ---------------------------------------------------------------------------

INSTRUCTIONS = [
    "填报说明",
    "一、每个预算单位填写一个工作表，工作表名称为单位名称。",
    "二、金额单位为万元，保留两位小数；总计应等于财政拨款、财政专户拨款与其他资金之和。",
    "三、绩效指标按“序号、一级指标；二级指标；三级指标；实施周期指标值:…；年度指标值:…。”的格式填写。",
    "四、一级指标、二级指标请从下拉列表中选择，满意度指标值一般不低于90%。",
]
LISTS = [
    ("一级指标", "二级指标", "指标个数"),
    ("产出指标", "数量指标", 8),
    ("效益指标", "质量指标", 3),
    ("满意度指标", "时效指标", 3),
    ("成本指标", "社会效益指标", 3),
    (None, "服务对象满意度指标", None),
    (None, "经济成本指标", None),
]


def multi_sheet():
    zi = [JIA[0], JIA[1]]  # 社区健康讲座项目, 河道保洁经费
    chou = [JIA[2]]        # 老旧小区公共设施维护经费
    wb = ms.new_workbook("示例单位子")
    ms.write_wide(wb.active, [[(1, "单位名称：示例单位子")], [(ms.NCOLS, ms.MONEY_UNIT)]],
                  ms.table_rows([("示例单位子", zi)]))

    notes = wb.create_sheet("填报说明", 0)
    for r, line in enumerate(INSTRUCTIONS, 1):
        notes.cell(row=r, column=1, value=line)
    notes.column_dimensions["A"].width = 100

    ws = wb.create_sheet("示例单位丑")
    ms.write_wide(ws, [[(ms.NCOLS, ms.MONEY_UNIT)]], chou, note=False)

    lists = wb.create_sheet("lists")
    for r, values in enumerate(LISTS, 1):
        for c, value in enumerate(values, 1):
            if value is not None:
                lists.cell(row=r, column=c, value=value)
    lists.sheet_state = "hidden"

    chart = BarChart()
    chart.title = "各类一级指标个数"
    chart.add_data(Reference(lists, min_col=3, min_row=1, max_row=5), titles_from_data=True)
    chart.set_categories(Reference(lists, min_col=1, min_row=2, max_row=5))
    wb.create_chartsheet("指标分布图").add_chart(chart)

    wb.active = 0
    ms.save_xlsx(wb, path("multi_sheet.xlsx"))
    return zi, chou


# ---------------------------------------------------------------------------
# 8: long layout with a 合计 row and two units
# ---------------------------------------------------------------------------

def two_units_long():
    units = [("示例单位寅", [JIA[0], JIA[1]]), ("示例单位卯", [JIA[2]])]
    ms.check_consistent(units)
    wb = ms.new_workbook()
    ms.write_long(wb.active, [[(1, "单位名称：示例单位寅、示例单位卯")]], ms.table_rows(units),
                  "资金情况（万元）")
    ms.save_xlsx(wb, path("two_units_long.xlsx"))
    return units


# ---------------------------------------------------------------------------
# 9-10: 示例单位甲 as per-project forms (申报表): stacked blocks, and one block per sheet
# ---------------------------------------------------------------------------

PROJECT_COLUMNS = 6  # A..F


def write_project_block(ws, top, p, unit):
    """One per-project block from row `top`; returns the row after it. Labels as the Ministry of
    Finance's template has them; amounts as numbers; level-1 cells merged over their runs."""
    from openpyxl.styles import Alignment
    r = top
    last = ms.openpyxl.utils.get_column_letter(PROJECT_COLUMNS)

    def merge(a, b):
        ws.merge_cells(f"{a}:{b}")

    ws.cell(r, 1, "项目支出绩效目标表")
    merge(f"A{r}", f"{last}{r}")
    ws.cell(r + 1, 1, "（2025年度）")
    merge(f"A{r + 1}", f"{last}{r + 1}")
    r += 2
    ws.cell(r, 1, "项目名称")
    ws.cell(r, 2, p["name"])
    merge(f"B{r}", f"{last}{r}")
    r += 1
    ws.cell(r, 1, "主管部门")
    ws.cell(r, 2, "示例主管局")
    merge(f"B{r}", f"C{r}")
    ws.cell(r, 4, "实施单位")
    ws.cell(r, 5, unit)
    merge(f"E{r}", f"{last}{r}")
    r += 1
    funding = [("年度资金总额：", 0), ("其中：财政拨款", 1), ("财政专户拨款", 2), ("其他资金", 3)]
    ws.cell(r, 1, "项目资金\n（万元）")
    merge(f"A{r}", f"A{r + len(funding) - 1}")
    for i, (label, col) in enumerate(funding):
        ws.cell(r + i, 2, label)
        merge(f"B{r + i}", f"D{r + i}")
        value = ms.dec(p["amounts"][col])
        if value is not None:
            ws.cell(r + i, 5, float(value))
        merge(f"E{r + i}", f"{last}{r + i}")
    r += len(funding)
    ws.cell(r, 1, "总体目标")
    merge(f"A{r}", f"A{r + 1}")
    ws.cell(r, 2, "中期目标")
    merge(f"B{r}", f"C{r}")
    ws.cell(r, 4, "年度目标")
    merge(f"D{r}", f"{last}{r}")
    ws.cell(r + 1, 2, p["goal"])
    merge(f"B{r + 1}", f"C{r + 1}")
    ws.cell(r + 1, 4, p["goal"])
    merge(f"D{r + 1}", f"{last}{r + 1}")
    r += 2
    header = ["一级指标", "二级指标", "三级指标", "实施期指标值", "年度指标值"]
    ws.cell(r, 1, "绩效指标")
    merge(f"A{r}", f"A{r + len(p['items'])}")
    for c, label in enumerate(header, 2):
        ws.cell(r, c, label)
    start = r + 1
    for i, (l1, l2, name, period, annual) in enumerate(p["items"]):
        row = start + i
        for c, value in enumerate([l1.split("-", 1)[1], l2.split("-", 1)[1], name, period, annual], 2):
            ws.cell(row, c, value)
    # Level-1 cells merged over their runs, as published forms do.
    run = start
    for i in range(1, len(p["items"]) + 1):
        if i == len(p["items"]) or p["items"][i][0] != p["items"][run - start][0]:
            if start + i - 1 > run:
                for row in range(run + 1, start + i):
                    ws.cell(row, 2).value = None
                merge(f"B{run}", f"B{start + i - 1}")
            run = start + i
    for row in ws.iter_rows(min_row=top, max_row=start + len(p["items"]) - 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    return start + len(p["items"])


def project_blocks():
    wb = ms.new_workbook("申报表")
    ws = wb.active
    r = 1
    for p in JIA:
        r = write_project_block(ws, r, p, "示例单位甲") + 1
    ws.cell(r, 1, "填表人：张三　　联系电话：020-87654321")
    ms.save_xlsx(wb, path("project_blocks.xlsx"))


def project_sheets():
    wb = ms.new_workbook("项目1")
    for i, p in enumerate(JIA):
        ws = wb.active if i == 0 else wb.create_sheet(f"项目{i + 1}")
        write_project_block(ws, 1, p, "示例单位甲")
    ms.soffice_convert(wb, path("project_sheets.ods"), "ods")


def main():
    wide_reference()
    long_merged()
    long_first_row()
    for name in ("wide_reference.xlsx", "long_merged.xlsx", "long_first_row.ods"):
        report(name, [("示例单位甲", JIA, 1)])
    report("long_single_value.xls", [("示例单位辛", long_single_value(), 1)])
    report("yuan_header.csv", [("示例单位壬", yuan_header(), 1)])
    report("quirks.xlsx", [("示例单位癸", quirks(), 1)])
    zi, chou = multi_sheet()
    report("multi_sheet.xlsx", [("示例单位子", zi, 1), ("示例单位丑", chou, 1)])
    report("two_units_long.xlsx", [(name, projects, 1) for name, projects in two_units_long()])
    project_blocks()
    project_sheets()
    for name in ("project_blocks.xlsx", "project_sheets.ods"):
        report(name, [("示例单位甲", JIA, 1)])


if __name__ == "__main__":
    sys.exit(main())
