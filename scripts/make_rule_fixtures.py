#!/usr/bin/env python3
"""Write the rule fixtures in tests/fixtures/rules/ and the roster fixtures in
tests/fixtures/roster/ (deterministic; see tests/fixtures/README.md).

    python3 scripts/make_rule_fixtures.py

Needs openpyxl (no LibreOffice). The writers, the indicator builders (`ind`) and the fixed
document dates and zip timestamps come from scripts/make_samples.py; two runs give
byte-identical files.

- rules/one_fault_per_row.xlsx: one correct project, then one project row per rule, each
  with exactly one fault (FAULTS below lists row, rule and cell).
- rules/wrong_subtotal.xlsx: a unit row 10.00 too high in 总计 and 财政拨款.
- rules/wrong_total.csv: a 合计 row 5.00 too low in 总计 and 其他资金.
- roster/roster.xlsx, roster/roster.csv, roster/roster_names_only.csv: a roster of the
  samples' units with one unit left out, one budget wrong, two names spelt with spaces and
  one unit that did not submit.

After writing, every file is read back (openpyxl / csv) and checked against what was meant:
a small reference implementation of the rules (`rules_of_row`) must find exactly the
intended fault on each project row and nothing on the correct ones.
"""

import csv
import os
import re
import sys
from decimal import Decimal

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(REPO, "tests", "fixtures", "rules")
ROSTER = os.path.join(REPO, "tests", "fixtures", "roster")
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.dont_write_bytecode = True  # no __pycache__ left in scripts/

import make_samples as ms  # noqa: E402
import openpyxl  # noqa: E402
from openpyxl.styles import Alignment, Font  # noqa: E402

ind = ms.ind
L1 = ms.LEVEL1
ZERO = Decimal("0.00")
COLUMNS = "ABCDEFG"  # name, 总计, 财政拨款, 财政专户拨款, 其他资金, 绩效目标, 绩效指标

# ---------------------------------------------------------------------------
# 1. one_fault_per_row.xlsx: 示例单位酉
# ---------------------------------------------------------------------------

YOU = "示例单位酉"
FIRST_PROJECT_ROW = 7  # 1 title, 2 单位名称, 3 单位：万元, 4 header, 5 合计, 6 unit row


def numbered(items, numbers):
    """The seed's indicator text with the given sequence numbers instead of 1..n."""
    return "".join(f"{n}、{l1}；{l2}；{name}；实施周期指标值:{p}；年度指标值:{a}。"
                   for n, (l1, l2, name, p, a) in zip(numbers, items))


def proj(name, amounts, goal, items, *, text=None, intended=None):
    """A project row as make_samples.project() makes it; `text` replaces the rendered
    indicator cell; `intended` maps an amount column (0-3) to the value a text cell stands for."""
    p = ms.project(name, *amounts, goal, items)
    if text is not None:
        p["indicators"] = text
    p["intended"] = intended or {}
    return p


CORRECT = proj(
    "社区居家养老服务补贴", ("320.00", "280.00", "30.00", "10.00"),
    "为辖区80周岁以上老人及困难失能老人提供居家养老上门服务补贴，保障老年人基本生活照料需求。",
    [ind("11", "居家养老上门服务人次", "≥1500人次", "≥500人次"),
     ind("12", "上门服务质量抽查合格率", "≥95%"),
     ind("22", "困难失能老人居家养老服务覆盖率", "≥90%"),
     ind("31", "服务对象满意度", "≥90%"),
     ind("41", "每人次上门服务平均成本", "≤80元")])

# Four indicators, written with the numbers 1、2、4、5 (indicator-numbering).
AFTER_SCHOOL = [ind("11", "参加课后托管学生人数", "≥2000人"),
                ind("22", "有需求学生托管覆盖率", "≥95%"),
                ind("31", "学生家长满意度", "≥90%"),
                ind("41", "生均托管服务成本", "≤750元")]

