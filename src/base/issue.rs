//! Findings. A fault in a submission is an [`Issue`] in a list and the run goes on; each issue
//! carries its rule code, severity, place (file, sheet, row, cell) and a Chinese message that
//! says what is wrong and what was expected.

use serde::Serialize;

use crate::base::text::{a1_name, A1_NAME_BYTES};

/// How serious an issue is. Errors make the run exit with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// The Chinese word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

macro_rules! rules {
    ($( $variant:ident => $code:literal, $severity:ident, $title:literal, $example:literal; )*) => {
        /// The rule catalogue. Codes are stable: they appear in reports and the README.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $( $variant, )* }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];

            /// The rule with this code.
            pub fn from_code(code: &str) -> Option<Rule> {
                Rule::ALL.iter().copied().find(|r| r.code() == code)
            }

            /// The stable code, as in reports (`sum-mismatch`).
            pub fn code(self) -> &'static str {
                match self { $( Rule::$variant => $code, )* }
            }

            /// The default severity.
            pub fn severity(self) -> Severity {
                match self { $( Rule::$variant => Severity::$severity, )* }
            }

            /// A short Chinese description of the rule.
            pub fn title(self) -> &'static str {
                match self { $( Rule::$variant => $title, )* }
            }

            /// An example message, for the README's rule table.
            pub fn example(self) -> &'static str {
                match self { $( Rule::$variant => $example, )* }
            }
        }
    };
}

