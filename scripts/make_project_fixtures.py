#!/usr/bin/env python3
"""Write the real-world per-project fixtures in tests/fixtures/project/ (deterministic).

    python3 scripts/make_project_fixtures.py

Needs openpyxl, and LibreOffice's `soffice` on PATH for the one .xls (skipped with a warning
when soffice is missing; the existing .xls is then left as it is).

Every table below is transcribed from a published page (addresses in SOURCES and in
tests/fixtures/project/README.md). Nothing is invented: the only changes are that personal
names and telephone numbers of the people who filled in a form are left out (the label
stays, the value is empty), and that a table the stored page text cuts off is taken up to
the last complete row (stated per fixture). The stored page text is NFKC-normalised
(full-width punctuation shows as half-width, e.g. "(2025年度)", "其中:财政拨款"), and the
fixtures keep it that way.

A table is a list of rows; a row is a list of cells; a cell is a plain value (str, int,
float) or C(value, c=colspan, r=rowspan, fmt=number_format). Cells are placed the way a
browser lays out an HTML table (a cell skips the columns already taken by a rowspan from
above), so the same description gives the HTML <table> (rowspan/colspan) and the .xlsx
(merged ranges). "\n" inside a value is a line break (<br> in HTML).

The script also writes expected.json (what a correct reader must extract) and checks every
amount relation it states with Decimal.
"""

import html
import json
import os
import shutil
import sys
from decimal import Decimal

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "fixtures", "project")
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.dont_write_bytecode = True  # no __pycache__ left in scripts/

import make_samples as ms  # noqa: E402  (new_workbook, save_xlsx, soffice_convert)
from openpyxl.styles import Alignment  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402


class C:
    """A cell with a span and, for .xlsx, an optional number format."""

    def __init__(self, v, c=1, r=1, fmt=None):
        self.v, self.c, self.r, self.fmt = v, c, r, fmt


def cell(x):
    return x if isinstance(x, C) else C(x)


def layout(rows):
    """Place the cells like an HTML table: [(row, col, C)], 0-based, and the width."""
    taken = set()
    placed = []
    width = 0
    for ri, row in enumerate(rows):
        ci = 0
        for x in row:
            x = cell(x)
            while (ri, ci) in taken:
                ci += 1
            placed.append((ri, ci, x))
            for dr in range(x.r):
                for dc in range(x.c):
                    taken.add((ri + dr, ci + dc))
            ci += x.c
            width = max(width, ci)
    return placed, width


# ---------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------

def html_text(v):
    """Escape a value for a <td>: line breaks as <br>, leading or repeated spaces as &nbsp;."""
    if v is None:
        return ""
    if isinstance(v, float):
        v = f"{v:.2f}"
    s = str(v)
    lines = []
    for line in s.split("\n"):
        out = []
        prev_space = True  # a leading space is kept too
        for ch in line:
            if ch == " " and prev_space:
                out.append("&nbsp;")
            else:
                out.append(html.escape(ch))
            prev_space = ch == " "
        lines.append("".join(out))
    return "<br>".join(lines)


def write_html(name, title, tables):
    """A minimal UTF-8 page holding the tables (each a list of rows)."""
    parts = ["<!DOCTYPE html>", "<html>", "<head>", '<meta charset="utf-8">',
             f"<title>{html.escape(title)}</title>", "</head>", "<body>"]
    for rows in tables:
        parts.append('<table border="1" cellspacing="0" cellpadding="2">')
        for row in rows:
            tds = []
            for x in row:
                x = cell(x)
                attrs = ""
                if x.c > 1:
                    attrs += f' colspan="{x.c}"'
                if x.r > 1:
                    attrs += f' rowspan="{x.r}"'
                tds.append(f"<td{attrs}>{html_text(x.v)}</td>")
            parts.append("<tr>" + "".join(tds) + "</tr>")
        parts.append("</table>")
    parts += ["</body>", "</html>", ""]
    ms.write_bytes(os.path.join(OUT, name), "\n".join(parts).encode("utf-8"))


def fill_sheet(ws, rows, widths=None):
    placed, width = layout(rows)
    wrap = Alignment(wrap_text=True, vertical="center")
    for ri, ci, x in placed:
        c = ws.cell(row=ri + 1, column=ci + 1)
        if x.v is not None and x.v != "":
            c.value = x.v
        if x.fmt:
            c.number_format = x.fmt
        if isinstance(x.v, str) and "\n" in x.v:
            c.alignment = wrap
        if x.c > 1 or x.r > 1:
            ws.merge_cells(start_row=ri + 1, start_column=ci + 1,
                           end_row=ri + x.r, end_column=ci + x.c)
    for i, w in enumerate(widths or []):
        ws.column_dimensions[get_column_letter(i + 1)].width = w
    return width


def workbook(rows, sheet, widths=None):
    wb = ms.new_workbook(sheet)
    wb.properties.creator = "jixiao fixtures"
    wb.properties.lastModifiedBy = "jixiao fixtures"
    fill_sheet(wb.active, rows, widths)
    return wb


def write_xlsx(name, rows, sheet, widths=None):
    ms.save_xlsx(workbook(rows, sheet, widths), os.path.join(OUT, name))


def write_xls(name, rows, sheet, widths=None):
    if shutil.which("soffice") is None:
        print(f"warning: soffice not found, {name} not rewritten", file=sys.stderr)
        return
    ms.soffice_convert(workbook(rows, sheet, widths), os.path.join(OUT, name), "xls:MS Excel 97")


# ---------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------

D = Decimal


def check_sum(what, total, parts):
    got = sum((D(p) for p in parts), D(0))
    assert got == D(total), f"{what}: {' + '.join(parts)} = {got}, not {total}"


def check_sums():
    """Every amount relation stated in the README and in expected.json."""
    check_sum("金安 网球公开赛", "1000.00", ["1000.00", "0.00"])
    check_sum("金寨 物业管理", "1125", ["1125"])
    check_sum("青山 基础设施 (资金总额)", "10000", ["10000"])
    check_sum("青山 基础设施 (当年)", "10000", ["10000"])
    check_sum("青山 薄弱学校", "16", ["16"])
    check_sum("岳阳县 高标准农田 breakdown", "854", ["400", "295", "159"])
    check_sum("湘潭 2023 本级+上级", "250", ["250", "0"])
    check_sum("湘潭 2024", "250", ["250", "0", "0"])
    check_sum("临邑 公用经费", "438.768", ["438.768"])
    check_sum("昭化 财政拨款小计", "6.30", ["6.30", "0.00", "0.00"])
    check_sum("昭化 自有资金小计", "0.00", ["0.00", "0.00"])
    check_sum("昭化 年度资金总额 from parts", "6.30", ["6.30", "0.00", "0.00"])
    assert D(63) * D(1000) / D(10000) == D("6.30")  # 63人 × 1000元/人 = 6.30万元
    check_sum("乌海 资金总额", "3", ["3", "0"])
    check_sum("乌海 年度预算总成本 = 出差+劳务+办公", "3", ["1", "2", "0"])
    check_sum("乌海 产出 weights", "50", ["4", "4", "4", "10", "4", "4", "4", "4", "4", "4", "4"])
    check_sum("井研 村组干部报酬 weights", "90", ["10", "20", "10", "10", "10", "10", "10", "10"])
    assert D("3309840.00") / D(10000) == D("330.984")
    assert D("8827620.53") / D(10000) == D("882.762053")
    assert D("8827620.53") != D("3309840.00")  # the department row covers projects not transcribed


