#!/usr/bin/env python3
"""Write the sample submissions in samples/ (deterministic: no randomness, fixed timestamps).

    python3 scripts/make_samples.py

Needs openpyxl (pip install openpyxl) and LibreOffice's `soffice` on PATH (for .xls and .ods).
Every file is rewritten on each run; running twice gives byte-identical files.
See samples/README.md for what each file holds and the deliberate mistakes in 示例单位乙.csv.

scripts/make_fixtures.py imports the data and writers from this module.
"""

import csv
import datetime
import html
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.writer.excel import ExcelWriter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SAMPLES = os.path.join(REPO, "samples")
SEED_NAME = "000_8ac005536caa6091.txt"
# The published seed (shared reference data); on a clone without it, the copy made here before.
SEED = os.path.normpath(os.path.join(REPO, "..", "shared", "seed", SEED_NAME))
if not os.path.exists(SEED):
    SEED = os.path.join(SAMPLES, SEED_NAME)

FIXED_TIME = datetime.datetime(2025, 1, 1, 0, 0, 0)
ZIP_TIME = (2025, 1, 1, 0, 0, 0)

TITLE = "项目支出绩效目标表（含转移支付项目）"
HEADER = ["项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"]
MONEY_UNIT = "单位：万元"
NOTE = "注：本表数据来源于部门预算公开。"
NCOLS = len(HEADER)

# ---------------------------------------------------------------------------
# Indicator text in the seed's syntax
# ---------------------------------------------------------------------------

LEVEL1 = {"1": "1-产出指标", "2": "2-效益指标", "3": "3-满意度指标", "4": "4-成本指标"}
LEVEL2 = {
    "11": "11-数量指标", "12": "12-质量指标", "13": "13-时效指标",
    "21": "21-经济效益", "22": "22-社会效益", "23": "23-生态效益", "24": "24-可持续影响",
    "31": "31-服务对象满意度",
    "41": "41-经济成本指标",
}


def ind(l2, name, period, annual=None, l1=None):
    """One indicator: level-2 code, level-3 name, targets; level 1 follows from level 2 unless given."""
    return (l1 or LEVEL1[l2[0]], LEVEL2[l2], name, period, annual if annual is not None else period)


def render_indicators(indicators):
    """'1、1-产出指标；11-数量指标；名称；实施周期指标值:X；年度指标值:Y。2、…' (the seed's syntax)."""
    return "".join(
        f"{n}、{l1}；{l2}；{name}；实施周期指标值:{p}；年度指标值:{a}。"
        for n, (l1, l2, name, p, a) in enumerate(indicators, 1)
    )


# ---------------------------------------------------------------------------
# The fictitious units. A project is (name, total, fiscal, special, other, goal, indicators);
# amounts are Decimal strings, None for an empty cell, or any other str written as-is (a mistake).
# ---------------------------------------------------------------------------

def project(name, total, fiscal, special, other, goal, indicators):
    return {"name": name, "amounts": [total, fiscal, special, other], "goal": goal,
            "indicators": render_indicators(indicators) if indicators else ""}


UNIT_JIA = ("示例单位甲", [
    project("社区健康讲座项目", "128.60", "96.40", "20.00", "12.20",
            "全年在辖区内举办社区健康讲座，普及慢性病防治、合理膳食和心理健康知识，提高居民健康素养水平。",
            [ind("11", "举办讲座场次", "≥24场"),
             ind("11", "参加讲座人次", "≥1200人次"),
             ind("12", "讲座内容审核通过率", "100%"),
             ind("22", "居民健康知识知晓率提升", "≥10%"),
             ind("31", "参加讲座居民满意度", "≥90%"),
             ind("41", "每场讲座平均成本", "≤0.6万元")]),
    project("河道保洁经费", "1356.75", "1310.25", "46.50", None,
            "对辖区内12条河涌实施日常保洁，及时清理水面漂浮物和岸坡垃圾，保持河面整洁，改善水环境质量。",
            [ind("11", "保洁河涌数量", "≥12条"),
             ind("13", "漂浮物清理及时率", "≥98%"),
             ind("23", "河涌水面漂浮物覆盖率", "≤1%"),
             ind("31", "周边居民满意度", "≥90%"),
             ind("41", "每公里河道年保洁成本", "≤30万元")]),
    project("老旧小区公共设施维护经费", "215.33", "180.00", "15.18", "20.15",
            "对辖区内老旧小区的路灯、健身器材、排水设施等公共设施进行维护维修，消除安全隐患，改善居住环境。",
            [ind("11", "维护小区数量", "≥15个"),
             ind("12", "维修工程验收合格率", "100%"),
             ind("13", "维修完成时间", "2025年12月31日前"),
             ind("24", "维护后设施正常使用年限", "≥5年"),
             ind("31", "小区居民满意度", "≥90%"),
             ind("41", "单个小区平均维护成本", "≤14.5万元")]),
])

