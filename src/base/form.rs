//! The form definition: which columns the table has, how their headers may be spelled, which
//! columns add up to 总计, the money units a submission may state and the indicator taxonomy.
//! It is data (TOML in `templates/`), the default compiled into the binary, so that another
//! year's or region's form is a new file, not new code.

use std::path::Path;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::base::issue::Rule;
use crate::base::model::{Columns, FieldId, IndicatorFieldId};
use crate::base::taxonomy::Taxonomy;

/// The default form, `templates/default.toml`.
const DEFAULT_FORM: &str = include_str!("../../templates/default.toml");

/// Why a form definition could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    /// The file could not be read from disk.
    #[error("无法读取表单定义 {path}：{source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The TOML is malformed or has fields of the wrong type; toml's error names the line and
    /// column.
    #[error("表单定义 {path} 有误：{source}")]
    Syntax {
        path: String,
        source: toml::de::Error,
    },
    /// The TOML parsed but is inconsistent.
    #[error("表单定义 {path} 有误：{problem}")]
    Invalid { path: String, problem: FormProblem },
}

/// How a form definition that parsed contradicts itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormProblem {
    #[error("必须恰有一个 kind = \"name\" 的列，现有 {0} 个")]
    NameColumns(usize),
    #[error("[sum] 中的列 \"{0}\" 不是金额列")]
    SumColumnNotAmount(String),
    #[error("[sum] 中的列 \"{0}\" 未在 [[fields]] 中定义")]
    SumColumnUnknown(String),
    #[error("金额单位 \"{0}\" 未在 [[money_units]] 中定义")]
    UnknownMoneyUnit(String),
    #[error("[[checks.required]] 中的规则 \"{0}\" 不在规则目录中")]
    UnknownRule(String),
    #[error("金额单位 \"{0}\" 的 divisor 必须大于 0")]
    NonPositiveDivisor(String),
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// 项目名称: a project's or a unit's name.
    Name,
    /// A money amount.
    Amount,
    /// 绩效目标.
    Goal,
    /// 绩效指标 (wide layout: all indicators of a project in one cell).
    Indicators,
}

/// One column of the form.
#[derive(Debug, Clone, Deserialize)]
pub struct Field {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub variants: Vec<String>,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
}

/// What a column of the declaration (long) layout holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// 一级指标.
    Level1,
    /// 二级指标.
    Level2,
    /// 三级指标: the indicator's name.
    Level3,
    /// 实施周期指标值.
    Period,
    /// 年度指标值.
    Annual,
    /// A single 指标值 standing for both targets.
    Value,
    /// 计算符号 written apart from the value.
    Sign,
    /// 计量单位 written apart from the value.
    Measure,
    /// 单位名称 on each row (the budget-system export): the unit, with its code, and the
    /// department above the units.
    Unit,
    /// 权重 / 分值.
    Weight,
    /// 指标方向性 (正向指标 / 反向指标).
    Direction,
}

/// One column of the declaration (long) layout.
#[derive(Debug, Clone, Deserialize)]
pub struct IndicatorField {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub variants: Vec<String>,
    pub kind: IndicatorKind,
}

/// 总计 = the sum of `parts`, on every row.
#[derive(Debug, Clone, Deserialize)]
pub struct SumRule {
    pub total: String,
    pub parts: Vec<String>,
}

/// A money unit a submission may state, and what divides it into the form's unit.
#[derive(Debug, Clone, Deserialize)]
pub struct MoneyUnit {
    pub name: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub divisor: Decimal,
}

/// Words that identify special rows.
#[derive(Debug, Clone, Deserialize)]
pub struct RowWords {
    pub grand_total: Vec<String>,
    pub notes: Vec<String>,
}

/// A kind of indicator every project must have.
#[derive(Debug, Clone, Deserialize)]
pub struct RequiredCategory {
    /// The rule reported when it is missing (a code of the catalogue).
    pub rule: String,
    /// Level-1 or level-2 codes, any of which satisfies it; the message names them.
    pub categories: Vec<String>,
    /// Codes that satisfy it too without being named in the message: the older scheme's
    /// equivalents (25-社会公众或服务对象满意度 for 3-满意度指标).
    #[serde(default)]
    pub also: Vec<String>,
}