rules! {
    UnreadableFile => "unreadable-file", Error, "文件无法读取（空文件、损坏、不是表格）",
        "文件无法读取：不是有效的 xlsx 文件（zip 结构损坏）";
    EncryptedFile => "encrypted-file", Error, "文件有密码保护",
        "文件有密码保护，无法读取，请去除密码后重新报送";
    FileTooLarge => "file-too-large", Error, "文件超过资源上限（字节数、解压后大小、单元格数或文字量），未读取",
        "文件 300.0 MB，超过单个文件的上限 256 MB，未读取";
    NoFormFound => "no-form-found", Error, "没有找到绩效目标表的表头",
        "1 个工作表中都没有找到绩效目标表（试过：…）。最接近表头的是第 2 行：有“项目名称（资金使用单位）”，缺少“总计”“绩效目标”“绩效指标”；也没有单项目表";
    DuplicateFile => "duplicate-file", Warning, "与另一输入文件内容完全相同（只计一次）",
        "与 a/甲.xlsx 内容完全相同，只计一次";
    DuplicateUnit => "duplicate-unit", Error, "同一单位出现两次",
        "单位“示例单位甲”已在 甲.xlsx 第 6 行出现；两份都计入汇总，请删除其中一份";
    FormulaNotEvaluated => "formula-not-evaluated", Warning, "公式没有保存计算结果，也无法计算",
        "公式“=VLOOKUP(A5,价格表!A:B,2)”没有保存计算结果，jixiao 也无法计算（公式引用了其他工作表），此单元格不计入任何合计";
    MissingColumn => "missing-column", Error, "缺少必需的列",
        "缺少“绩效目标”列（查找了：绩效目标、年度绩效目标、年度目标…）";
    UnknownMoneyUnit => "unknown-money-unit", Warning, "未注明金额单位，按万元处理",
        "未注明金额单位，按“万元”处理";
    BadAmount => "bad-amount", Error, "金额不是数字",
        "财政拨款“待定”不是数字";
    NegativeAmount => "negative-amount", Warning, "金额为负数",
        "其他资金 -5.00 为负数";
    AmountPrecision => "amount-precision", Warning, "小数位数超过表格允许的位数",
        "总计 12.345、财政拨款 12.345 超过 2 位小数（单位：万元）";
    SumMismatch => "sum-mismatch", Error, "总计不等于各资金来源之和",
        "总计 370.50 ≠ 财政拨款 300.00 + 财政专户拨款 0.00 + 其他资金 60.50 = 360.50（差 10.00）";
    SubtotalMismatch => "subtotal-mismatch", Error, "单位行不等于其项目之和",
        "单位行总计 1,200.00 ≠ 其 5 个项目之和 1,190.00（差 10.00）";
    FundingMismatch => "funding-mismatch", Error, "资金来源各项之和不等于资金总额",
        "年度资金总额 16.00 ≠ 财政拨款 10.00 + 其他资金 0.00 = 10.00（差 6.00）";
    TotalMismatch => "total-mismatch", Error, "合计行不等于各单位之和",
        "合计行总计 4,671.23 ≠ 1 个单位之和 4,670.23（差 1.00）";
    TextTooLong => "text-too-long", Warning, "单元格文字超过 Excel 上限 32,767 个字符",
        "绩效目标有 40,000 个字符，超过 Excel 单元格的上限 32,767 个，汇总表中只保留前 32,767 个";
    MissingProjectName => "missing-project-name", Error, "有金额或指标但没有项目名称",
        "此行有金额、绩效目标或指标，但项目名称为空";
    MissingGoal => "missing-goal", Warning, "项目没有绩效目标",
        "项目“河道保洁经费”没有填写绩效目标";
    MissingAnnualGoal => "missing-annual-goal", Warning, "有中期目标但年度目标为空",
        "项目“物业管理”填写了中期目标，但年度目标为空";
    DuplicateProject => "duplicate-project", Warning, "同一单位内项目名称重复",
        "项目“河道保洁经费”在本单位第 7 行已出现";
    MissingIndicators => "missing-indicators", Error, "项目没有绩效指标",
        "项目“河道保洁经费”没有绩效指标";
    BadIndicator => "bad-indicator", Error, "绩效指标文字无法解析",
        "第 2 条指标缺少“年度指标值”：“2、1-产出指标；12-质量指标；合格率；实施周期指标值:≥95%”";
    UnknownIndicatorCategory => "unknown-indicator-category", Error, "指标类别不在指标体系中",
        "第 3 条指标的一级指标“5-其他指标”不在指标体系中";
    CategoryMismatch => "category-mismatch", Error, "二级指标不属于其一级指标，或编码与名称不符",
        "第 4 条指标的二级指标“22-社会效益”不属于一级指标“1-产出指标”（应属“2-效益指标”）";
    IndicatorNumbering => "indicator-numbering", Warning, "指标序号不是从 1 起连续编号",
        "指标序号为 1、2、4、5，应为 1 到 4 连续编号";
    MissingOutputIndicator => "missing-output-indicator", Error, "项目没有产出指标",
        "项目“河道保洁经费”没有产出指标（1-产出指标）";
    MissingBenefitIndicator => "missing-benefit-indicator", Error, "项目没有效益指标",
        "项目“河道保洁经费”没有效益指标（2-效益指标）";
    MissingSatisfactionIndicator => "missing-satisfaction-indicator", Warning, "项目没有满意度指标",
        "项目“机构运行辅助经费”没有满意度指标（3-满意度指标）";
    MissingCostIndicator => "missing-cost-indicator", Info, "项目没有成本指标（2021 年起建议设置）",
        "项目“机构运行辅助经费”没有成本指标（4-成本指标 或 14-成本指标）";
    MissingTargetValue => "missing-target-value", Error, "指标缺少实施周期指标值或年度指标值",
        "第 3 条指标“维护面积”缺少年度指标值";
    TrivialTarget => "trivial-target", Warning, "指标值总能达到（如 ≥0）",
        "第 1 条指标“新增信息资源目录数（个）”的年度指标值“≥0”总能达到";
    PercentOver100 => "percent-over-100", Warning, "百分比指标值超过 100%",
        "第 2 条指标“验收合格率”的实施周期指标值“≥105%”超过 100%，无法达到";
    SatisfactionBelow => "satisfaction-below", Warning, "满意度指标值低于表单要求",
        "第 4 条指标“服务对象满意度”的年度指标值“≥60%”低于 80%";
    AnnualExceedsPeriod => "annual-exceeds-period", Warning, "年度指标值大于实施周期指标值",
        "第 1 条指标“培训场次”的年度指标值“≥120个”大于实施周期指标值“≥100个”";
    WeightSum => "weight-sum", Warning, "指标分值（权重）之和不是 100",
        "各指标分值之和为 90，应为 100";
    CostIsBudget => "cost-is-budget", Warning, "成本指标的指标值就是项目总预算",
        "第 6 条指标“项目总成本”的指标值“≤1000万元”就是项目的年度资金总额，不能衡量成本控制";
    DuplicateIndicator => "duplicate-indicator", Warning, "同一项目内三级指标重复",
        "第 5 条指标“服务对象满意度”与第 4 条重复";
    MissingSubmission => "missing-submission", Error, "名册中的单位没有报送",
        "名册中的单位“示例单位戌”没有报送";
    UnknownUnit => "unknown-unit", Warning, "报送单位不在名册中",
        "单位“示例单位巳”不在名册 roster.xlsx 中";
    BudgetMismatch => "budget-mismatch", Error, "名册预算总额与报送总计不符",
        "名册预算总额 1,200.00 ≠ 报送总计 1,239.85（差 -39.85）";
}

/// Where an issue is: file, and as far as known sheet, row (1-based) and column (0-based).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    pub file: String,
    pub sheet: Option<String>,
    pub row: Option<u32>,
    pub col: Option<u32>,
}

impl Place {
    /// A whole file.
    pub fn file(file: &str) -> Place {
        Place {
            file: file.to_string(),
            ..Place::default()
        }
    }

    /// The A1 name of the cell, when both row and column are known.
    pub fn cell(&self) -> Option<String> {
        self.cell_in(&mut [0; A1_NAME_BYTES]).map(str::to_string)
    }

