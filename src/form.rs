//! The form definition: which columns the table has, how their headers may be spelled, which
//! columns add up to 总计, the money units a submission may state and the indicator taxonomy.
//! It is data (TOML in `templates/`), the default compiled into the binary, so that another
//! year's or region's form is a new file, not new code.

use std::path::Path;

use rust_decimal::Decimal;
use serde::Deserialize;

/// The default form, `templates/default.toml`.
pub const DEFAULT_FORM: &str = include_str!("../templates/default.toml");

/// Why a form definition could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    /// The file could not be read from disk.
    #[error("无法读取表单定义 {path}：{source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The TOML is malformed or has fields of the wrong type; `message` carries toml's line and column.
    #[error("表单定义 {path} 有误：{message}")]
    Syntax { path: String, message: String },
    /// The TOML parsed but is inconsistent (a sum names an unknown column, no name column, …).
    #[error("表单定义 {path} 有误：{message}")]
    Invalid { path: String, message: String },
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

/// A level-2 indicator category (二级指标).
#[derive(Debug, Clone, Deserialize)]
pub struct SubCategory {
    pub code: String,
    pub name: String,
    /// Other names seen for it.
    #[serde(default)]
    pub variants: Vec<String>,
}

impl SubCategory {
    /// Whether `name` names this category (its name or a variant, with or without 指标).
    pub fn is_named(&self, name: &str) -> bool {
        is_named(&self.name, &self.variants, name)
    }
}

/// A level-1 indicator category (一级指标) and its level-2 categories.
#[derive(Debug, Clone, Deserialize)]
pub struct Category {
    pub code: String,
    pub name: String,
    /// Other names seen for it.
    #[serde(default)]
    pub variants: Vec<String>,
    pub children: Vec<SubCategory>,
}

impl Category {
    /// Whether `name` names this category (its name or a variant, with or without 指标).
    pub fn is_named(&self, name: &str) -> bool {
        is_named(&self.name, &self.variants, name)
    }
}

fn is_named(official: &str, variants: &[String], name: &str) -> bool {
    same_category_name(official, name) || variants.iter().any(|v| same_category_name(v, name))
}

/// A kind of indicator every project must have.
#[derive(Debug, Clone, Deserialize)]
pub struct RequiredCategory {
    /// The rule reported when it is missing (a code of the catalogue).
    pub rule: String,
    /// Level-1 or level-2 codes, any of which satisfies it.
    pub categories: Vec<String>,
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
    pub categories: Vec<Category>,
    /// Header labels as compared (see `locate::normalize_label`) and the column each names,
    /// built once on first use.
    #[serde(skip)]
    pub(crate) label_index: std::sync::OnceLock<std::collections::HashMap<String, LabelTarget>>,
}

/// The column a header label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelTarget {
    /// An index into `Form::fields`.
    Field(usize),
    /// An index into `Form::indicator_fields`.
    Indicator(usize),
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
        let form: Form = toml::from_str(text).map_err(|e| FormError::Syntax {
            path: origin.to_string(),
            message: e.to_string(),
        })?;
        form.validate().map_err(|message| FormError::Invalid {
            path: origin.to_string(),
            message,
        })?;
        Ok(form)
    }

    fn validate(&self) -> Result<(), String> {
        let names = self
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::Name)
            .count();
        if names != 1 {
            return Err(format!(
                "必须恰有一个 kind = \"name\" 的列，现有 {names} 个"
            ));
        }
        for key in std::iter::once(&self.sum.total).chain(&self.sum.parts) {
            match self.field(key) {
                Some(f) if f.kind == FieldKind::Amount => {}
                Some(_) => return Err(format!("[sum] 中的列 \"{key}\" 不是金额列")),
                None => return Err(format!("[sum] 中的列 \"{key}\" 未在 [[fields]] 中定义")),
            }
        }
        if !self
            .money_units
            .iter()
            .any(|u| u.name == self.form.money_unit)
        {
            return Err(format!(
                "金额单位 \"{}\" 未在 [[money_units]] 中定义",
                self.form.money_unit
            ));
        }
        for required in &self.checks.required {
            if !crate::issue::Rule::ALL
                .iter()
                .any(|r| r.code() == required.rule)
            {
                return Err(format!(
                    "[[checks.required]] 中的规则 \"{}\" 不在规则目录中",
                    required.rule
                ));
            }
        }
        if let Some(u) = self.money_units.iter().find(|u| u.divisor <= Decimal::ZERO) {
            return Err(format!("金额单位 \"{}\" 的 divisor 必须大于 0", u.name));
        }
        Ok(())
    }

    /// The field with this key.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Index of the field with this key in `fields`.
    pub fn field_index(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    /// Indexes of the amount fields, in form order.
    pub fn amount_fields(&self) -> impl Iterator<Item = usize> + '_ {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == FieldKind::Amount)
            .map(|(i, _)| i)
    }

    /// The money unit named `name` (exact, after trimming).
    pub fn money_unit(&self, name: &str) -> Option<&MoneyUnit> {
        self.money_units.iter().find(|u| u.name == name.trim())
    }

    /// The level-1 category by code.
    pub fn category_by_code(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The level-1 category by name, with or without the trailing 指标.
    pub fn category_by_name(&self, name: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.is_named(name))
    }

    /// The level-2 category by code, with its parent.
    pub fn subcategory_by_code(&self, code: &str) -> Option<(&Category, &SubCategory)> {
        self.categories
            .iter()
            .find_map(|c| c.children.iter().find(|s| s.code == code).map(|s| (c, s)))
    }

    /// Every level-2 category with this name, with its parent (成本指标 may appear under two
    /// level-1 categories in older schemes).
    pub fn subcategories_by_name<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = (&'a Category, &'a SubCategory)> + 'a {
        self.categories.iter().flat_map(move |c| {
            c.children
                .iter()
                .filter(move |s| s.is_named(name))
                .map(move |s| (c, s))
        })
    }
}

/// Whether two category names are the same, ignoring spaces and a trailing 指标
/// (社会效益 = 社会效益指标).
pub fn same_category_name(a: &str, b: &str) -> bool {
    fn stem(s: &str) -> &str {
        s.strip_suffix("指标").unwrap_or(s)
    }
    let (a, b) = (a.trim(), b.trim());
    if a.contains(char::is_whitespace) || b.contains(char::is_whitespace) {
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let (a, b) = (squeeze(a), squeeze(b));
        return stem(&a) == stem(&b);
    }
    stem(a) == stem(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_form_is_valid() {
        let form = Form::parse(DEFAULT_FORM, "default").unwrap();
        assert_eq!(form.fields.len(), 7);
        assert_eq!(form.sum.parts, ["fiscal", "special", "other"]);
        assert_eq!(form.categories.len(), 4);
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

    #[test]
    fn category_names_match_with_or_without_suffix() {
        let form = Form::default_form();
        assert_eq!(form.category_by_name("产出").unwrap().code, "1");
        let (parent, sub) = form.subcategories_by_name("社会效益").next().unwrap();
        assert_eq!((parent.code.as_str(), sub.code.as_str()), ("2", "22"));
        assert_eq!(form.subcategories_by_name("服务对象满意度指标").count(), 1);
        assert_eq!(
            form.subcategories_by_name("满意度").next().unwrap().1.code,
            "31"
        );
        assert_eq!(form.category_by_name("效益类指标").unwrap().code, "2");
        assert_eq!(
            form.subcategory_by_code("31").unwrap().1.name,
            "服务对象满意度"
        );
    }
}