/// Thresholds of the checks.
#[derive(Debug, Clone, Deserialize)]
pub struct Checks {
    /// Lowest acceptable satisfaction target, in percent.
    #[serde(with = "rust_decimal::serde::str")]
    pub satisfaction_min: Decimal,
    /// Level-1 or level-2 codes of satisfaction indicators.
    pub satisfaction_categories: Vec<String>,
    #[serde(default)]
    pub required: Vec<RequiredCategory>,
}

/// Form-wide settings.
#[derive(Debug, Clone, Deserialize)]
pub struct FormInfo {
    pub title: String,
    pub money_unit: String,
    pub decimals: u32,
}

/// What a label of a per-project form's head says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockLabel {
    /// 项目名称: opens a block.
    Name,
    /// 主管部门 (the department above the unit).
    Department,
    /// 实施单位: the unit the project belongs to.
    Unit,
    /// A funding total (年度资金总额, 资金总额).
    Total,
    /// A funding part (财政拨款, 其他资金, 上级资金, …).
    Part,
    /// The year's goal (年度目标).
    GoalAnnual,
    /// The whole period's goal (中期目标, 实施期绩效目标).
    GoalPeriod,
    /// A group label in the first column (项目资金（万元）, 总体目标, 绩效指标): no value of its
    /// own; a money unit in its brackets counts.
    Group,
    /// A label whose value is not read (项目属性, 项目期, 联系电话, …), known so that it is
    /// never taken for another label's value.
    Other,
}

/// A label of the per-project form, its variants, and what it says.
#[derive(Debug, Clone, Deserialize)]
pub struct BlockField {
    pub kind: BlockLabel,
    pub label: String,
    #[serde(default)]
    pub variants: Vec<String>,
    /// For a funding part: the form field (key) it adds to in the consolidated table; parts
    /// without one (上级资金, 上年结转) are kept and checked, but have no column of their own.
    #[serde(default)]
    pub field: Option<String>,
    /// Whether the label names the whole period's amount (项目总投资), not the year's.
    #[serde(default)]
    pub period: bool,
}

/// What a column of a per-project form's indicator table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockColumn {
    Level1,
    Level2,
    Level3,
    /// 指标值: the year's target, standing for the period's too when no period column exists.
    Value,
    /// A period (中期, 长期, 实施期) value column.
    PeriodValue,
    /// 计算符号 / 指标方向 / 指标性质: a column that may hold the comparison sign.
    Sign,
    /// 计量单位 / 度量单位.
    Measure,
    /// 分值 / 权重.
    Weight,
    /// 绩效标准, 指标解释, 备注: kept out of the target.
    Note,
}

/// A column label of the per-project indicator table.
#[derive(Debug, Clone, Deserialize)]
pub struct BlockColumnField {
    pub kind: BlockColumn,
    pub label: String,
    #[serde(default)]
    pub variants: Vec<String>,
}

/// The per-project form (申报表): the labels that make a block, and its indicator table.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectForm {
    /// Labels of the head (label/value rows, the funding block, the goals).
    pub labels: Vec<BlockField>,
    /// Columns of the indicator table.
    pub columns: Vec<BlockColumnField>,
    /// Words in a bracketed column label that mark the period's half of a side-by-side table
    /// (二级指标（长期）).
    pub period_words: Vec<String>,
    /// Words that mark a funding or goal label as the year's (当年资金总额, 本年度绩效目标).
    pub annual_words: Vec<String>,
}

/// A whole form definition.
#[derive(Debug, Clone, Deserialize)]
pub struct Form {
    pub form: FormInfo,
    pub fields: Vec<Field>,
    #[serde(default)]
    pub indicator_fields: Vec<IndicatorField>,
    pub sum: SumRule,
    pub checks: Checks,
    pub money_units: Vec<MoneyUnit>,
    pub rows: RowWords,
    /// The per-project form (`[project]`), when the form can be submitted that way.
    #[serde(default)]
    pub project: Option<ProjectForm>,
    /// The indicator taxonomy (`[[categories]]`).
    #[serde(rename = "categories")]
    pub taxonomy: Taxonomy,
    /// Header labels as compared (see `locate::normalize_label`) and the column each names,
    /// built once on first use.
    #[serde(skip)]
    pub(crate) label_index: std::sync::OnceLock<HeaderLabelIndex>,
    /// The per-project form's labels as compared (see `locate::blocks`), built once on first
    /// use.
    #[serde(skip)]
    pub(crate) block_index: std::sync::OnceLock<BlockLabelIndex>,
    /// Each of `checks.required`'s categories as its issue names them ("4-成本指标 或
    /// 14-成本指标"), built once on first use.
    #[serde(skip)]
    pub(crate) required_names: std::sync::OnceLock<Vec<String>>,
}