    /// [`Place::cell`] written into `buf`, without allocating (the JSON report names the cell of
    /// every issue).
    pub fn cell_in<'b>(&self, buf: &'b mut [u8; A1_NAME_BYTES]) -> Option<&'b str> {
        match (self.row, self.col) {
            (Some(r), Some(c)) => Some(a1_name(c, r, buf)),
            _ => None,
        }
    }

    /// "sheet!B7", "第 7 行", or "" as far as known, for text reports.
    pub fn describe(&self) -> String {
        let at = match (self.cell(), self.row) {
            (Some(cell), _) => cell,
            (None, Some(r)) => format!("第 {r} 行"),
            (None, None) => String::new(),
        };
        match (&self.sheet, at.is_empty()) {
            (Some(s), false) => format!("{s}!{at}"),
            (Some(s), true) => s.clone(),
            (None, _) => at,
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub rule: Rule,
    pub severity: Severity,
    pub place: Place,
    pub unit: Option<String>,
    pub project: Option<String>,
    pub message: String,
}

impl Issue {
    /// An issue of `rule` at its default severity.
    pub fn new(rule: Rule, place: Place, message: impl Into<String>) -> Issue {
        Issue {
            rule,
            severity: rule.severity(),
            place,
            unit: None,
            project: None,
            message: message.into(),
        }
    }

    /// The same issue, naming its unit.
    pub fn in_unit(mut self, unit: &str) -> Issue {
        if !unit.is_empty() {
            self.unit = Some(unit.to_string());
        }
        self
    }

    /// The same issue, naming its project.
    pub fn in_project(mut self, project: &str) -> Issue {
        if !project.is_empty() {
            self.project = Some(project.to_string());
        }
        self
    }

    /// The order issues are reported in: by file, sheet, row, column, then rule.
    pub fn sort_key(&self) -> (&Place, Rule, &str) {
        (&self.place, self.rule, &self.message)
    }
}

/// Which issues a report lists: the most minor severity shown, and the rules (all when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueFilter {
    pub severity: Severity,
    pub rules: Vec<Rule>,
}

impl Default for IssueFilter {
    /// Every issue.
    fn default() -> IssueFilter {
        IssueFilter {
            severity: Severity::Info,
            rules: Vec::new(),
        }
    }
}

impl IssueFilter {
    pub fn keeps(&self, issue: &Issue) -> bool {
        self.keeps_kind(issue.rule, issue.severity)
    }

    /// Whether every issue is kept: every severity (infos are the least), no rule picked.
    pub fn keeps_all(&self) -> bool {
        self.severity == Severity::Info && self.rules.is_empty()
    }

    /// Whether issues of this rule and severity are listed (all the filter looks at).
    pub fn keeps_kind(&self, rule: Rule, severity: Severity) -> bool {
        severity <= self.severity && (self.rules.is_empty() || self.rules.contains(&rule))
    }
}

impl Serialize for Issue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Issue", 9)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("rule", self.rule.code())?;
        st.serialize_field("file", &self.place.file)?;
        st.serialize_field("sheet", &self.place.sheet)?;
        st.serialize_field("row", &self.place.row)?;
        st.serialize_field("cell", &self.place.cell_in(&mut [0; A1_NAME_BYTES]))?;
        st.serialize_field("unit", &self.unit)?;
        st.serialize_field("project", &self.project)?;
        st.serialize_field("message", &self.message)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A filter that says it keeps all keeps every rule at every severity, and the others leave
    /// some out.
    #[test]
    fn a_filter_keeping_all_keeps_every_kind() {
        let severities = [Severity::Error, Severity::Warning, Severity::Info];
        let filters = severities.iter().flat_map(|&severity| {
            [Vec::new(), vec![Rule::ALL[0]]].map(|rules| IssueFilter { severity, rules })
        });
        for filter in filters {
            let all = severities
                .iter()
                .all(|&sev| Rule::ALL.iter().all(|&rule| filter.keeps_kind(rule, sev)));
            assert_eq!(filter.keeps_all(), all, "{filter:?}");
        }
        assert!(IssueFilter::default().keeps_all());
    }

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut codes: Vec<_> = Rule::ALL.iter().map(|r| r.code()).collect();
        assert!(codes.iter().all(|c| c
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Rule::ALL.len());
    }

    #[test]
    fn place_names_its_cell() {
        let p = Place {
            file: "a.xlsx".into(),
            sheet: Some("Sheet1".into()),
            row: Some(7),
            col: Some(1),
        };
        assert_eq!(p.cell().as_deref(), Some("B7"));
        assert_eq!(p.describe(), "Sheet1!B7");
        let row_only = Place {
            col: None,
            sheet: None,
            ..p
        };
        assert_eq!(row_only.describe(), "第 7 行");
    }
}