# (rule, cells, project): one row each, in this order, from row 8 on. `cells` are the columns
# holding the fault; amount-precision lists B and C, reported as one issue at the first (B9).
FAULTS = [
    ("negative-amount", "E", proj(
        "街道文化活动中心运营经费", ("95.00", "100.00", None, "-5.00"),
        "保障街道文化活动中心全年免费开放，组织开展群众文艺培训和展演活动，丰富居民精神文化生活。",
        [ind("11", "举办文艺培训班期数", "≥20期"),
         ind("11", "中心全年开放天数", "≥300天"),
         ind("22", "居民参与文化活动人次增长率", "≥5%"),
         ind("31", "参加活动居民满意度", "≥90%"),
         ind("41", "每期培训班平均成本", "≤1.5万元")])),
    ("amount-precision", "BC", proj(
        "社区普法宣传经费", ("12.345", "12.345", None, None),
        "在辖区社区开展宪法、民法典等法律法规宣传活动，提高居民法治意识。",
        [ind("11", "开展普法宣传活动场次", "≥24场"),
         ind("13", "宣传资料发放完成时间", "2025年6月30日前"),
         ind("22", "居民法律知识知晓率", "≥85%"),
         ind("31", "参与居民满意度", "≥90%"),
         ind("41", "每场宣传活动平均成本", "≤0.5万元")])),
    ("missing-goal", "F", proj(
        "辖区道路照明设施维护经费", ("86.50", "86.50", None, None),
        "",
        [ind("11", "维护路灯数量", "≥3200盏"),
         ind("12", "路灯亮灯率", "≥98%"),
         ind("22", "夜间道路照明保障率", "≥98%"),
         ind("31", "沿线居民满意度", "≥90%"),
         ind("41", "每盏路灯年均维护成本", "≤270元")])),
    ("duplicate-project", "A", proj(
        "社区居家养老服务补贴", ("45.00", "45.00", None, None),
        "为辖区独居和空巢老人提供助餐、助洁等居家养老服务补贴。",
        [ind("11", "助餐助洁服务老人人数", "≥150人"),
         ind("12", "助餐食品安全抽检合格率", "100%"),
         ind("22", "独居空巢老人服务覆盖率", "≥80%"),
         ind("31", "受助老人满意度", "≥90%"),
         ind("41", "人均年服务补贴", "≤3000元")])),
    ("indicator-numbering", "G", proj(
        "中小学生课后托管服务项目", ("150.00", "120.00", None, "30.00"),
        "依托辖区中小学开展课后托管服务，解决双职工家庭放学后看护难题。",
        AFTER_SCHOOL, text=numbered(AFTER_SCHOOL, [1, 2, 4, 5]))),
    ("missing-output-indicator", "G", proj(
        "市民文明素养提升宣传项目", ("60.00", "60.00", None, None),
        "通过公益广告、主题活动等形式开展文明宣传，提升市民文明素养和城市文明程度。",
        [ind("22", "市民文明行为知晓率", "≥90%"),
         ind("24", "文明城市测评成绩保持水平", "≥90分"),
         ind("31", "市民满意度", "≥90%"),
         ind("41", "每块公益广告平均制作成本", "≤0.3万元")])),
    ("missing-benefit-indicator", "G", proj(
        "消防安全隐患排查整治经费", ("78.60", "78.60", None, None),
        "对辖区“三小场所”和出租屋开展消防安全隐患排查，督促整改，减少火灾事故发生。",
        [ind("11", "排查场所数量", "≥1500家"),
         ind("12", "隐患整改完成率", "≥95%"),
         ind("13", "排查工作完成时间", "2025年11月30日前"),
         ind("31", "场所经营者满意度", "≥90%"),
         ind("41", "每家场所平均排查成本", "≤500元")])),
    ("missing-satisfaction-indicator", "G", proj(
        "政务服务大厅设备更新项目", ("132.40", "132.40", None, None),
        "更新政务服务大厅老化的排队叫号、自助终端和办公电脑设备，保障政务服务高效运转。",
        [ind("11", "更新设备数量", "≥120台"),
         ind("13", "设备安装调试完成时间", "2025年8月31日前"),
         ind("22", "群众办事平均等候时间缩短", "≥10%"),
         ind("41", "单台设备平均采购成本", "≤1.1万元")])),
    ("missing-cost-indicator", "G", proj(
        "残疾人康复服务补助", ("210.00", "180.00", "30.00", None),
        "为辖区持证残疾人提供基本康复训练、辅助器具适配等康复服务补助，提高残疾人生活自理能力。",
        [ind("11", "享受康复服务残疾人人数", "≥800人"),
         ind("12", "辅助器具适配合格率", "≥98%"),
         ind("22", "持证残疾人基本康复服务覆盖率", "≥85%"),
         ind("31", "残疾人及家属满意度", "≥90%")])),
    ("missing-target-value", "G", proj(
        "社区网格员培训经费", ("24.80", "24.80", None, None),
        "对辖区社区网格员开展业务技能培训，提升网格化服务管理水平。",
        [ind("11", "举办培训班数量", "≥10个", ""),
         ind("11", "参训网格员人次", "≥600人次"),
         ind("22", "网格员业务考核合格率", "≥95%"),
         ind("31", "参训人员满意度", "≥90%"),
         ind("41", "人均培训成本", "≤400元")])),
    ("trivial-target", "G", proj(
        "城市内涝点整治工程前期经费", ("300.00", "300.00", None, None),
        "开展辖区易涝点整治工程的勘察、设计和可行性研究等前期工作，为后续工程实施做好准备。",
        [ind("11", "完成内涝点整治数量（个）", "≥3", "≥0"),
         ind("12", "设计方案审查通过率", "100%"),
         ind("22", "易涝点积水时间缩短", "≥30%"),
         ind("31", "周边居民满意度", "≥90%"),
         ind("41", "单个易涝点前期工作平均成本", "≤100万元")])),
    ("percent-over-100", "G", proj(
        "二次供水设施改造补助", ("480.00", "400.00", None, "80.00"),
        "对辖区老旧住宅小区二次供水设施进行改造，保障居民用水安全。",
        [ind("11", "改造二次供水设施小区数量", "≥24个"),
         ind("12", "改造后水质检测达标率", "≥105%"),
         ind("22", "居民用水水压达标率", "≥95%"),
         ind("31", "小区居民满意度", "≥90%"),
         ind("41", "单个小区平均改造补助", "≤20万元")])),
    ("satisfaction-below", "G", proj(
        "公共自行车系统运营补贴", ("256.30", "200.00", "56.30", None),
        "保障公共自行车系统正常运营，及时调度和维修车辆，方便市民短途出行。",
        [ind("11", "投放公共自行车数量", "≥5000辆"),
         ind("12", "车辆完好率", "≥95%"),
         ind("23", "绿色出行比例提升", "≥2%"),
         ind("31", "市民骑行满意度", "≥60%"),
         ind("41", "每辆车年均运营成本", "≤512元")])),
    ("annual-exceeds-period", "G", proj(
        "公共场所AED配置项目", ("180.00", "180.00", None, None),
        "在地铁站、学校、体育场馆等人员密集公共场所配置自动体外除颤器（AED），提高心脏骤停急救成功率。",
        [ind("11", "配置AED设备数量", "≥100个", "≥120个"),
         ind("11", "开展急救技能培训人次", "≥3000人次"),
         ind("22", "人员密集公共场所AED覆盖率", "≥80%"),
         ind("31", "公众满意度", "≥90%"),
         ind("41", "单台AED平均采购及安装成本", "≤1.5万元")])),
    ("duplicate-indicator", "G", proj(
        "流动人口服务管理经费", ("72.00", "72.00", None, None),
        "开展流动人口信息登记、居住证办理和出租屋管理服务，提升流动人口服务管理水平。",
        [ind("11", "登记流动人口人数", "≥20000人"),
         ind("11", "登记流动人口人数", "≥18000人"),
         ind("12", "流动人口信息准确率", "≥95%"),
         ind("22", "居住证办理按时办结率", "≥98%"),
         ind("31", "办事群众满意度", "≥90%"),
         ind("41", "人均登记服务成本", "≤36元")])),
    ("sum-mismatch", "B", proj(
        "社区矫正工作经费", ("68.00", "50.00", None, "8.00"),
        "开展社区矫正对象监督管理、教育帮扶和心理矫治工作，预防和减少重新犯罪。",
        [ind("11", "开展教育帮扶活动次数", "≥40次"),
         ind("12", "社区矫正对象档案规范率", "100%"),
         ind("22", "社区矫正对象重新犯罪率", "≤0.2%"),
         ind("31", "社区矫正对象及家属满意度", "≥90%"),
         ind("41", "人均年矫正工作成本", "≤0.3万元")])),
    ("bad-amount", "D", proj(
        "智慧停车诱导系统建设项目", ("560.00", "400.00", "见附件", "40.00"),
        "建设覆盖辖区主要商圈的智慧停车诱导系统，实时发布泊位信息，缓解停车难和交通拥堵。",
        [ind("11", "接入停车场数量", "≥60个"),
         ind("13", "系统建成上线时间", "2025年12月31日前"),
         ind("22", "商圈高峰时段找车位时间缩短", "≥20%"),
         ind("31", "驾驶人满意度", "≥90%"),
         ind("41", "单个停车场平均接入成本", "≤9.3万元")],
        intended={2: "120.00"})),
    ("missing-indicators", "G", proj(
        "机关食堂设备更新经费", ("38.00", "38.00", None, None),
        "更新机关食堂老化的厨房设备和消毒设备，保障就餐卫生安全。",
        [])),
    ("bad-indicator", "G", proj(
        "历史建筑修缮保护经费", ("420.00", "350.00", None, "70.00"),
        "对辖区内已公布的历史建筑开展修缮保护，消除结构安全隐患，延续历史文脉。",
        [], text="详见绩效目标申报表附件")),
    ("category-mismatch", "G", proj(
        "餐厨垃圾收运处理补贴", ("265.00", "265.00", None, None),
        "对辖区餐饮单位餐厨垃圾实行统一收运和无害化处理，防止餐厨垃圾污染环境。",
        [ind("11", "日均收运餐厨垃圾量", "≥120吨"),
         ind("22", "餐厨垃圾资源化利用率", "≥90%", l1=L1["1"]),
         ind("23", "餐厨垃圾无害化处理率", "100%"),
         ind("31", "餐饮单位满意度", "≥90%"),
         ind("41", "每吨餐厨垃圾收运处理成本", "≤60元")])),
    ("unknown-indicator-category", "G", proj(
        "社区志愿服务激励项目", ("18.60", "18.60", None, None),
        "建立志愿服务积分兑换激励机制，鼓励居民参与社区志愿服务。",
        [ind("11", "注册志愿者人数", "≥2000人"),
         ind("22", "志愿者年人均服务时长", "≥20小时"),
         ind("31", "志愿者满意度", "≥90%"),
         ind("41", "人均积分兑换成本", "≤93元"),
         ("5-其他指标", "51-其他", "志愿服务信息公开", "按要求公开", "按要求公开")])),
    ("missing-project-name", "A", proj(
        "", ("36.80", "36.80", None, None),
        "为辖区困难家庭学生提供课业辅导和心理关爱服务，促进困难家庭学生健康成长。",
        [ind("11", "受助困难家庭学生人数", "≥120人"),
         ind("12", "辅导计划完成率", "100%"),
         ind("22", "受助学生学业进步率", "≥60%"),
         ind("31", "学生及家长满意度", "≥90%"),
         ind("41", "人均年帮扶成本", "≤3067元")])),
]

