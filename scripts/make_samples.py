#!/usr/bin/env python3
"""Write the sample submissions in samples/ (deterministic: no randomness, fixed timestamps).

    python3 scripts/make_samples.py

Needs openpyxl (pip install openpyxl) and LibreOffice's `soffice` on PATH (for .xls and .ods).
Every file is rewritten on each run; running twice gives byte-identical files.
See samples/README.md for what each file holds and the deliberate mistakes in 示例单位乙.csv.

scripts/make_fixtures.py and scripts/make_layout_fixtures.py import the data and writers from
this module (write_wide for the wide layout, write_long for the long one).
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
    """`items` keeps the indicator tuples for the long layout; `indicators` is the wide text."""
    return {"name": name, "amounts": [total, fiscal, special, other], "goal": goal,
            "indicators": render_indicators(indicators) if indicators else "",
            "items": list(indicators)}


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


# 示例单位辰: a declaration in the long layout (samples/示例单位辰_申报表.xlsx), all correct.
UNIT_CHEN = ("示例单位辰", [
    project("社区卫生服务站运行补助", "286.40", "246.40", None, "40.00",
            "保障辖区8个社区卫生服务站正常运行，为居民提供基本医疗、基本公共卫生和家庭医生签约服务，提升基层医疗服务能力。",
            [ind("11", "补助社区卫生服务站数量", "≥8个"),
             ind("12", "基本公共卫生服务项目考核合格率", "≥95%"),
             ind("22", "辖区居民家庭医生签约率", "≥40%"),
             ind("31", "就诊居民满意度", "≥90%"),
             ind("41", "单个服务站年均运行补助", "≤35.8万元")]),
    project("老旧小区改造监理经费", "94.56", "94.56", None, None,
            "委托专业监理单位对辖区18个老旧小区改造工程实施全过程监理，把好质量、安全和进度关，确保改造工程按期保质完成。",
            [ind("11", "监理改造小区数量", "≥18个"),
             ind("13", "监理月报提交及时率", "100%"),
             ind("22", "改造工程一次性验收通过率", "≥95%"),
             ind("31", "小区居民满意度", "≥90%"),
             ind("41", "单个小区平均监理费用", "≤5.3万元")]),
    project("基层治理数字化平台运维", "158.20", "120.00", "30.00", "8.20",
            "保障基层治理数字化平台稳定运行，及时处置系统故障和安全隐患，支撑街道、社区网格化管理和事项流转办理。",
            [ind("11", "运维覆盖街道和社区数量", "≥45个"),
             ind("12", "平台年度可用率", "≥99.5%"),
             ind("13", "故障响应时间", "≤2小时"),
             ind("22", "基层事项线上流转办结率", "≥85%"),
             ind("31", "基层工作人员满意度", "≥90%"),
             ind("41", "年度运维总成本", "≤158.2万元")]),
])

# 示例单位巳: wide layout, amounts in 元 (samples/示例单位巳.csv, "金额单位：元"), all correct.
UNIT_SI = ("示例单位巳", [
    project("街道应急避难场所维护经费", "356800.00", "356800.00", None, None,
            "对辖区6处应急避难场所的标识、照明、供水和应急物资进行日常维护，确保突发事件时能及时开放使用。",
            [ind("11", "维护应急避难场所数量", "≥6个"),
             ind("12", "应急设施设备完好率", "≥95%"),
             ind("22", "应急避难场所随时可用率", "100%"),
             ind("31", "周边居民满意度", "≥90%"),
             ind("41", "单个场所年均维护成本", "≤6万元")]),
    project("社区儿童假期托管服务项目", "1275000.00", "1020000.00", None, "255000.00",
            "在寒暑假期间依托社区党群服务中心开办儿童托管班，为双职工家庭提供看护、课业辅导和兴趣活动服务。",
            [ind("11", "托管服务儿童人次", "≥6000人次"),
             ind("12", "托管场所安全检查合格率", "100%"),
             ind("13", "暑期托管班开班时间", "2025年7月10日前"),
             ind("22", "双职工家庭假期看护需求满足率", "≥80%"),
             ind("31", "家长满意度", "≥90%"),
             ind("41", "每人次托管服务成本", "≤212.5元")]),
])
SI_YUAN = Decimal(10000)  # 示例单位巳's amounts are in 元: divide by this for 万元

LONG_SAMPLE_TITLE = "2025年项目支出绩效目标申报表"
LONG_SAMPLE_NOTE = "填报人：王明　　审核人：李华　　联系电话：020-12345678"


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


def new_workbook(sheet="Sheet1"):
    """An empty workbook with fixed document properties; its one sheet named `sheet`."""
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "jixiao samples"
    wb.properties.lastModifiedBy = "jixiao samples"
    wb.active.title = sheet
    return wb


def official_workbook(unit_line, rows, note=True):
    """The official wide layout: title, 单位名称, 单位：万元, header, rows, (blank, note)."""
    wb = new_workbook()
    top = [[(1, unit_line)] if unit_line is not None else [], [(NCOLS, MONEY_UNIT)]]
    write_wide(wb.active, top, rows, note)
    return wb


def write_wide(ws, top, rows, note=True, header=HEADER):
    """The wide layout on `ws`: the title (merged across), the lines in `top` (each a list of
    (column, text); text in the last column is right-aligned), the header, the rows, (blank, note)."""
    ncols = len(header)
    ws["A1"] = TITLE
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 30
    for r, line in enumerate(top, 2):
        for c, text in line:
            ws.cell(row=r, column=c, value=text)
            if c == ncols:
                ws.cell(row=r, column=c).alignment = Alignment(horizontal="right")
    header_row = 2 + len(top)
    for c, label in enumerate(header, 1):
        cell = ws.cell(row=header_row, column=c, value=label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    r = header_row + 1
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
        for c in range(1, ncols + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=c in (1, 6, 7))
        r += 1
    if note:
        ws.cell(row=r + 1, column=1, value=NOTE)
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    return header_row


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


# ---------------------------------------------------------------------------
# The long (declaration) layout: one row per indicator
# ---------------------------------------------------------------------------

LONG_PROJECT_LABELS = ["项目名称", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标"]
LONG_INDICATOR_LABELS = ["一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值"]
LONG_WIDTHS = {"项目名称": 30, "绩效目标": 50, "三级指标": 30, "指标名称": 30, "年度绩效目标": 50}


def level_name(label):
    """'22-社会效益' → '社会效益指标': the long layout names a category without its code."""
    name = label.split("-", 1)[1]
    return name if name.endswith("指标") else name + "指标"


def long_indicator_cells(item):
    """一级指标 | 二级指标 | 三级指标 | 实施周期指标值 | 年度指标值 of one indicator tuple."""
    l1, l2, name, period, annual = item
    return [level_name(l1), level_name(l2), name, period, annual]


def write_long(ws, top, rows, header, *, title=TITLE, merge_title=True, merge_project=True,
               merge_level1=False, scale=1, indicator_cells=long_indicator_cells, notes=()):
    """The long layout on `ws`; returns the first header row.

    `top`: lines between the title and the header, each a list of (column, text).
    `header`: a str is the money group label of the two-row header (资金情况（万元）over
    总计…其他资金, 绩效指标 over LONG_INDICATOR_LABELS, 项目名称 and 绩效目标 merged down);
    a list is a one-row header (six project labels, then the indicator labels).
    `rows`: dicts as project() makes them; a row without `items` (合计, unit row) is one row
    with name and amounts only. Project cells sit on the first indicator row, merged down over
    the project's rows when `merge_project`; with `merge_level1`, 一级指标 is merged over
    consecutive rows of the same category. Amounts are multiplied by `scale` (10000 for 元)."""
    two_rows = isinstance(header, str)
    labels = (LONG_PROJECT_LABELS + LONG_INDICATOR_LABELS) if two_rows else list(header)
    ncols = len(labels)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    if merge_title:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 30
    for r, line in enumerate(top, 2):
        for c, text in line:
            ws.cell(row=r, column=c, value=text)
            if c == ncols:
                ws.cell(row=r, column=c).alignment = Alignment(horizontal="right")
    header_row = 2 + len(top)
    if two_rows:
        cells = {(0, 1): "项目名称", (0, 2): header, (0, 6): "绩效目标", (0, 7): "绩效指标"}
        for c, label in enumerate(labels[1:5], 2):
            cells[(1, c)] = label
        for c, label in enumerate(labels[6:], 7):
            cells[(1, c)] = label
        merges = [(0, 1, 1, 1), (0, 2, 0, 5), (0, 6, 1, 6), (0, 7, 0, ncols)]
        depth = 2
    else:
        cells = {(0, c): label for c, label in enumerate(labels, 1)}
        merges, depth = [], 1
    for dr in range(depth):
        for c in range(1, ncols + 1):
            cell = ws.cell(row=header_row + dr, column=c, value=cells.get((dr, c)))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BORDER
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(start_row=header_row + r0, start_column=c0,
                       end_row=header_row + r1, end_column=c1)
    r = header_row + depth
    for row in rows:
        items = row.get("items") or []
        height = max(1, len(items))
        ws.cell(row=r, column=1, value=row["name"] or None)
        for c, a in enumerate(row["amounts"], 2):
            d = dec(a)
            if d is not None:
                cell = ws.cell(row=r, column=c, value=float(d * scale))
                cell.number_format = "#,##0.00"
        ws.cell(row=r, column=6, value=row["goal"] or None)
        for i, item in enumerate(items):
            for c, value in enumerate(indicator_cells(item), 7):
                if value != "" and value is not None:
                    ws.cell(row=r + i, column=c, value=value)
        for i in range(height):
            for c in range(1, ncols + 1):
                cell = ws.cell(row=r + i, column=c)
                cell.border = BORDER
                cell.alignment = Alignment(vertical="center", wrap_text=c in (1, 6, 9))
        if merge_project and height > 1:
            for c in range(1, 7):
                ws.merge_cells(start_row=r, start_column=c, end_row=r + height - 1, end_column=c)
        if merge_level1:
            start = 0
            for i in range(1, len(items) + 1):
                if i == len(items) or items[i][0] != items[start][0]:
                    if i - start > 1:
                        ws.merge_cells(start_row=r + start, start_column=7,
                                       end_row=r + i - 1, end_column=7)
                    start = i
        r += height
    for note in notes:
        r += 1
        ws.cell(row=r, column=1, value=note)
    for c, label in enumerate(labels, 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = LONG_WIDTHS.get(label, 14)
    ws.freeze_panes = f"A{header_row + depth}"
    return header_row


def fmt_text(amount):
    """'1,200.00' as Excel shows a #,##0.00 cell; a non-number is written as it is."""
    d = dec(amount)
    if d is None:
        return amount or ""
    return f"{d:,.2f}"