# 示例单位乙: one deliberate mistake per project row (see samples/README.md).
UNIT_YI = ("示例单位乙", [
    # 1. sum-mismatch: 370.50 ≠ 300.00 + 60.50 (= 360.50)
    project("社区养老服务中心运营补助", "370.50", "300.00", "60.50", None,
            "保障社区养老服务中心正常运营，为辖区老年人提供日间照料、助餐配餐和文体娱乐服务。",
            [ind("11", "日间照料服务人次", "≥15000人次"),
             ind("12", "助餐食品安全抽检合格率", "100%"),
             ind("22", "社区居家养老服务覆盖率提升", "≥5%"),
             ind("31", "服务对象满意度", "≥90%"),
             ind("41", "人均日间照料成本", "≤25元")]),
    # 2. bad-amount: 财政拨款 is 待定 (intended 950.00 = 1,200.00 − 200.00 − 50.00)
    project("智慧社区平台建设项目", "1200.00", "待定", "200.00", "50.00",
            "建设智慧社区综合服务平台，整合社区服务、治理和安防数据，实现居民事务一网通办。",
            [ind("11", "接入社区数量", "≥30个"),
             ind("12", "系统上线运行稳定率", "≥99%"),
             ind("13", "平台建成上线时间", "2025年10月31日前"),
             ind("22", "居民事务线上办理率", "≥60%"),
             ind("31", "社区工作人员使用满意度", "≥90%"),
             ind("41", "单个社区平均接入成本", "≤40万元")]),
    # 3. missing-indicators: the 绩效指标 cell is empty
    project("全民健身设施更新经费", "86.40", "86.40", None, None,
            "更新辖区内老化损坏的全民健身路径器材，保障居民健身安全。",
            []),
    # 4. category-mismatch: indicator 2 is "1-产出指标；22-社会效益"
    project("垃圾分类宣传推广项目", "245.00", "200.00", "45.00", None,
            "开展生活垃圾分类宣传进社区、进学校活动，提高居民垃圾分类知晓率和参与率。",
            [ind("11", "宣传活动场次", "≥120场"),
             ind("22", "居民垃圾分类知晓率", "≥95%", l1=LEVEL1["1"]),
             ind("22", "居民垃圾分类参与率", "≥85%"),
             ind("31", "居民满意度", "≥90%"),
             ind("41", "单场宣传活动平均成本", "≤2万元")]),
    # 5. missing-project-name: amounts, goal and indicators but no name
    project("", "58.30", "58.30", None, None,
            "为辖区独居老人提供定期上门探访、健康咨询和紧急援助服务。",
            [ind("11", "探访独居老人人数", "≥300人"),
             ind("12", "每月探访覆盖率", "100%"),
             ind("22", "独居老人意外事件及时处置率", "100%"),
             ind("31", "独居老人满意度", "≥90%"),
             ind("41", "人均年探访服务成本", "≤2000元")]),
])

# The unit row's 财政拨款 of 示例单位乙 is the intended fiscal sum: 310.00 (project 1, read as
# 370.50 − 60.50) + 950.00 (project 2, 待定) + 86.40 + 200.00 + 58.30 = 1,604.70, so that the unit
# row itself satisfies 总计 = 财政拨款 + 财政专户拨款 + 其他资金 (1,604.70 + 305.50 + 50.00 = 1,960.20).
YI_UNIT_FISCAL = "1604.70"