# ---------------------------------------------------------------------------
# 1. 安徽 六安市金安区体育局 2025 (HTML; first of several stacked blocks)
# ---------------------------------------------------------------------------

JINAN_URL = "https://www.ja.gov.cn/public/6602051/25929172.html"
JINAN = [
    [C("", 5)],
    [C("项目支出绩效目标表", 5)],
    [C("(2025年度)", 5)],
    [C("项目责任人:", 2), "", "单位(盖章):", ""],
    ["项目名称", C("2025金安国际网球公开赛(国际系列赛事)", 4)],
    ["主管部门及代码", C("[042]六安市金安区体育局", 4)],
    ["实施单位", C("六安市金安区体育局", 4)],
    ["项目来源", C("本级申报项目", 4)],
    ["项目期", C("3年", 4)],
    [C("项目资金\n(万元)", r=3), C("年度资金总额:", 2), C("1000.00", 2)],
    [C("其中:财政拨款", 2), C("1000.00", 2)],
    [C("其他资金", 2), C("0.00", 2)],
    ["年度\n目标", C("打造金安国际网球公开赛等一系列的品牌赛事,提升六安城市的知名度和美誉度。", 4)],
    [C("绩\n效\n指\n标", r=12), "一级\n指标", "二级指标", "三级指标", "指标值"],
    [C("产出指标", r=6), C("数量指标", r=2), "开展运动种类", "1种"],
    ["打造品牌赛事种类", "1种"],
    [C("质量指标", r=2), "经费支出合规率", "100%"],
    ["赛事完成率", "100%"],
    ["时效指标", "完成时间", "2025年年底前"],
    ["成本指标", "项目总成本", "≤1000万元"],
    [C("效益指标", r=4), "经济效益指标",
     "提升六安城市知名度和美誉度,推动体育消费、“网球+”产业深度融合", "经济效益良好"],
    ["社会效益指标", "打造金安国际网球公开赛等系列品牌赛事,提升六安城市的知名度和美誉度。", "效果良好"],
    ["生态效益指标", "本项目不适用此指标", "无"],
    ["可持续影响指标", "打造金安国际网球\n公开赛等系列品牌赛事", "影响可持续"],
    ["满意度指标", "满意度指标", "群众满意度", "≥95%"],
]

# ---------------------------------------------------------------------------
# 2. 安徽 金寨经济开发区 2021 (HTML)
# ---------------------------------------------------------------------------

JINZHAI_URL = "https://www.ahjinzhai.gov.cn/public/6617781/34383152.html"
JINZHAI = [
    [C("项目支出绩效目标申报表", 5)],
    [C("(2021年度)", 5)],
    ["项目名称", C("物业管理", 4)],
    ["主管部门", "县财政局", "实施单位", C("安徽金寨经济开发区管理委员会", 2)],
    [C("项目资金    (万元)", r=3), C("年度资金总额:", 2), C("1125", 2)],
    [C(" 其中:财政拨款", 2), C("1125", 2)],
    [C("      其他资金", 2), C("", 2)],
    ["年度目标", C("目标1:维护辖区各安置小区安全巡逻、环境卫生及物业日常管理", 4)],
    [C("绩效指标", r=10), "一级指标", "二级指标", "三级指标", "指标值"],
    [C("产出指标", r=4), "数量指标", "指标1:安置小区物业费", "8个"],
    ["质量指标", "指标1:完成开发区工委、管委下达的安置小区物业费清算任务,指导小区物业开展文明创建等工作。",
     "房屋设备、设施的管理到位,环境卫生整洁,车辆停放有序"],
    ["时效指标", "指标1:按时保质完成开发区安置小区物业管理工作", "2021年全年"],
    ["成本指标", "指标1:项目总成本(≤**万元)", "≤1125万元"],
    [C("效益指标", r=4), "经济效益指标", "指标1:清算8个安置小区本年度物业费和历史的遗留物业费(≥**%)。", "≥95%"],
    ["社会效益指标", "指标1:改善安置小区群众生活质量,提升安置小区生活水平。助力全县文明城市创建。", "显著改善"],
    ["生态效益指标", "指标1:优化安置小区生活环境,提高居民生活质量,营造安全舒适的居住环境。", "显著提高"],
    ["可持续影响指标", "指标1:持续提供人力物力保障,解决居民群众生产生活问题", "持续保障"],
    ["满意度指标", "服务对象满意度指标", "指标1:小区居民满意度(≥**%)", "≥90%"],
    [C("注: 1.“其他资金”是指与财政拨款共同用于同一项目的单位自有资金、社会资金等。", 5)],
]

# ---------------------------------------------------------------------------
# 3. 湖北 武汉市青山区教育局 2020, 项目支出绩效目标表3 (HTML; 中期|年度 side by side)
# ---------------------------------------------------------------------------

QS_JS_URL = "http://www.qingshan.gov.cn/qzfbm/zfgzbm/jyj/czxx/zjxx/202001/t20200120_1016313.shtml"
NB = " "  # a cell holding only a (non-breaking) space in the source
QS_JS = [
    [C("项目支出绩效目标表", 7)],
    [C("2020年度)", 7)],
    ["项目名称", C("教育系统基础设施建设和设备购置", 6)],
    ["主管部门\n及编码", C("[015001]武汉市青山区教育局", 2), "实施单位", C("武汉市青山区教育局", 3)],
    ["项目属性", C("基础建设、修缮类", 2), "项目起止时间", C("202001-202012", 3)],
    [C("项目资金", r=3), "资金总额", C("10000万元", 2), "当年资金总额:", C("10000万元", 2)],
    ["其中:财政拨款", C("10000万元", 2), "其中:当年财政拨款", C("10000万元", 2)],
    ["其他资金", C(NB, 2), "当年其他资金", NB, NB],
    [C("总体目标", r=2), C("中期目标", 3), C("年度目标", 3)],
    [C("优化教育布局,推进教育领域综合改革全面提升育人质量实现基础教育持续发展", 2), NB,
     C("按工作计划完成教育局重点项目建设经费预算安排", 2), NB],
    [C("绩效项目指标表", 6), NB],
    ["一级指标", "二级指标(长期)", "三级指标(长期)", "指标值(长期)", "二级指标(年度)", "三级指标(年度)", "指标值(年度)"],
    ["产出指标", "数量指标", NB, NB, "数量指标", "重点建设工程安排数量", "2"],
    ["产出指标", "质量指标", NB, NB, "质量指标", "重点建设工程验收合格率", "100%"],
    ["产出指标", "成本指标", NB, NB, "成本指标", "建设项目成本", "参照政府采购成本控制"],
    ["产出指标", "时效指标", NB, NB, "时效指标", "重点建设工程按期完成率", "100%"],
    ["效益指标", "可持续影响指标", NB, NB, "可持续影响指标", "基础教育巩固提高情况", "巩固提高"],
    ["效益指标", "社会效益指标", NB, NB, "社会效益指标", "基础教育学校办学条件", "持续改善"],
    ["满意度指标", "服务对象满意度指标", NB, NB, "服务对象满意度指标", "学生、家长、社会满意度", "≥90%"],
]

# ---------------------------------------------------------------------------
# 4. 湖北 武汉市青山区 化工区学校 2020, 农村义务教育薄弱学校改造补助资金 (HTML; older scheme)
# ---------------------------------------------------------------------------

QS_BX_URL = ("https://www.qingshan.gov.cn/qzfbm/zfgzbm/jyj/czxx/zxzj/ywjygz/202101/"
             "t20210105_1589009.shtml")