EXPECTED_TOTAL_ROWS = 1 + len(FAULTS)  # 23 project rows: 7..29


def exact_text(d):
    """An exact Decimal as amount text: two decimals, more only where the value has them."""
    return f"{d:.2f}" if d == d.quantize(Decimal("0.01")) else format(d.normalize(), "f")


def intended_value(p, c):
    """A project's amount in column c (0 总计 … 3 其他资金) as meant: a text cell's intended value."""
    if c in p["intended"]:
        return Decimal(p["intended"][c])
    return ms.dec(p["amounts"][c])


def declared_sums(projects):
    """Column sums of the project cells as written (a text cell counted at its intended value);
    exact, so a 3-decimal cell gives a 3-decimal sum. An all-empty column stays empty."""
    out = []
    for c in range(4):
        values = [v for v in (intended_value(p, c) for p in projects) if v is not None]
        out.append(exact_text(sum(values, ZERO)) if values else None)
    return out


def one_fault_per_row():
    projects = [CORRECT] + [p for _, _, p in FAULTS]
    sums = declared_sums(projects)
    rows = [{"name": "合计", "amounts": sums, "goal": "", "indicators": ""},
            {"name": YOU, "amounts": list(sums), "goal": "", "indicators": ""}] + projects
    wb = ms.official_workbook("单位名称：" + YOU, rows)
    ms.save_xlsx(wb, os.path.join(RULES, "one_fault_per_row.xlsx"))
    return projects, sums