/// The list layouts' header labels, reduced as `locate::normalize_label` reduces a cell's text,
/// with the column each names.
#[derive(Debug, Clone, Default)]
pub struct HeaderLabelIndex {
    pub labels: crate::base::FastMap<String, LabelTarget>,
    /// Every label's first character: a text that starts otherwise names no column.
    pub starts: crate::base::text::CharSet,
}

/// The labels of the per-project form, reduced as `locate::blocks` reduces a cell's text, with
/// what they name.
#[derive(Debug, Clone)]
pub struct BlockLabelIndex {
    /// A reduced head label and the field it names (an index into [`ProjectForm::labels`]).
    pub labels: crate::base::FastMap<String, usize>,
    /// A reduced indicator-table column label and the column it names.
    pub columns: crate::base::FastMap<String, BlockColumn>,
    /// Finds any key of `labels` in a text: a reduced label is a run of its cell's text with
    /// spaces removed and brackets and colons folded, so a text without one names no label.
    /// `None` when the form's labels are too many for an automaton: every text is then reduced.
    pub label_words: Option<LabelWords>,
    /// The same for the keys of `columns`.
    pub column_words: Option<LabelWords>,
    /// The same for the keys of `labels` that name the project (项目名称 and its variants).
    pub name_words: Option<LabelWords>,
}

/// The keys of a label index as a quick look (see `locate::blocks`).
#[derive(Debug, Clone)]
pub struct LabelWords {
    /// Finds the leftmost key in a text.
    pub automaton: aho_corasick::AhoCorasick,
    /// Every key's first character; `None` when a key is empty (it is in every text).
    pub starts: Option<crate::base::text::CharSet>,
    /// Whether no key holds a bracket or a colon: then folding a text without spaces changes no
    /// key's occurrences in it, and the text can be searched as it is.
    pub plain: bool,
}

/// The column a header label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelTarget {
    Field(FieldId),
    Indicator(IndicatorFieldId),
}

impl std::ops::Index<FieldId> for Form {
    type Output = Field;
    fn index(&self, id: FieldId) -> &Field {
        &self.fields[id.0]
    }
}

impl std::ops::Index<IndicatorFieldId> for Form {
    type Output = IndicatorField;
    fn index(&self, id: IndicatorFieldId) -> &IndicatorField {
        &self.indicator_fields[id.0]
    }
}

impl Form {
    /// The compiled-in default form.
    pub fn default_form() -> Form {
        // The default is tested (`default_form_is_valid`), so this cannot fail at run time.
        Form::parse(DEFAULT_FORM, "templates/default.toml").expect("the default form is valid")
    }

