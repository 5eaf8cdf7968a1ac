#!/usr/bin/env python3
"""Fills the template written by `jixiao template` the way a unit would, with openpyxl: the unit's
name, two projects in the long layout with categories chosen from the dropdown lists, then lets
LibreOffice (headless, recalculating on load) compute the 总计 formulas, as Excel would on saving.

    python3 tests/readback/fill_template.py TEMPLATE.xlsx FILLED.xlsx [--no-recalc]

With --no-recalc the workbook is saved by openpyxl as it is, as a script would leave it: its
总计 formulas have no cached value, and jixiao has to compute them.

Also checks the template's structure: the dropdown lists (一级指标, and 二级指标 through INDIRECT),
the hidden taxonomy sheet, the protected input sheet.
"""

import os
import shutil
import sys
import tempfile

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_workbook import recalculate  # noqa: E402

UNIT = "示例单位未"
# (name, 财政拨款, 财政专户拨款, 其他资金, goal, [(一级, 二级, 三级, 实施周期, 年度)])
PROJECTS = [
    ("社区健康讲座项目", 96.40, 20.00, 12.20, "面向辖区居民开展健康知识讲座，提升居民健康素养。", [
        ("产出指标", "数量指标", "讲座场次", "≥24场", "≥24场"),
        ("产出指标", "质量指标", "讲座内容审核通过率", "100%", "100%"),
        ("效益指标", "社会效益", "居民健康知识知晓率", "≥85%", "≥85%"),
        ("满意度指标", "服务对象满意度", "参与居民满意度", "≥90%", "≥90%"),
        ("成本指标", "经济成本指标", "每场讲座平均成本", "≤5.4万元", "≤5.4万元"),
    ]),
    ("河道保洁经费", 1310.25, 46.50, None, "保持辖区河道水面清洁，改善水环境。", [
        ("产出指标", "数量指标", "保洁河道长度", "≥35公里", "≥35公里"),
        ("效益指标", "生态效益", "河道水面漂浮物清理率", "≥98%", "≥98%"),
        ("满意度指标", "服务对象满意度", "沿河居民满意度", "≥90%", "≥90%"),
        ("成本指标", "经济成本指标", "每公里年保洁成本", "≤38万元", "≤38万元"),
    ]),
]


def check_structure(wb):
    assert wb.sheetnames == ["填报表", "填报说明", "指标体系"], wb.sheetnames
    assert wb["指标体系"].sheet_state == "hidden"
    ws = wb["填报表"]
    assert ws.protection.sheet, "the input sheet is protected"
    formulas = sorted(str(dv.formula1) for dv in ws.data_validations.dataValidation)
    assert any(f.endswith("一级指标") for f in formulas), formulas
    assert any("INDIRECT" in f for f in formulas), formulas
    names = set(wb.defined_names.keys()) if hasattr(wb.defined_names, "keys") else {
        d.name for d in wb.defined_names.definedName}
    for name in ("一级指标", "产出指标", "效益指标", "满意度指标", "成本指标"):
        assert name in names, (name, names)
    labels = [c.value for c in ws[4]]
    return labels


def main():
    template, filled = sys.argv[1], sys.argv[2]
    recalc = "--no-recalc" not in sys.argv[3:]
    wb = openpyxl.load_workbook(template)
    labels = check_structure(wb)
    col = {label: i + 1 for i, label in enumerate(labels) if label}
    ws = wb["填报表"]
    ws["B2"] = UNIT
    row = 5
    for name, fiscal, special, other, goal, indicators in PROJECTS:
        ws.cell(row, 1, name)
        ws.cell(row, col["财政拨款"], fiscal)
        ws.cell(row, col["财政专户拨款"], special)
        ws.cell(row, col["其他资金"], other)
        ws.cell(row, 6, goal)
        for l1, l2, l3, period, annual in indicators:
            ws.cell(row, col["一级指标"], l1)
            ws.cell(row, col["二级指标"], l2)
            ws.cell(row, col["三级指标"], l3)
            ws.cell(row, col["实施周期指标值"], period)
            ws.cell(row, col["年度指标值"], annual)
            row += 1
    if not recalc:
        wb.save(filled)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            typed = os.path.join(tmp, "filled.xlsx")
            wb.save(typed)
            shutil.copy(recalculate(typed, tmp), filled)
    print(f"filled {filled}: {UNIT}, {len(PROJECTS)} projects, "
          f"{sum(len(p[5]) for p in PROJECTS)} indicators")
    return 0


if __name__ == "__main__":
    sys.exit(main())