# ---------------------------------------------------------------------------
# 2. wrong_subtotal.xlsx: 示例单位戌, unit row 10.00 too high in 总计 and 财政拨款
# ---------------------------------------------------------------------------

XU = "示例单位戌"
JIA = ms.UNIT_JIA[1]
TEN = Decimal("10.00")


def plus(text, delta):
    return f"{ms.dec(text) + delta:.2f}"


def wrong_subtotal():
    rows = ms.table_rows([(XU, JIA)])
    for row in rows[:2]:  # 合计 = the unit row as written
        row["amounts"][0] = plus(row["amounts"][0], TEN)
        row["amounts"][1] = plus(row["amounts"][1], TEN)
    wb = ms.official_workbook("单位名称：" + XU, rows)
    ms.save_xlsx(wb, os.path.join(RULES, "wrong_subtotal.xlsx"))
    return rows


# ---------------------------------------------------------------------------
# 3. wrong_total.csv: 示例单位亥 and 示例单位子, 合计 5.00 too low in 总计 and 其他资金
# ---------------------------------------------------------------------------

HAI = ("示例单位亥", ms.UNIT_BING[1])        # 公园绿化养护经费, 社区图书室图书购置项目
ZI = ("示例单位子", [ms.UNIT_DING[1][1]])   # 校园食品安全检测经费
FIVE = Decimal("5.00")