QS_BX = [
    [C("绩效目标表", 5)],
    [C("(2020年度)", 5)],
    ["项目名称", C("农村义务教育薄弱学校改造补助资金", 4)],
    ["项目主管部门", "青山区教育局", "项目执行单位", C("化工区学校", 2)],
    [C("资金情况\n(万元)", r=3), C("年度资金总额:16", 4)],
    [C("    其中 :上级资金16", 4)],
    [C("", 4)],
    [C("总体目标", r=2), C("年度目标", 4)],
    [C("全面改善农村义务教育薄弱学校办学条件,扩大基础教育资源,进一步提高义务教育均衡发展水平。", 4)],
    [C("绩效指标", r=10), "一级指标", "二级指标", "指标内容", "指标值"],
    [C("产出指标", r=6), "数量指标", "农村义务教育学校改造覆盖率", "100%"],
    [C("质量指标", r=2), "校舍维修改造质量合格率", "100%"],
    ["购置设施设备质量合格率", "100%"],
    [C("时效指标", r=2), "预算资金当年下达率", "100%"],
    ["项目按计划完成率", "100%"],
    ["成本指标", "建设项目成本控制率", "100%"],
    [C("效益指标", r=3), "可持续影响指标", "义务教育优质均衡发展情况", "稳步提高"],
    [C("社会公众或服务对象满意度指标", r=2), "学生家长满意度", "≥90%"],
    ["学校满意度", "≥90%"],
]

# ---------------------------------------------------------------------------
# 5. 湖南 岳阳县农业农村局 2022, 高标准农田 (HTML; text amounts with breakdown)
# ---------------------------------------------------------------------------

YUEYANG_URL = "http://www.yyx.gov.cn/37584/38137/content_2016103.html"
YUEYANG = [
    [C("绩效目标申报表(基础设施建设类)", 5)],
    [C("(2022年度)", 5)],
    ["项目名称", "岳阳县2022年高标准农田建设项目", "项目负责人及电话", C("", 2)],
    ["主管部门", "岳阳县农业农村局", "实施单位", C("农田建设服务中心", 2)],
    [C("资金情况 (万元)", r=3), "年度资金总额:", C("854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)", 3)],
    ["其中:财政拨款", C("854万854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)", 3)],
    ["其他资金", C("", 3)],
    [C("总体目标", r=2), C("年度目标", 4)],
    [C("完成项目主体工程70%", 4)],
    [C("绩效指标", r=13), "一级指标", "二级指标", "三级指标", "指标值"],
    [C("产出指标", r=5), C("数量指标", r=2), "脱贫村村内道路硬化里程", "≥100公里"],
    ["脱贫户供水设施数量", "≥20座"],
    ["质量指标", "项目(工程)验收合格率", "100%"],
    ["时效指标", "项目(工程)完成及时率", "≥100%"],
    ["成本指标", "财政资金补助", "1600元/亩"],
    [C("效益指标", r=6), "经济效益\n指标", "年增粮食", "3500公斤"],
    [C("社会效益\n指标", r=2), "受益脱贫(监测)人口数", "≥500人"],
    ["解决脱贫(监测)饮水安全问题人数", "≥1000人"],
    [C("生态效益\n指标", r=2), "新增和改善灌溉达标面积", "≥500亩"],
    ["新增和改善排水达标面积", "≥200亩"],
    ["可持续影响\n指标", "工程设计使用年限", "≥20年"],
    ["满意度指标", "服务对象满意度指标", "受益脱贫(监测)户满意度", "≥95%"],
    [C("注:各地请根据实际情况,从上述绩效指标中选择适合的填报(其中三颗星为必填的核心绩效指标,"
       "可结合已下达的中央对地方专项转移支付绩效指标),也可自行增加或适当调整。", 5)],
]

# ---------------------------------------------------------------------------
# 6. 湖南 湘潭市环境卫生管理处 2023, 雾炮车 (.xlsx; "250万", placeholder rows)
# ---------------------------------------------------------------------------