def text_table(unit_line, rows, money_unit_col=NCOLS - 1, money_unit=MONEY_UNIT):
    """The sheet as Excel's CSV export sees it: every line padded to the table width."""
    def pad(cells):
        return cells + [""] * (NCOLS - len(cells))
    lines = [pad([TITLE]), pad([unit_line])]
    lines.append(pad([""] * money_unit_col + [money_unit]))
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

    # d) a long-layout declaration and a wide CSV in 元
    check_consistent([UNIT_CHEN])
    wb = new_workbook()
    write_long(wb.active, [[(1, "单位名称：示例单位辰")]], UNIT_CHEN[1], "资金情况（万元）",
               title=LONG_SAMPLE_TITLE, merge_level1=True, notes=[LONG_SAMPLE_NOTE])
    save_xlsx(wb, os.path.join(out, "示例单位辰_申报表.xlsx"))

    check_consistent([UNIT_SI])
    lines = text_table("单位名称：示例单位巳", table_rows([UNIT_SI]), money_unit_col=0,
                       money_unit="金额单位：元")
    write_csv(os.path.join(out, "示例单位巳.csv"), lines, "utf-8-sig")

    units = [(seed_unit, seed_projects, 1), (seed_unit, seed_projects, 1), (*UNIT_JIA, 1),
             (*UNIT_YI, 1), (*UNIT_BING, 1), (*UNIT_DING, 1), (*UNIT_CHEN, 1), (*UNIT_SI, SI_YUAN)]
    grand = Decimal("0.00")
    for name, projects, per_wan in units:
        total = unit_total(projects) / per_wan
        grand += total
        count = sum(len(p["items"]) if "items" in p else p["indicators"].count("、") for p in projects)
        print(f"{name}: {len(projects)} projects, {count} indicators, 总计 {total:,.2f}")
    print(f"grand total over all files: {grand:,.2f}")


if __name__ == "__main__":
    sys.exit(main())