def wrong_total():
    ms.check_consistent([HAI, ZI])
    rows = ms.table_rows([HAI, ZI])
    rows[0]["amounts"][0] = plus(rows[0]["amounts"][0], -FIVE)
    rows[0]["amounts"][3] = plus(rows[0]["amounts"][3], -FIVE)
    lines = ms.text_table(f"单位名称：{HAI[0]}、{ZI[0]}", rows)
    ms.write_csv(os.path.join(RULES, "wrong_total.csv"), lines, "utf-8")
    return rows


# ---------------------------------------------------------------------------
# 4. The roster
# ---------------------------------------------------------------------------

ROSTER_TITLE = "2025年预算单位名册"
# (name as written, budget in 万元). Left out: 示例单位巳. Wrong budget: 示例单位丁 (1,239.85
# submitted). Spelt with spaces: 示例单位甲 (trailing space), 示例单位丙 (U+3000 inside).
# Not submitted: 示例单位戌.
ROSTER_ROWS = [
    ("广州市规划和自然资源自动化中心", "4671.23"),
    ("示例单位甲 ", "1700.68"),
    ("示例单位乙", "1960.20"),
    ("示例单位\u3000丙", "498.18"),
    ("示例单位丁", "1200.00"),
    ("示例单位辰", "539.16"),
    ("示例单位戌", "300.00"),
]


def roster_xlsx():
    wb = ms.new_workbook("名册")
    ws = wb.active
    ws["A1"] = ROSTER_TITLE
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A1:C1")
    for c, label in enumerate(["序号", "单位名称", "预算总额（万元）"], 1):
        cell = ws.cell(row=2, column=c, value=label)
        cell.font = Font(bold=True)
        cell.border = ms.BORDER
    for i, (name, budget) in enumerate(ROSTER_ROWS, 1):
        ws.cell(row=2 + i, column=1, value=i)
        ws.cell(row=2 + i, column=2, value=name)
        cell = ws.cell(row=2 + i, column=3, value=float(Decimal(budget)))
        cell.number_format = "#,##0.00"
        for c in range(1, 4):
            ws.cell(row=2 + i, column=c).border = ms.BORDER
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 18
    ms.save_xlsx(wb, os.path.join(ROSTER, "roster.xlsx"))


def roster_csvs():
    ms.write_csv(os.path.join(ROSTER, "roster.csv"),
                 [["单位名称", "预算总额"]] + [[n, b] for n, b in ROSTER_ROWS], "utf-8-sig")
    ms.write_csv(os.path.join(ROSTER, "roster_names_only.csv"),
                 [["单位名称"]] + [[n] for n, _ in ROSTER_ROWS], "gbk")