    /// Reads a form definition from a TOML file.
    ///
    /// # Errors
    /// The file cannot be read, is not valid TOML (the message names the line), or is
    /// inconsistent.
    pub fn load(path: &Path) -> Result<Form, FormError> {
        let text = std::fs::read_to_string(path).map_err(|source| FormError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Form::parse(&text, &path.display().to_string())
    }

    /// Parses and validates a form definition; `origin` names it in errors.
    ///
    /// # Errors
    /// Not valid TOML, or inconsistent.
    pub fn parse(text: &str, origin: &str) -> Result<Form, FormError> {
        let form: Form = toml::from_str(text).map_err(|source| FormError::Syntax {
            path: origin.to_string(),
            source,
        })?;
        form.validate().map_err(|problem| FormError::Invalid {
            path: origin.to_string(),
            problem,
        })?;
        Ok(form)
    }

    fn validate(&self) -> Result<(), FormProblem> {
        let names = self
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::Name)
            .count();
        if names != 1 {
            return Err(FormProblem::NameColumns(names));
        }
        for key in std::iter::once(&self.sum.total).chain(&self.sum.parts) {
            match self.field_by_key(key).map(|id| &self[id]) {
                Some(f) if f.kind == FieldKind::Amount => {}
                Some(_) => return Err(FormProblem::SumColumnNotAmount(key.clone())),
                None => return Err(FormProblem::SumColumnUnknown(key.clone())),
            }
        }
        if !self
            .money_units
            .iter()
            .any(|u| u.name == self.form.money_unit)
        {
            return Err(FormProblem::UnknownMoneyUnit(self.form.money_unit.clone()));
        }
        for required in &self.checks.required {
            if !Rule::ALL.iter().any(|r| r.code() == required.rule) {
                return Err(FormProblem::UnknownRule(required.rule.clone()));
            }
        }
        if let Some(u) = self.money_units.iter().find(|u| u.divisor <= Decimal::ZERO) {
            return Err(FormProblem::NonPositiveDivisor(u.name.clone()));
        }
        Ok(())
    }

    /// No column found yet, for every column of this form.
    pub fn no_columns<T: Copy>(&self) -> Columns<T> {
        Columns::none(self.fields.len(), self.indicator_fields.len())
    }

    /// The ids of every field, in form order.
    pub fn field_ids(&self) -> impl Iterator<Item = FieldId> {
        (0..self.fields.len()).map(FieldId)
    }

    /// The field with this key.
    pub fn field_by_key(&self, key: &str) -> Option<FieldId> {
        self.fields.iter().position(|f| f.key == key).map(FieldId)
    }

    /// The first field of a kind (the form has exactly one name field; see `validate`).
    pub fn field_of(&self, kind: FieldKind) -> Option<FieldId> {
        self.fields.iter().position(|f| f.kind == kind).map(FieldId)
    }

    /// The amount fields, in form order.
    pub fn amount_fields(&self) -> impl Iterator<Item = FieldId> + '_ {
        self.field_ids()
            .filter(|&id| self[id].kind == FieldKind::Amount)
    }

    /// 总计: the amount the sum rule adds up to.
    pub fn total_field(&self) -> Option<FieldId> {
        self.field_by_key(&self.sum.total)
    }

    /// The funding columns the sum rule adds up, in the rule's order.
    pub fn sum_parts(&self) -> Vec<FieldId> {
        self.sum
            .parts
            .iter()
            .filter_map(|k| self.field_by_key(k))
            .collect()
    }

    /// The ids of every long-layout indicator column, in form order.
    pub fn indicator_field_ids(&self) -> impl Iterator<Item = IndicatorFieldId> {
        (0..self.indicator_fields.len()).map(IndicatorFieldId)
    }

    /// The first long-layout indicator column of a kind.
    pub fn indicator_field_of(&self, kind: IndicatorKind) -> Option<IndicatorFieldId> {
        self.indicator_fields
            .iter()
            .position(|f| f.kind == kind)
            .map(IndicatorFieldId)
    }

    /// The money unit named `name` (exact, after trimming).
    pub fn money_unit(&self, name: &str) -> Option<&MoneyUnit> {
        let name = crate::base::text::trim(name);
        self.money_units.iter().find(|u| u.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_form_is_valid() {
        let form = Form::parse(DEFAULT_FORM, "default").unwrap();
        assert_eq!(form.fields.len(), 7);
        assert_eq!(form.sum.parts, ["fiscal", "special", "other"]);
        assert_eq!(form.taxonomy.categories().len(), 4);
    }

    #[test]
    fn malformed_form_names_the_line() {
        let text = DEFAULT_FORM.replacen("decimals = 2", "decimals = two", 1);
        let err = Form::parse(&text, "bad.toml").unwrap_err().to_string();
        assert!(err.contains("bad.toml"), "{err}");
        assert!(err.contains("line"), "{err}");
    }

    #[test]
    fn sum_naming_unknown_column_is_rejected() {
        let text = DEFAULT_FORM.replacen("\"other\"]", "\"others\"]", 1);
        let err = Form::parse(&text, "bad.toml").unwrap_err().to_string();
        assert!(err.contains("others"), "{err}");
    }
}