UNIT_BING = ("示例单位丙", [
    project("公园绿化养护经费", "462.38", "400.00", "50.00", "12.38",
            "对辖区内8个公园实施绿化养护，及时修剪、补植和防治病虫害，保持园林景观良好。",
            [ind("11", "养护绿地面积", "≥45万平方米"),
             ind("12", "苗木成活率", "≥95%"),
             ind("23", "公园绿化覆盖率", "≥40%"),
             ind("31", "游园市民满意度", "≥90%"),
             ind("41", "每平方米年养护成本", "≤10元")]),
    project("社区图书室图书购置项目", "35.80", "35.80", None, None,
            "为辖区12个社区图书室购置新书，丰富居民文化生活。",
            [ind("11", "购置图书册数", "≥8000册"),
             ind("13", "图书上架时间", "2025年9月30日前"),
             ind("22", "图书借阅人次增长率", "≥10%"),
             ind("31", "读者满意度", "≥90%"),
             ind("41", "图书平均采购单价", "≤45元")]),
])

UNIT_DING = ("示例单位丁", [
    project("农贸市场环境整治项目", "1025.60", "880.00", "145.60", None,
            "对辖区6个农贸市场开展升级改造和环境整治，改善市场卫生条件，保障食品安全。",
            [ind("11", "整治农贸市场数量", "≥6个"),
             ind("12", "整治工程验收合格率", "100%"),
             ind("13", "整治完成时间", "2025年11月30日前"),
             ind("22", "市场食品安全抽检合格率", "≥98%"),
             ind("31", "经营户及群众满意度", "≥90%"),
             ind("41", "单个市场平均整治成本", "≤171万元")]),
    project("校园食品安全检测经费", "64.25", "44.25", None, "20.00",
            "对辖区中小学及幼儿园食堂开展食品安全抽样检测，及时发现和消除食品安全隐患。",
            [ind("11", "抽检批次", "≥800批次"),
             ind("13", "检测报告出具及时率", "≥98%"),
             ind("22", "学校食堂食品安全等级达标率", "≥95%"),
             ind("31", "学校及家长满意度", "≥90%"),
             ind("41", "每批次平均检测成本", "≤800元")]),
    project("防汛物资储备经费", "150.00", "150.00", None, None,
            "按标准储备沙包、抽水泵、救生衣等防汛物资，保障汛期应急抢险需要。",
            [ind("11", "储备物资种类", "≥20类"),
             ind("12", "物资完好率", "≥98%"),
             ind("13", "物资入库时间", "2025年4月15日前"),
             ind("22", "汛期应急物资保障率", "100%"),
             ind("31", "抢险队伍满意度", "≥90%"),
             ind("41", "物资采购总成本", "≤150万元")]),
])


def dec(value):
    """Decimal of an amount cell, or None when empty or not a number (such as 待定)."""
    if value is None or value == "":
        return None
    try:
        return Decimal(value.replace(",", ""))
    except ArithmeticError:
        return None


def sum_column(projects, col):
    values = [dec(p["amounts"][col]) for p in projects]
    values = [v for v in values if v is not None]
    return sum(values, Decimal("0.00")) if values else None


def unit_row(name, projects, fiscal_override=None):
    """The unit row: column sums of its projects (an empty column stays empty)."""
    amounts = [sum_column(projects, c) for c in range(4)]
    if fiscal_override is not None:
        amounts[1] = Decimal(fiscal_override)
    amounts = [None if a is None else f"{a:.2f}" for a in amounts]
    return {"name": name, "amounts": amounts, "goal": "", "indicators": ""}


def total_row(unit_rows):
    amounts = []
    for c in range(4):
        values = [dec(u["amounts"][c]) for u in unit_rows if dec(u["amounts"][c]) is not None]
        amounts.append(f"{sum(values, Decimal('0.00')):.2f}" if values else None)
    return {"name": "合计", "amounts": amounts, "goal": "", "indicators": ""}


def table_rows(units, fiscal_overrides=None):
    """[合计 row, unit row, its projects, unit row, its projects, …] for [(unit name, projects)…]."""
    fiscal_overrides = fiscal_overrides or {}
    body, units_rows = [], []
    for name, projects in units:
        u = unit_row(name, projects, fiscal_overrides.get(name))
        units_rows.append(u)
        body.append(u)
        body.extend(projects)
    return [total_row(units_rows)] + body