# ---------------------------------------------------------------------------
# Read-back checks: a small reference implementation of the rules, over the cells as read
# ---------------------------------------------------------------------------

ITEM = re.compile(r"(\d+)、([^；]*)；([^；]*)；([^；]*)；实施周期指标值:([^；]*)；年度指标值:([^。]*)。")
TARGET = re.compile(r"^([≥≤><=＝]?)(\d+(?:\.\d+)?)(.*)$")
LEVEL2_CODES = {"1": {"11", "12", "13", "14"}, "2": {"21", "22", "23", "24"},
                "3": {"31"}, "4": {"41", "42", "43"}}
SATISFACTION_MIN = Decimal(90)


def cell_amount(value):
    """(Decimal or None, bad text or None) of a cell as read: a float as its shortest repr."""
    if value is None or value == "":
        return None, None
    if isinstance(value, (int, float)):
        return Decimal(repr(value)), None
    try:
        return Decimal(value.replace(",", "")), None
    except ArithmeticError:
        return None, value


def decimals(d):
    return max(0, -d.normalize().as_tuple().exponent)


def target(text):
    m = TARGET.match(text)
    return (m.group(1), Decimal(m.group(2)), m.group(3)) if m else None


def rules_of_row(row, seen_names):
    """{(rule, column letter)} found on one project row (cells as read, A..G)."""
    name, *amount_cells = row[:5]
    goal, text = row[5], row[6]
    found = set()
    values = []
    for col, cell in zip("BCDE", amount_cells):
        d, bad = cell_amount(cell)
        if bad is not None:
            found.add(("bad-amount", col))
        if d is not None and d < 0:
            found.add(("negative-amount", col))
        if d is not None and decimals(d) > 2:
            found.add(("amount-precision", col))
        values.append(None if bad is not None else (d or ZERO))
    if None not in values and values[0] != sum(values[1:]):
        found.add(("sum-mismatch", "B"))
    if not name:
        found.add(("missing-project-name", "A"))
    elif name in seen_names:
        found.add(("duplicate-project", "A"))
    if name and not goal:
        found.add(("missing-goal", "F"))
    if not text:
        found.add(("missing-indicators", "G"))
        return found
    items = ITEM.findall(text)
    if not items or "".join(m.group(0) for m in ITEM.finditer(text)) != text:
        found.add(("bad-indicator", "G"))
    if not items:
        return found
    if [int(i[0]) for i in items] != list(range(1, len(items) + 1)):
        found.add(("indicator-numbering", "G"))
    level1 = set()
    names = [i[3] for i in items]
    if len(set(names)) != len(names):
        found.add(("duplicate-indicator", "G"))
    for _, l1, l2, _, period, annual in items:
        c1, c2 = l1.split("-")[0], l2.split("-")[0]
        if c1 not in LEVEL2_CODES:
            found.add(("unknown-indicator-category", "G"))
            continue
        if c2 not in LEVEL2_CODES[c1]:
            found.add(("category-mismatch", "G"))
        else:
            level1.add(c1)
        if not period or not annual:
            found.add(("missing-target-value", "G"))
            continue
        tp, ta = target(period), target(annual)
        for t in (tp, ta):
            if t and t[0] == "≥" and t[1] == 0:
                found.add(("trivial-target", "G"))
            if t and t[2] == "%" and t[0] in ("≥", ">", "=", "＝", "") and t[1] > 100:
                found.add(("percent-over-100", "G"))
            if t and c1 == "3" and t[2] == "%" and t[1] < SATISFACTION_MIN:
                found.add(("satisfaction-below", "G"))
        if (tp and ta and tp[0] == ta[0] == "≥" and tp[2] == ta[2] and tp[2] != "%"
                and ta[1] > tp[1]):
            found.add(("annual-exceeds-period", "G"))
    for code, rule in [("1", "missing-output-indicator"), ("2", "missing-benefit-indicator"),
                       ("3", "missing-satisfaction-indicator"), ("4", "missing-cost-indicator")]:
        if code not in level1:
            found.add((rule, "G"))
    return found