XT23_URL = "http://xtcg.xiangtan.gov.cn/15068/15075/26693/content_1250928.html"
XT23 = [
    [C("2023年项目支出绩效目标申报表", 6)],
    [C("填报单位:(盖章) 单位:万元", 6)],
    ["项目支出名称", C("雾炮车降尘抑尘服务", 2), "预算部门", C("湘潭市环境卫生管理处", 2)],
    ["年度本级\n预算金额", C("250万", 2), "该项目支出上级资金", C(0, 2)],
    ["项目支出实施期", C("2023.07-2024.01", 5)],
    ["实施期绩效目标", C("通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良", 5)],
    ["本年度绩效目标", C("通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良", 5)],
    [C("本年度\n绩效指标", r=11), "一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准"],
    [C("产出指标", r=5), C("数量指标", r=2), "雾炮车降尘抑尘服务配备车辆数", "10辆", "计划标准"],
    ["雾炮车风炮射程", "≥80M", "计划标准"],
    ["质量指标", "服务周期内空气质量", "优良", "计划标准"],
    ["时效指标", "服务周期", "2023.07-2024.01", "计划标准"],
    ["成本指标", "控制在预算成本内", "250万", "计划标准"],
    [C("效益指标", r=5), "经济效益指标", "", "", ""],
    ["社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "≥85%", "计划标准"],
    ["生态效益指标", "", "", ""],
    ["可持续影响指标", "", "", ""],
    ["社会公众或服务对象满意度指标", "市民满意度", "≥90%", "计划标准"],
    ["财政部门审核意见", C("", 5)],
    [C("填表人: 联系电话: 填报日期: 单位负责人签字:", 6)],
]
XT23_WIDTHS = [14, 12, 18, 30, 16, 12]

# ---------------------------------------------------------------------------
# 7. 湖南 湘潭市环境卫生管理处 2024, same project, other form (HTML; colon lines in one cell)
# ---------------------------------------------------------------------------

XT24_URL = "http://xtcg.xiangtan.gov.cn/15068/15075/26693/content_1349210.html"
XT24 = [
    [C("2024年项目绩效目标表", 6)],
    [C("填报单位(盖章):", 6)],
    ["项目名称", C("雾炮车抑尘降尘服务", 2), "项目起\n止时间", C("20246-202516", 2)],
    ["主管部门及其编码", C("湘潭市城市管理和综合执法局 308001", 2), "项目实施单位", C("湘潭市环境卫生管理处", 2)],
    ["项目负责人", C("", 2), "联系电话", C("", 2)],
    ["项目资金申请\n(万元)",
     C("资金总额: 250\n        一、预算资金:250\n        二、自有资金:0\n        三、其他:0", 5)],
    ["项目概况", C("2024年,市财政局拨付250万元给市城管执法局,继续采购10台雾炮车用于特殊时段环卫作业,服务周180,"
                   "持续改善我市空气质量。市城管执法局已明确该项采购工作由市环卫处负责。", 5)],
    [C("项目实施进度计划", r=2), C("项目实施内容", 3), "开始时间", "完成时间"],
    [C("通过采购雾炮车抑尘降尘服务,使市空气质量达到优良", 3), "20246", " 20251"],
    [C("项目绩效目标", r=2), C("长期目标", 2), C("年度目标", 3)],
    [C(" 持续改善我市空气质量", 2), C("2024通过采购雾炮车抑尘降尘服务,持续改善我市空气质量", 3)],
    [C("年度绩效指标", r=11), "一级指标", "二级指标", "三级指标", "指标值", "绩效标准"],
    [C("产出指标", r=5), C("数量指标", r=2), "雾炮车抑尘降尘服务配备车辆数", "10", "计划标准"],
    ["雾炮车风炮射程", "80M", "计划标准"],
    ["质量指标", "服务周期内空气质量", "优良", "计划标准"],
    ["时效指标", "服务周期", "180", "计划标准"],
    ["成本指标", "控制在预算成本内", "控制在预算内", "计划标准"],
    [C("效益指标", r=5), "经济效益指标", NB, NB, NB],
    ["社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "85%", "计划标准"],
    ["生态效益指标", NB, NB, NB],
    ["可持续影响\n指标", NB, NB, NB],
    ["服务对象满意度指标", "满意度", "90%", "计划标准"],
]

# ---------------------------------------------------------------------------
# 8. 山东 临邑县师范附属小学 2025 (HTML; 产出值/数量值 names, 3 decimals, no 满意度)
# ---------------------------------------------------------------------------

LINYI_URL = ("http://www.linyixian.gov.cn/n30334494/n38447929/n38448474/n74342318/n74348867/"
             "n74350511/n74350513/c75276936/content.html")
LINYI = [
    [C("项目支出目标申报表", 5)],
    [C("  (2025年度)", 5)],
    ["项目名称", C("小学教育公用经费", 4)],
    ["项目主管部门", C("临邑县师范附属小学", 4)],
    [C("项目资金申请(万元)", r=3), C("          资金总额:", 2), C("438.768", 2)],
    [C("              财政拨款:", 2), C("438.768", 2)],
    [C("              其他:", 2), C(NB, 2)],
    ["项目总体情况", C("根据鲁财科教(2024)67号文件,小学教育公用经费每生每年780元,县级财政负担20%计,"
                      "主要用于学校教学与管理、校舍维修维护及日常办公等。", 4)],
    ["一级", "二级", "三级", "年度数值", "备注"],
    [C("产出值", r=4), "数量值", "小学就读人数", "<=6962人", NB],
    ["质量值", "教学条件改善、办学水平提高", "=100%", NB],
    ["时效值", "教育均衡化发展", "有效", NB],
    ["成本值", "义务教育小学生均公用经费", "780元/生/年", NB],
    [C("效益值", r=4), "经济效益值", "经费有效使用情况", "=100%", NB],
    ["社会效益值", "教学质量提高、办学条件改善", "=100%", NB],
    ["生态效益值", "安全情况", "有效", NB],
    ["可持续影响值", "学生受益情况", "=100%", NB],
]

# ---------------------------------------------------------------------------
# 9. 四川 广元市昭化区卫生健康局 2021 (.xlsx; funding sub-table, total row without amount)
# ---------------------------------------------------------------------------

ZHAOHUA_URL = "http://zhmail.cnzh.gov.cn/News/Detail/20220301121626208.html"
M2 = "0.00"
ZHAOHUA = [
    [C("项目支出绩效目标申报表", 5)],
    [C("(2021年度)", 5)],
    ["项目名称", C("特困家庭再扶助(独生子女死亡再扶助)", 4)],
    ["预算单位", C("区卫生健康局", 4)],
    [C("项目资金(万元)", r=9), C("年度资金总额", 3), "金额(万元)"],
    [C("   (一)财政拨款小计", 3), C(6.3, fmt=M2)],
    [C("       1、一般公共预算", 3), C(6.3, fmt=M2)],
    [C("       2、政府性基金", 3), C(0, fmt=M2)],
    [C("       3、国有资本经营预算", 3), C(0, fmt=M2)],
    [C("   (二)自有资金小计", 3), C(0, fmt=M2)],
    [C("       1、事业收入", 3), C(0, fmt=M2)],
    [C("       2、经营性收入", 3), C(0, fmt=M2)],
    [C("   (三)其他收入", 3), C(0, fmt=M2)],
    [C("总体\n目标", r=2), C("年度目标", 4)],
    [C("区域内符合计划生育政策、法规生育的独生子女伤残、死亡适龄家庭进行政策特别扶助,达到“老有所依,老有所养”的目标。"
       "增强服务意识,稳定特扶家庭情绪", 4)],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值(包含数字及文字描述)"],
    [C("绩效指标", r=9), C("项目完成\n指标", r=5), "数量指标", "对符合政策法规的独生子伤残、死亡家庭进行扶助", "63人"],
    ["质量指标", "按政策、法律、法规乡镇申报、初审确认对象资格,县级按要求复审", "100%"],
    [C("时效指标", r=2), "项目实施时间", "2021年1月-12月"],
    ["资金拨付", "12月底到位"],
    ["成本指标", "成本控制", "严格按照预算标准1000元/人给补助对象兑付补助"],
    [C("项目效益\n指标", r=2), "社会效益\n指标", "促进人口与经济、社会、资源、环境协调和可持续发展", "100%"],
    ["可持续影响\n指标", "实现社会稳定和谐发展", "长期"],
    [C("满意度指标", r=2), C("满意度指标", r=2), "受益群众满意度", "≥90%"],
    ["社会满意度", "100%"],
]
ZHAOHUA_WIDTHS = [12, 14, 14, 40, 22]

# ---------------------------------------------------------------------------
# 10. 四川 井研县马踏镇 2023, budget-system export (.xlsx and .xls; 元, code prefixes)
# ---------------------------------------------------------------------------

JINGYAN_URL = "https://m.qbidia.com/jyx/zjgk/202412/baa621fd1ec74c86bf45aa16dfd0603d.shtml"
YUAN = "#,##0.00"
JINGYAN_HEADER = ["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标",
                  "指标性质", "指标值", "度量单位", "权重", "指标方向性", ""]
JINGYAN_ITEMS = [  # 一级, 二级, 三级, 性质, 值, 单位, 权重, 方向性 (source order)
    ("效益指标", "社会效益指标", "维护社会稳定", "≥", 95, "%", 10, "正向指标"),
    ("产出指标", "时效指标", "维持时效", "≥", 1, "年", 20, "正向指标"),
    ("产出指标", "质量指标", "按时发放", "≥", 1, "人/年", 10, "正向指标"),
    ("效益指标", "经济效益指标", "促进村集体经济发展", "≥", 95, "%", 10, "正向指标"),
    ("产出指标", "数量指标", "村组干部230人", "≥", 230, "个", 10, "正向指标"),
    ("效益指标", "生态效益指标", "保护生态环境卫生", "≥", 95, "%", 10, "正向指标"),
    ("效益指标", "可持续影响指标", "项目维持时效", "≥", 95, "%", 10, "正向指标"),
    ("满意度指标", "服务对象满意度指标", "人民群众满意度", "≥", 95, "%", 10, "正向指标"),
]


def jingyan_rows():
    n = len(JINGYAN_ITEMS)
    rows = [
        [C("部门预算项目绩效目标申报表(2023年度)", 12), ""],
        [C("金额单位:元", 12), ""],
        list(JINGYAN_HEADER),
        [C("820-马踏镇部门", 2), C(8827620.53, fmt=YUAN)] + [""] * 10,
    ]
    for i, (l1, l2, l3, sign, val, unit, w, d) in enumerate(JINGYAN_ITEMS):
        lead = []
        if i == 0:
            lead = [C("820001-井研县马踏镇人民政府", r=n), C("村组干部报酬", r=n),
                    C(3309840.00, r=n, fmt=YUAN), C("按时发放村组干部报酬", r=n)]
        rows.append(lead + [l1, l2, l3, sign, val, unit, w, d, ""])
    return rows


JINGYAN_WIDTHS = [26, 14, 14, 20, 12, 18, 18, 8, 8, 8, 6, 10, 4]

# ---------------------------------------------------------------------------
# 11. 内蒙古 乌海市供销合作社联合社 2021 (.xlsx; weights, Excel date serials; output block only)
# ---------------------------------------------------------------------------

WUHAI_URL = "http://gxs.wuhai.gov.cn/whsgxshzslhs/1096934/sjtj/1341823/index.html"
SERIAL = "#,##0"
WUHAI_ITEMS = [  # 一级, 二级, 三级, 指标性质, 指标方向, 目标值, 计量单位, 分值, 备注
    ("产出指标", "数量指标", "出差人数", "正向", "=", 8, "", 4, ""),
    ("产出指标", "数量指标", "出差人次", "正向", "=", 24, "人/次", 4, ""),
    ("产出指标", "质量指标", "工作任务完成率", "正向", "=", 100, "%", 4, ""),
    ("产出指标", "时效指标", "项目财政资金到位时间", "正向", "=", C(44561, fmt=SERIAL), C(44561, fmt=SERIAL), 10, ""),
    ("产出指标", "时效指标", "财政资金到位及时支付率", "正向", "=", 100, "%", 4, ""),
    ("产出指标", "时效指标", "工作计划按时完成时间", "正向", "=", C(44561, fmt=SERIAL), C(44561, fmt=SERIAL), 4, ""),
    ("产出指标", "成本指标", "出差单位成本", "反向", "=", 0, "万元/人", 4, ""),
    ("产出指标", "成本指标", "出差总成本", "反向", "=", 1, "万元", 4, ""),
    ("产出指标", "成本指标", "劳务人员总成本", "反向", "=", 2, "万元", 4, ""),
    ("产出指标", "成本指标", "办公费总成本", "反向", "=", 0, "万元", 4, ""),
    ("产出指标", "成本指标", "年度预算总成本", "反向", "=", 3, "万元", 4, ""),
]


def wuhai_rows():
    rows = [
        [C("再生资源回收市场管理经费项目绩效目标表", 10)],
        [C("(2021年)", 10)],
        ["项目名称", C("再生资源回收市场管理经费", 9)],
        ["项目类别", C("(31)部门预算项目", 9)],
        ["归口科室", C("(08)经济贸易科", 9)],
        ["主管部门", C("(433)乌海市供销合作社联合社(部门)", 9)],
        ["实施单位", C("(433001)乌海市供销合作社联合社", 9)],
        [C("投入目标\n(万元)", r=4), C("资金来源", 4), C("年初安排金额(万元)", 5)],
        [C("资金总额", 4), C(3, 5)],
        [C("其中: 财政拨款数", 4), C(3, 5)],
        [C("其他资金", 4), C(0, 5)],
        ["年度目标", C("围绕国家关于建设节约型社会和发展循环经济的要求,在充分规范整合和利用现有再生资源回收渠道的基础上,"
                       "合理布局,规范建设。达成以下目标: 目标1:聘用人员1人,出差8人 目标2:聘用人员在岗率100% "
                       "目标3:2021年12月31日前完成 目标4:年度预算总金额3万元 目标5:促进资源循环和高效利用,改善城乡生态环境。", 9)],
        [C("绩效指标(权重分值90分,其中产出指标权重分值50分,效益指标权重分值30分,满意度指标权重分值10分)",
           r=len(WUHAI_ITEMS) + 1),
         "一级指标", "二级指标", "三级指标", "指标性质", "指标方向", "目标值", "计量单位", "分值", "备注"],
    ]
    for item in WUHAI_ITEMS:
        rows.append(list(item))
    return rows


WUHAI_WIDTHS = [22, 10, 10, 22, 8, 8, 10, 10, 6, 6]


# ---------------------------------------------------------------------------
# expected.json
# ---------------------------------------------------------------------------

def ind(l1, l2, l3, annual, period=None):
    return [l1, l2, l3, period, annual]


def project(name, total, funding, goal_annual, items, **extra):
    p = {"name": name, "total": total, "funding": funding}
    p.update({k: v for k, v in extra.items() if k in ("period_total", "period_funding", "total_from_parts")})
    p["goal_annual"] = goal_annual
    if "goal_period" in extra:
        p["goal_period"] = extra["goal_period"]
    p["indicators"] = len(items)
    p["indicator_list"] = items
    for k in ("placeholder_rows", "truncated", "description"):
        if k in extra:
            p[k] = extra[k]
    return p


def compose(sign, value, unit):
    return f"{sign}{value}{unit}"


def expected():
    out = []

    out.append({
        "file": "anhui_2025_jinan_tennis.html", "source": JINAN_URL, "region": "安徽 六安市金安区", "year": 2025,
        "layout": "per-project form (first of several stacked blocks)",
        "units": [{"name": "六安市金安区体育局", "code": None,
                   "department": {"name": "六安市金安区体育局", "code": "042"},
                   "projects": [project(
                       "2025金安国际网球公开赛(国际系列赛事)", "1000.00",
                       {"财政拨款": "1000.00", "其他资金": "0.00"},
                       "打造金安国际网球公开赛等一系列的品牌赛事,提升六安城市的知名度和美誉度。",
                       [ind("产出指标", "数量指标", "开展运动种类", "1种"),
                        ind("产出指标", "数量指标", "打造品牌赛事种类", "1种"),
                        ind("产出指标", "质量指标", "经费支出合规率", "100%"),
                        ind("产出指标", "质量指标", "赛事完成率", "100%"),
                        ind("产出指标", "时效指标", "完成时间", "2025年年底前"),
                        ind("产出指标", "成本指标", "项目总成本", "≤1000万元"),
                        ind("效益指标", "经济效益指标", "提升六安城市知名度和美誉度,推动体育消费、“网球+”产业深度融合", "经济效益良好"),
                        ind("效益指标", "社会效益指标", "打造金安国际网球公开赛等系列品牌赛事,提升六安城市的知名度和美誉度。", "效果良好"),
                        ind("效益指标", "生态效益指标", "本项目不适用此指标", "无"),
                        ind("效益指标", "可持续影响指标", "打造金安国际网球公开赛等系列品牌赛事", "影响可持续"),
                        ind("满意度指标", "满意度指标", "群众满意度", "≥95%")])]}],
        "money_unit_in_source": "万元",
        "real_faults": [
            "生态效益指标 row is a not-applicable placeholder written as an indicator (三级 '本项目不适用此指标', value '无')",
            "项目期 is 3年 but the form carries only a 年度目标 and annual values (no 中期/实施期 targets)",
        ],
    })

    out.append({
        "file": "anhui_2021_jinzhai_wuye.html", "source": JINZHAI_URL, "region": "安徽 六安市金寨县", "year": 2021,
        "layout": "per-project form (申报表)",
        "units": [{"name": "安徽金寨经济开发区管理委员会", "code": None,
                   "department": {"name": "县财政局", "code": None},
                   "projects": [project(
                       "物业管理", "1125", {"财政拨款": "1125"},
                       "目标1:维护辖区各安置小区安全巡逻、环境卫生及物业日常管理",
                       [ind("产出指标", "数量指标", "指标1:安置小区物业费", "8个"),
                        ind("产出指标", "质量指标", "指标1:完成开发区工委、管委下达的安置小区物业费清算任务,指导小区物业开展文明创建等工作。",
                            "房屋设备、设施的管理到位,环境卫生整洁,车辆停放有序"),
                        ind("产出指标", "时效指标", "指标1:按时保质完成开发区安置小区物业管理工作", "2021年全年"),
                        ind("产出指标", "成本指标", "指标1:项目总成本(≤**万元)", "≤1125万元"),
                        ind("效益指标", "经济效益指标", "指标1:清算8个安置小区本年度物业费和历史的遗留物业费(≥**%)。", "≥95%"),
                        ind("效益指标", "社会效益指标", "指标1:改善安置小区群众生活质量,提升安置小区生活水平。助力全县文明城市创建。", "显著改善"),
                        ind("效益指标", "生态效益指标", "指标1:优化安置小区生活环境,提高居民生活质量,营造安全舒适的居住环境。", "显著提高"),
                        ind("效益指标", "可持续影响指标", "指标1:持续提供人力物力保障,解决居民群众生产生活问题", "持续保障"),
                        ind("满意度指标", "服务对象满意度指标", "指标1:小区居民满意度(≥**%)", "≥90%")])]}],
        "money_unit_in_source": "万元",
        "real_faults": [
            "template prompts left in the indicator names: '(≤**万元)', '(≥**%)'; every name starts with '指标1:'",
            "质量指标 value is a sentence, not a measurable target",
        ],
    })

    qs_items = [
        ind("产出指标", "数量指标", "重点建设工程安排数量", "2"),
        ind("产出指标", "质量指标", "重点建设工程验收合格率", "100%"),
        ind("产出指标", "成本指标", "建设项目成本", "参照政府采购成本控制"),
        ind("产出指标", "时效指标", "重点建设工程按期完成率", "100%"),
        ind("效益指标", "可持续影响指标", "基础教育巩固提高情况", "巩固提高"),
        ind("效益指标", "社会效益指标", "基础教育学校办学条件", "持续改善"),
        ind("满意度指标", "服务对象满意度指标", "学生、家长、社会满意度", "≥90%"),
    ]
    out.append({
        "file": "hubei_2020_qingshan_jichusheshi.html", "source": QS_JS_URL, "region": "湖北 武汉市青山区", "year": 2020,
        "layout": "per-project form with 中期|年度 goals and long-term|annual indicators side by side",
        "units": [{"name": "武汉市青山区教育局", "code": None,
                   "department": {"name": "武汉市青山区教育局", "code": "015001"},
                   "projects": [project(
                       "教育系统基础设施建设和设备购置", "10000", {"当年财政拨款": "10000"},
                       "按工作计划完成教育局重点项目建设经费预算安排", qs_items,
                       period_total="10000", period_funding={"财政拨款": "10000"},
                       goal_period="优化教育布局,推进教育领域综合改革全面提升育人质量实现基础教育持续发展",
                       )]}],
        "money_unit_in_source": "万元",
        "real_faults": [
            "the long-term (长期) half of every indicator row has its level-2 name but no level-3 and no value: no 中期 targets at all",
            "'重点建设工程安排数量' target '2' has no unit",
            "成本指标 target '参照政府采购成本控制' is not measurable",
        ],
        "notes": ["amounts are text with the unit inside the cell ('10000万元'); the money unit is in no header",
                  "title line reads '2020年度)' (opening parenthesis missing in the source)"],
    })

    out.append({
        "file": "hubei_2020_qingshan_bxgz.html", "source": QS_BX_URL, "region": "湖北 武汉市青山区", "year": 2020,
        "layout": "per-project form, older scheme (满意度 as a level-2 under 效益指标)",
        "units": [{"name": "化工区学校", "code": None,
                   "department": {"name": "青山区教育局", "code": None},
                   "projects": [project(
                       "农村义务教育薄弱学校改造补助资金", "16", {"上级资金": "16"},
                       "全面改善农村义务教育薄弱学校办学条件,扩大基础教育资源,进一步提高义务教育均衡发展水平。",
                       [ind("产出指标", "数量指标", "农村义务教育学校改造覆盖率", "100%"),
                        ind("产出指标", "质量指标", "校舍维修改造质量合格率", "100%"),
                        ind("产出指标", "质量指标", "购置设施设备质量合格率", "100%"),
                        ind("产出指标", "时效指标", "预算资金当年下达率", "100%"),
                        ind("产出指标", "时效指标", "项目按计划完成率", "100%"),
                        ind("产出指标", "成本指标", "建设项目成本控制率", "100%"),
                        ind("效益指标", "可持续影响指标", "义务教育优质均衡发展情况", "稳步提高"),
                        ind("效益指标", "社会公众或服务对象满意度指标", "学生家长满意度", "≥90%"),
                        ind("效益指标", "社会公众或服务对象满意度指标", "学校满意度", "≥90%")])]}],
        "money_unit_in_source": "万元",
        "real_faults": [],
        "notes": ["label and amount share one cell: '年度资金总额:16', '其中 :上级资金16' (no separator before the number)",
                  "the only funding part is 上级资金 (no 财政拨款 line)"],
    })

    out.append({
        "file": "hunan_2022_yueyang_gaobiaozhun.html", "source": YUEYANG_URL, "region": "湖南 岳阳市岳阳县", "year": 2022,
        "layout": "per-project form (绩效目标申报表 基础设施建设类)",
        "units": [{"name": "农田建设服务中心", "code": None,
                   "department": {"name": "岳阳县农业农村局", "code": None},
                   "projects": [project(
                       "岳阳县2022年高标准农田建设项目", "854", {"财政拨款": "854"}, "完成项目主体工程70%",
                       [ind("产出指标", "数量指标", "脱贫村村内道路硬化里程", "≥100公里"),
                        ind("产出指标", "数量指标", "脱贫户供水设施数量", "≥20座"),
                        ind("产出指标", "质量指标", "项目(工程)验收合格率", "100%"),
                        ind("产出指标", "时效指标", "项目(工程)完成及时率", "≥100%"),
                        ind("产出指标", "成本指标", "财政资金补助", "1600元/亩"),
                        ind("效益指标", "经济效益指标", "年增粮食", "3500公斤"),
                        ind("效益指标", "社会效益指标", "受益脱贫(监测)人口数", "≥500人"),
                        ind("效益指标", "社会效益指标", "解决脱贫(监测)饮水安全问题人数", "≥1000人"),
                        ind("效益指标", "生态效益指标", "新增和改善灌溉达标面积", "≥500亩"),
                        ind("效益指标", "生态效益指标", "新增和改善排水达标面积", "≥200亩"),
                        ind("效益指标", "可持续影响指标", "工程设计使用年限", "≥20年"),
                        ind("满意度指标", "服务对象满意度指标", "受益脱贫(监测)户满意度", "≥95%")])]}],
        "money_unit_in_source": "万元",
        "real_faults": [
            "the 其中:财政拨款 cell repeats the amount: '854万854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)'",
            "amounts are text with a breakdown inside the cell (400 + 295 + 159 = 854, consistent)",
            "level-2 names split over two lines and written without the final 指标 on the first line ('经济效益\\n指标')",
        ],
        "notes": ["level-2 names in expected.json have the in-cell line break removed ('经济效益指标')"],
    })

    xt23_items = [
        ind("产出指标", "数量指标", "雾炮车降尘抑尘服务配备车辆数", "10辆"),
        ind("产出指标", "数量指标", "雾炮车风炮射程", "≥80M"),
        ind("产出指标", "质量指标", "服务周期内空气质量", "优良"),
        ind("产出指标", "时效指标", "服务周期", "2023.07-2024.01"),
        ind("产出指标", "成本指标", "控制在预算成本内", "250万"),
        ind("效益指标", "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "≥85%"),
        ind("效益指标", "社会公众或服务对象满意度指标", "市民满意度", "≥90%"),
    ]
    goal23 = "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良"
    out.append({
        "file": "hunan_2023_xiangtan_wupaoche.xlsx", "source": XT23_URL, "region": "湖南 湘潭市", "year": 2023,
        "layout": "per-project form (项目支出绩效目标申报表, 实施期|本年度 goals), rebuilt as .xlsx",
        "units": [{"name": "湘潭市环境卫生管理处", "code": None, "department": None,
                   "projects": [project(
                       "雾炮车降尘抑尘服务", "250", {"年度本级预算金额": "250", "该项目支出上级资金": "0"},
                       goal23, xt23_items, goal_period=goal23, placeholder_rows=3)]}],
        "money_unit_in_source": "万元",
        "real_faults": [
            "a satisfaction measure ('市民对空气质量改善的满意程度 ≥85%') is filed under 社会效益指标",
            "the budget amount is text with a unit ('250万') although the sheet says 单位:万元",
        ],
        "notes": ["three level-2 rows (经济效益指标, 生态效益指标, 可持续影响指标) are empty placeholders, not indicators",
                  "the unit is named under 预算部门; there is no 主管部门/实施单位 pair",
                  "填表人 and 联系电话 values left out (personal data)"],
    })

    out.append({
        "file": "hunan_2024_xiangtan_wupaoche.html", "source": XT24_URL, "region": "湖南 湘潭市", "year": 2024,
        "layout": "per-project form (项目绩效目标表, 长期|年度 goals, funding lines in one cell)",
        "units": [{"name": "湘潭市环境卫生管理处", "code": None,
                   "department": {"name": "湘潭市城市管理和综合执法局", "code": "308001"},
                   "projects": [project(
                       "雾炮车抑尘降尘服务", "250", {"预算资金": "250", "自有资金": "0", "其他": "0"},
                       "2024通过采购雾炮车抑尘降尘服务,持续改善我市空气质量",
                       [ind("产出指标", "数量指标", "雾炮车抑尘降尘服务配备车辆数", "10"),
                        ind("产出指标", "数量指标", "雾炮车风炮射程", "80M"),
                        ind("产出指标", "质量指标", "服务周期内空气质量", "优良"),
                        ind("产出指标", "时效指标", "服务周期", "180"),
                        ind("产出指标", "成本指标", "控制在预算成本内", "控制在预算内"),
                        ind("效益指标", "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "85%"),
                        ind("效益指标", "服务对象满意度指标", "满意度", "90%")],
                       goal_period="持续改善我市空气质量", placeholder_rows=3)]}],
        "money_unit_in_source": "万元",
        "real_faults": [
            "项目起止时间 '20246-202516' is garbled (the schedule below says 20246 to 20251)",
            "targets without unit or comparison sign: '10', '180', '80M', '85%', '90%'",
            "a satisfaction measure is filed under 社会效益指标",
        ],
        "notes": ["the 主管部门 code follows the name ('湘潭市城市管理和综合执法局 308001')",
                  "the four funding lines sit in one cell as 'label:value' lines",
                  "the stored page text gives no level-1 label for the last row (服务对象满意度指标); the fixture puts it "
                  "under 效益指标 (rowspan), as the 2023 form of the same unit does",
                  "项目负责人 and 联系电话 values left out (personal data); the table ends at the last indicator row "
                  "(the stored text is cut in the 其他需说明的问题 row)"],
    })

    out.append({
        "file": "shandong_2025_linyi_gongyong.html", "source": LINYI_URL, "region": "山东 德州市临邑县", "year": 2025,
        "layout": "per-project form (项目支出目标申报表), level names ending in 值",
        "units": [{"name": "临邑县师范附属小学", "code": None, "department": None,
                   "projects": [project(
                       "小学教育公用经费", "438.768", {"财政拨款": "438.768"}, None,
                       [ind("产出值", "数量值", "小学就读人数", "<=6962人"),
                        ind("产出值", "质量值", "教学条件改善、办学水平提高", "=100%"),
                        ind("产出值", "时效值", "教育均衡化发展", "有效"),
                        ind("产出值", "成本值", "义务教育小学生均公用经费", "780元/生/年"),
                        ind("效益值", "经济效益值", "经费有效使用情况", "=100%"),
                        ind("效益值", "社会效益值", "教学质量提高、办学条件改善", "=100%"),
                        ind("效益值", "生态效益值", "安全情况", "有效"),
                        ind("效益值", "可持续影响值", "学生受益情况", "=100%")],
                       description="根据鲁财科教(2024)67号文件,小学教育公用经费每生每年780元,县级财政负担20%计,"
                                   "主要用于学校教学与管理、校舍维修维护及日常办公等。")]}],
        "money_unit_in_source": "万元",
        "real_faults": [
            "amounts have three decimals (438.768)",
            "no satisfaction (满意度) indicator",
            "no goal field: the form has 项目总体情况 (a description) instead of 年度目标",
            "level names use 值 instead of 指标 (产出值/数量值/…)",
            "a reverse comparison on a quantity target ('<=6962人' for 小学就读人数)",
            "the 时效 indicator ('教育均衡化发展' → '有效') is not about timing",
        ],
        "notes": ["only 项目主管部门 is given (no 实施单位); the unit is that school"],
    })

    out.append({
        "file": "sichuan_2021_zhaohua_tekun.xlsx", "source": ZHAOHUA_URL, "region": "四川 广元市昭化区", "year": 2021,
        "layout": "per-project form (项目支出绩效目标申报表) with a funding sub-table, rebuilt as .xlsx",
        "units": [{"name": "区卫生健康局", "code": None, "department": None,
                   "projects": [project(
                       "特困家庭再扶助(独生子女死亡再扶助)", None,
                       {"财政拨款小计": "6.30", "一般公共预算": "6.30", "政府性基金": "0.00", "国有资本经营预算": "0.00",
                        "自有资金小计": "0.00", "事业收入": "0.00", "经营性收入": "0.00", "其他收入": "0.00"},
                       "区域内符合计划生育政策、法规生育的独生子女伤残、死亡适龄家庭进行政策特别扶助,达到“老有所依,老有所养”的目标。"
                       "增强服务意识,稳定特扶家庭情绪",
                       [ind("项目完成指标", "数量指标", "对符合政策法规的独生子伤残、死亡家庭进行扶助", "63人"),
                        ind("项目完成指标", "质量指标", "按政策、法律、法规乡镇申报、初审确认对象资格,县级按要求复审", "100%"),
                        ind("项目完成指标", "时效指标", "项目实施时间", "2021年1月-12月"),
                        ind("项目完成指标", "时效指标", "资金拨付", "12月底到位"),
                        ind("项目完成指标", "成本指标", "成本控制", "严格按照预算标准1000元/人给补助对象兑付补助"),
                        ind("项目效益指标", "社会效益指标", "促进人口与经济、社会、资源、环境协调和可持续发展", "100%"),
                        ind("项目效益指标", "可持续影响指标", "实现社会稳定和谐发展", "长期"),
                        ind("满意度指标", "满意度指标", "受益群众满意度", "≥90%"),
                        ind("满意度指标", "满意度指标", "社会满意度", "100%")],
                       total_from_parts="6.30")]}],
        "money_unit_in_source": "万元",
        "real_faults": [
            "the 年度资金总额 row holds the column header '金额(万元)' instead of an amount: the total is only derivable "
            "from the parts (财政拨款小计 6.30 + 自有资金小计 0.00 + 其他收入 0.00 = 6.30)",
            "level-1 names are not the standard ones: 项目完成指标 (= 产出), 项目效益指标 (= 效益)",
            "the '绩效指标' label appears twice (header row and a merged column over the indicator rows)",
        ],
        "notes": ["nested funding lines: (一)财政拨款小计 = 1、一般公共预算 + 2、政府性基金 + 3、国有资本经营预算 "
                  "(6.30 = 6.30 + 0.00 + 0.00); (二)自有资金小计 = 事业收入 + 经营性收入 (0.00)",
                  "consistent: 63人 × 1000元/人 = 6.30万元"],
    })

    jy_items = [ind(l1, l2, l3, compose(s, v, u)) for (l1, l2, l3, s, v, u, _w, _d) in JINGYAN_ITEMS]
    jy_unit = {"name": "井研县马踏镇人民政府", "code": "820001",
               "department": {"name": "马踏镇部门", "code": "820", "total_in_source": "882.762053"},
               "projects": [project("村组干部报酬", "330.984", {}, "按时发放村组干部报酬", jy_items)]}
    jy_unit["projects"][0]["weights"] = [w for (*_x, w, _d) in JINGYAN_ITEMS]
    jy_unit["projects"][0]["directions"] = [d for (*_x, d) in JINGYAN_ITEMS]
    for ext in ("xlsx", "xls"):
        out.append({
            "file": f"sichuan_2023_jingyan_matazhen.{ext}", "source": JINGYAN_URL, "region": "四川 乐山市井研县",
            "year": 2023, "layout": "budget-system export (部门预算项目绩效目标申报表), one row per indicator",
            "units": [jy_unit],
            "money_unit_in_source": "元",
            "real_faults": [
                "indicators are not grouped by level 1 (效益, 产出, 产出, 效益, 产出, 效益, 效益, 满意度)",
                "quantity '村组干部230人' measured in '个'; 质量指标 '按时发放 ≥1 人/年' has a meaningless unit",
                "no cost (成本) indicator",
            ],
            "fixture_artifacts": [
                "partial: only the first project of the published table is transcribed (the stored page text is cut "
                "inside the second project, 基层组织活动经费 660,000.00). The department row keeps its published total "
                "8,827,620.53 元 (882.762053 万元), which covers projects not in the fixture, so department ≠ sum of "
                "projects here is an artifact of the excerpt, not a fault of the source",
            ],
            "notes": ["annual_value joins 指标性质 + 指标值 + 度量单位 ('≥95%')",
                      "weights of the 8 indicators sum to 90 (the other 10 points usually go to budget execution)"],
        })

    wh_items = []
    for (l1, l2, l3, _nature, sign, value, unit, _w, _r) in WUHAI_ITEMS:
        v = value.v if isinstance(value, C) else value
        u = "" if isinstance(unit, C) else unit
        wh_items.append(ind(l1, l2, l3, compose(sign, v, u)))
    out.append({
        "file": "neimenggu_2021_wuhai_zaisheng.xlsx", "source": WUHAI_URL, "region": "内蒙古 乌海市", "year": 2021,
        "layout": "per-project form with 指标性质/指标方向/目标值/计量单位/分值 columns, rebuilt as .xlsx",
        "units": [{"name": "乌海市供销合作社联合社", "code": "433001",
                   "department": {"name": "乌海市供销合作社联合社(部门)", "code": "433"},
                   "projects": [dict(project(
                       "再生资源回收市场管理经费", "3", {"财政拨款数": "3", "其他资金": "0"},
                       "围绕国家关于建设节约型社会和发展循环经济的要求,在充分规范整合和利用现有再生资源回收渠道的基础上,"
                       "合理布局,规范建设。达成以下目标: 目标1:聘用人员1人,出差8人 目标2:聘用人员在岗率100% "
                       "目标3:2021年12月31日前完成 目标4:年度预算总金额3万元 目标5:促进资源循环和高效利用,改善城乡生态环境。",
                       wh_items, truncated=True),
                       weights=[w for (*_x, w, _r) in WUHAI_ITEMS])]}],
        "money_unit_in_source": "万元",
        "real_faults": [
            "Excel date serial 44561 (= 2021-12-31) shown as a number ('44,561') in 目标值 and again in 计量单位 "
            "for the two 时效 indicators",
            "header says 指标性质 | 指标方向 but the rows hold the direction (正向/反向) under 指标性质 and the sign (=) "
            "under 指标方向",
            "cost targets rounded to 0 万元 ('出差单位成本 = 0 万元/人', '办公费总成本 = 0 万元')",
            "'出差人数 = 8' has no unit",
        ],
        "fixture_artifacts": [
            "partial: the stored page text ends after the 产出 block (11 indicators, 分值 4×10 + 10 = 50, matching "
            "'产出指标权重分值50分'); the 效益 (30) and 满意度 (10) indicators are not in the fixture, so a "
            "missing-效益/满意度 finding is an artifact of the excerpt",
        ],
        "notes": ["codes in parentheses before names: '(433)…(部门)', '(433001)…', '(31)部门预算项目', '(08)经济贸易科'",
                  "consistent: 出差总成本 1 + 劳务人员总成本 2 + 办公费总成本 0 = 年度预算总成本 3 = 资金总额 3",
                  "annual_value joins 指标方向 (the sign) + 目标值 + 计量单位, leaving out the bogus 44561 unit"],
    })
    return out


def main():
    check_sums()
    os.makedirs(OUT, exist_ok=True)
    write_html("anhui_2025_jinan_tennis.html", "项目支出绩效目标表(2025年度) 六安市金安区体育局", [JINAN])
    write_html("anhui_2021_jinzhai_wuye.html", "金寨经济开发区2021年度项目支出绩效目标申报表", [JINZHAI])
    write_html("hubei_2020_qingshan_jichusheshi.html", "项目支出绩效目标表3", [QS_JS])
    write_html("hubei_2020_qingshan_bxgz.html", "绩效目标表", [QS_BX])
    write_html("hunan_2022_yueyang_gaobiaozhun.html", "乡村振兴衔接资金绩效目标申报表(高标准农田建设)", [YUEYANG])
    write_html("hunan_2024_xiangtan_wupaoche.html", "2024年项目绩效目标表(雾炮车降尘抑尘服务)", [XT24])
    write_html("shandong_2025_linyi_gongyong.html", "临邑县师范附属小学项目支出目标申报表 (2025年度)", [LINYI])
    write_xlsx("hunan_2023_xiangtan_wupaoche.xlsx", XT23, "Sheet1", XT23_WIDTHS)
    write_xlsx("sichuan_2021_zhaohua_tekun.xlsx", ZHAOHUA, "Sheet1", ZHAOHUA_WIDTHS)
    write_xlsx("sichuan_2023_jingyan_matazhen.xlsx", jingyan_rows(), "部门预算项目绩效目标申报表", JINGYAN_WIDTHS)
    write_xls("sichuan_2023_jingyan_matazhen.xls", jingyan_rows(), "部门预算项目绩效目标申报表", JINGYAN_WIDTHS)
    write_xlsx("neimenggu_2021_wuhai_zaisheng.xlsx", wuhai_rows(), "Sheet1", WUHAI_WIDTHS)
    data = expected()
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for e in data:
        n = sum(p["indicators"] for u in e["units"] for p in u["projects"])
        print(f"{e['file']}: {len(e['units'][0]['projects'])} project(s), {n} indicators")


if __name__ == "__main__":
    main()