def rename_unit(unit, new_name):
    return (new_name, unit[1])


# ---------------------------------------------------------------------------
# The seed
# ---------------------------------------------------------------------------

TAG = re.compile(r"<[^>]+>")


def clean_html(cell):
    """Strip <p>…</p> tags, decode entities, trim the cell."""
    return html.unescape(TAG.sub("", cell)).strip()


def read_seed():
    """(unit name, rows) of the seed: rows as dicts like project(), amounts as text without commas."""
    with open(SEED, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    unit_line = clean_html(lines[4])
    assert unit_line.startswith("单位名称："), unit_line
    rows = []
    for line in lines[8:]:
        if not line.strip():
            continue
        cells = [clean_html(c) for c in line.split("\t")]
        assert len(cells) == NCOLS, cells
        rows.append(cells)
    assert rows[0] == HEADER, rows[0]
    out = []
    for cells in rows[1:]:
        amounts = [c.replace(",", "") or None for c in cells[1:5]]
        out.append({"name": cells[0], "amounts": amounts, "goal": cells[5], "indicators": cells[6]})
    assert out[0]["name"] == "合计" and len(out) == 2 + 18, len(out)
    return unit_line[len("单位名称："):], out


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WIDTHS = {"A": 42, "B": 13, "C": 13, "D": 13, "E": 13, "F": 60, "G": 90}


def official_workbook(unit_line, rows, note=True):
    """The official wide layout: title, 单位名称, 单位：万元, header, rows, (blank, note)."""
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "jixiao samples"
    wb.properties.lastModifiedBy = "jixiao samples"
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = TITLE
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=NCOLS)
    ws.row_dimensions[1].height = 30
    if unit_line is not None:
        ws["A2"] = unit_line
    ws["G3"] = MONEY_UNIT
    ws["G3"].alignment = Alignment(horizontal="right")
    for c, label in enumerate(HEADER, 1):
        cell = ws.cell(row=4, column=c, value=label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    r = 5
    for row in rows:
        ws.cell(row=r, column=1, value=row["name"] or None)
        for c, a in enumerate(row["amounts"], 2):
            cell = ws.cell(row=r, column=c)
            d = dec(a)
            if d is not None:
                cell.value = float(d)
                cell.number_format = "#,##0.00"
            elif a:
                cell.value = a  # a deliberate non-number stays text
        ws.cell(row=r, column=6, value=row["goal"] or None)
        ws.cell(row=r, column=7, value=row["indicators"] or None)
        for c in range(1, NCOLS + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=c in (1, 6, 7))
        r += 1
    if note:
        ws.cell(row=r + 1, column=1, value=NOTE)
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"
    return wb


def normalize_zip(data, stored=None, transform=None):
    """Rewrite a zip with fixed entry timestamps, entry order kept.

    `stored` names the entry left uncompressed (an ODS's mimetype); `transform(name, bytes)`
    may rewrite an entry's content."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if transform is not None:
                body = transform(info.filename, body)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_STORED if info.filename == stored else zipfile.ZIP_DEFLATED
            zi.external_attr = (0o40755 << 16 | 0x10) if info.is_dir() else (0o644 << 16)
            dst.writestr(zi, body)
    return out.getvalue()


def save_xlsx(wb, path):
    """Save without openpyxl's 'modified = now' and with fixed zip timestamps."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    write_bytes(path, normalize_zip(buf.getvalue()))


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def soffice_convert(wb, path, target):
    """Write wb as xlsx in a temp dir and convert it with LibreOffice to `target` (e.g. 'xls:MS Excel 97')."""
    ext = target.split(":")[0]
    with tempfile.TemporaryDirectory(prefix="jixiao_samples_") as tmp:
        src = os.path.join(tmp, "in.xlsx")
        save_xlsx(wb, src)
        profile = "file://" + os.path.join(tmp, "profile")
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", tmp, src],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(tmp, "in." + ext), "rb") as f:
            data = f.read()
    if ext == "ods":
        data = normalize_zip(data, stored="mimetype", transform=pin_meta_dates)
    write_bytes(path, data)


def pin_meta_dates(name, body):
    """An ODS's meta.xml with its dates pinned to 2025-01-01 and no editing time."""
    if name != "meta.xml":
        return body
    text = body.decode("utf-8")
    text = re.sub(r"(<(meta:creation-date|dc:date|meta:print-date)>)[^<]*(</\2>)",
                  r"\g<1>2025-01-01T00:00:00\g<3>", text)
    text = re.sub(r"<meta:editing-duration>[^<]*</meta:editing-duration>",
                  "<meta:editing-duration>PT0S</meta:editing-duration>", text)
    return text.encode("utf-8")


def fmt_text(amount):
    """'1,200.00' as Excel shows a #,##0.00 cell; a non-number is written as it is."""
    d = dec(amount)
    if d is None:
        return amount or ""
    return f"{d:,.2f}"


def text_table(unit_line, rows, money_unit_col=NCOLS - 1):
    """The sheet as Excel's CSV export sees it: every line padded to the table width."""
    def pad(cells):
        return cells + [""] * (NCOLS - len(cells))
    lines = [pad([TITLE]), pad([unit_line])]
    lines.append(pad([""] * money_unit_col + [MONEY_UNIT]))
    lines.append(list(HEADER))
    for row in rows:
        lines.append([row["name"]] + [fmt_text(a) for a in row["amounts"]] + [row["goal"], row["indicators"]])
    return lines


def write_csv(path, lines, encoding, delimiter=","):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(lines)
    write_bytes(path, buf.getvalue().encode(encoding))


# ---------------------------------------------------------------------------

def unit_total(projects):
    return sum((dec(p["amounts"][0]) for p in projects), Decimal("0.00"))


def check_consistent(units):
    """Assert 总计 = 财政拨款 + 财政专户拨款 + 其他资金 on every row of a correct unit."""
    for row in table_rows(units):
        t, *parts = [dec(a) or Decimal(0) for a in row["amounts"]]
        assert t == sum(parts), (row["name"], t, parts)


def main():
    out = SAMPLES
    # a) the seed, byte for byte
    seed_copy = os.path.join(out, SEED_NAME)
    if os.path.abspath(SEED) != os.path.abspath(seed_copy):
        shutil.copyfile(SEED, seed_copy)

    # b) the seed in the official layout
    seed_unit, seed_rows = read_seed()
    seed_projects = seed_rows[2:]
    assert unit_total(seed_projects) == Decimal("4671.23")
    wb = official_workbook("单位名称：" + seed_unit, seed_rows)
    save_xlsx(wb, os.path.join(out, seed_unit + ".xlsx"))

    # c) the fictitious units
    check_consistent([UNIT_JIA])
    check_consistent([UNIT_BING, UNIT_DING])
    wb = official_workbook("单位名称：示例单位甲", table_rows([UNIT_JIA]))
    soffice_convert(wb, os.path.join(out, "示例单位甲.xls"), "xls:MS Excel 97")

    rows = table_rows([UNIT_YI], {"示例单位乙": YI_UNIT_FISCAL})
    t, *parts = [dec(a) or Decimal(0) for a in rows[1]["amounts"]]
    assert t == sum(parts) == unit_total(UNIT_YI[1]), (t, parts)
    write_csv(os.path.join(out, "示例单位乙.csv"), text_table("单位名称：示例单位乙", rows), "gbk")

    wb = official_workbook("单位名称：示例单位丙、示例单位丁", table_rows([UNIT_BING, UNIT_DING]))
    soffice_convert(wb, os.path.join(out, "示例单位丙.ods"), "ods")

    units = [(seed_unit, seed_projects), (seed_unit, seed_projects), UNIT_JIA, UNIT_YI, UNIT_BING, UNIT_DING]
    grand = Decimal("0.00")
    for name, projects in units:
        total = unit_total(projects)
        grand += total
        print(f"{name}: {len(projects)} projects, 总计 {total:,.2f}")
    print(f"grand total over all files: {grand:,.2f}")


if __name__ == "__main__":
    sys.exit(main())