def read_xlsx(path):
    ws = openpyxl.load_workbook(path).active
    return [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_col=7)]


def amounts_of(row):
    return [cell_amount(v)[0] for v in row[1:5]]


def verify_one_fault_per_row(projects, sums):
    rows = read_xlsx(os.path.join(RULES, "one_fault_per_row.xlsx"))
    assert rows[0][0] == ms.TITLE and rows[1][0] == "单位名称：" + YOU and rows[2][6] == ms.MONEY_UNIT
    assert rows[3] == ms.HEADER
    assert rows[4][0] == "合计" and rows[5][0] == YOU
    body = rows[FIRST_PROJECT_ROW - 1:FIRST_PROJECT_ROW - 1 + len(projects)]
    assert [r[0] or "" for r in body] == [p["name"] for p in projects]
    assert rows[FIRST_PROJECT_ROW - 1 + len(projects)] == [None] * 7  # blank, then the note
    assert rows[FIRST_PROJECT_ROW + len(projects)][0] == ms.NOTE
    # declared rows: 合计 = unit row = column sums of the projects (D24 at its intended 120.00)
    want = [ms.dec(s) for s in sums]
    assert amounts_of(rows[4]) == amounts_of(rows[5]) == want, (amounts_of(rows[4]), want)
    got = []
    for c in range(4):
        col = []
        for r, p in zip(body, projects):
            d, bad = cell_amount(r[1 + c])
            col.append(Decimal(p["intended"][c]) if bad is not None else d)
        col = [v for v in col if v is not None]
        got.append(sum(col, ZERO) if col else None)
    assert got == want, (got, want)
    # each project row: exactly its own fault
    seen = set()
    expected = [set()] + [{(rule, col) for col in cols} for rule, cols, _ in FAULTS]
    for i, (r, exp) in enumerate(zip(body, expected)):
        found = rules_of_row(r, seen)
        assert found == exp, (FIRST_PROJECT_ROW + i, r[0], found, exp)
        if r[0]:
            seen.add(r[0])
    # at most two decimals everywhere else; no negative amount outside row 8
    for n, r in enumerate(rows[4:FIRST_PROJECT_ROW - 1 + len(projects)], 5):
        for col, v in zip("BCDE", r[1:5]):
            d = cell_amount(v)[0]
            if d is not None and decimals(d) > 2:
                assert f"{col}{n}" in ("B5", "C5", "B6", "C6", "B9", "C9"), f"{col}{n}"
            if d is not None and d < 0:
                assert f"{col}{n}" == "E8", f"{col}{n}"
    return body


def verify_wrong_subtotal(rows_written):
    rows = read_xlsx(os.path.join(RULES, "wrong_subtotal.xlsx"))
    assert rows[3] == ms.HEADER and rows[4][0] == "合计" and rows[5][0] == XU
    total, unit, projects = rows[4], rows[5], rows[6:9]
    assert [r[0] for r in projects] == [p["name"] for p in JIA]
    sums = [sum((cell_amount(r[1 + c])[0] or ZERO for r in projects), ZERO) for c in range(4)]
    ua = amounts_of(unit)
    assert amounts_of(total) == ua
    diff = [ua[c] - sums[c] for c in range(4)]
    assert diff == [TEN, TEN, 0, 0], diff
    assert ua[0] == ua[1] + ua[2] + ua[3]
    for r in projects:
        assert rules_of_row(r, set()) == set(), r[0]
    return ua, sums


def read_csv(path, encoding):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def verify_wrong_total():
    path = os.path.join(RULES, "wrong_total.csv")
    with open(path, "rb") as f:
        assert not f.read(3).startswith(b"\xef\xbb\xbf"), "wrong_total.csv has no BOM"
    rows = read_csv(path, "utf-8")
    assert rows[3] == ms.HEADER and rows[4][0] == "合计"
    assert [r[0] for r in rows[5:]] == [HAI[0]] + [p["name"] for p in HAI[1]] + [ZI[0]] + [
        p["name"] for p in ZI[1]]
    units = [(5, rows[6:8]), (8, rows[9:10])]
    unit_amounts = []
    for at, projects in units:
        ua = amounts_of(rows[at])
        sums = [sum((cell_amount(r[1 + c])[0] or ZERO for r in projects), ZERO) for c in range(4)]
        assert [a or ZERO for a in ua] == sums, (rows[at][0], ua, sums)
        assert ua[0] == sum(a or ZERO for a in ua[1:])
        for r in projects:
            assert rules_of_row(r, set()) == set(), r[0]
        unit_amounts.append(sums)
    correct = [unit_amounts[0][c] + unit_amounts[1][c] for c in range(4)]
    declared = [a or ZERO for a in amounts_of(rows[4])]
    assert [declared[c] - correct[c] for c in range(4)] == [-FIVE, 0, 0, -FIVE], declared
    assert declared[0] == sum(declared[1:])  # the 合计 row still satisfies its own row sum
    return declared, correct, unit_amounts


def verify_roster():
    ws = openpyxl.load_workbook(os.path.join(ROSTER, "roster.xlsx")).active
    rows = [[c.value for c in r] for r in ws.iter_rows(max_col=3)]
    assert rows[0][0] == ROSTER_TITLE and rows[1] == ["序号", "单位名称", "预算总额（万元）"]
    assert [(r[1], cell_amount(r[2])[0]) for r in rows[2:]] == [
        (n, Decimal(b)) for n, b in ROSTER_ROWS]
    assert [r[0] for r in rows[2:]] == list(range(1, len(ROSTER_ROWS) + 1))
    with open(os.path.join(ROSTER, "roster.csv"), "rb") as f:
        assert f.read(3) == b"\xef\xbb\xbf"
    rows = read_csv(os.path.join(ROSTER, "roster.csv"), "utf-8-sig")
    assert rows == [["单位名称", "预算总额"]] + [[n, b] for n, b in ROSTER_ROWS], rows
    rows = read_csv(os.path.join(ROSTER, "roster_names_only.csv"), "gbk")
    assert rows == [["单位名称"]] + [[n] for n, _ in ROSTER_ROWS], rows
    normalized = {re.sub(r"\s", "", n) for n, _ in ROSTER_ROWS}
    assert {"示例单位甲", "示例单位丙"} <= normalized and "示例单位巳" not in normalized


# ---------------------------------------------------------------------------

def count_indicators(p):
    return len(ITEM.findall(p["indicators"]))


def main():
    projects, sums = one_fault_per_row()
    written = wrong_subtotal()
    wrong_total()
    roster_xlsx()
    roster_csvs()

    verify_one_fault_per_row(projects, sums)
    print("one_fault_per_row.xlsx: 示例单位酉, "
          f"{len(projects)} project rows ({FIRST_PROJECT_ROW}–{FIRST_PROJECT_ROW + len(projects) - 1}), "
          f"{sum(count_indicators(p) for p in projects)} indicators read by the seed syntax; "
          "合计 = unit row = " + " / ".join(s or "—" for s in sums))
    print(f"  row {FIRST_PROJECT_ROW}: (correct) {CORRECT['name']}")
    for i, (rule, cols, p) in enumerate(FAULTS, FIRST_PROJECT_ROW + 1):
        cells = ", ".join(f"{c}{i}" for c in cols)
        print(f"  row {i}: {rule} ({cells}) {p['name'] or '(no name)'}: "
              + " / ".join(a or "—" for a in p["amounts"]) + f", {count_indicators(p)} indicators")

    ua, sums = verify_wrong_subtotal(written)
    print("wrong_subtotal.xlsx: 示例单位戌, unit row (B6:E6) = 合计 (B5:E5) = "
          + " / ".join(f"{a:.2f}" for a in ua) + "; projects (7–9) sum to "
          + " / ".join(f"{a:.2f}" for a in sums))

    declared, correct, units = verify_wrong_total()
    print("wrong_total.csv: 合计 (row 5) = " + " / ".join(f"{a:.2f}" for a in declared)
          + "; the unit rows (6, 9) sum to " + " / ".join(f"{a:.2f}" for a in correct))

    verify_roster()
    print("roster.xlsx, roster.csv, roster_names_only.csv: "
          + ", ".join(f"{n!r} {b}" for n, b in ROSTER_ROWS))


if __name__ == "__main__":
    sys.exit(main())
