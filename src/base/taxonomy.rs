//! The indicator taxonomy (指标体系): level-1 categories (一级指标) with their level-2 categories
//! (二级指标), their codes, published names and name variants. It resolves the categories an
//! indicator names, reports a category that is unknown or under the wrong parent, and gives the
//! canonical names every output renders. The taxonomy itself is data in the form definition
//! (`[[categories]]`); normalize and check both use it.

use std::collections::HashMap;

use serde::Deserialize;

use crate::base::issue::Rule;
use crate::base::model::{CategoryRef, Indicator, Project, Unit};
use crate::base::text::Text;

/// What the taxonomy makes of an indicator's categories (see [`Taxonomy::assess`]).
#[derive(Debug, Clone)]
pub struct Assessment<'t, 'i> {
    /// The level-1 and level-2 codes, as far as they resolve (the taxonomy's, or the code
    /// written on the indicator `'i`).
    pub codes: [Option<&'i str>; 2],
    /// The level-1 and level-2 categories, when both resolve, under each other; else the rule
    /// and the message after "第 N 条指标".
    pub resolved: Result<(&'t Category, &'t SubCategory), (Rule, String)>,
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
    fn is_named(&self, name: &str) -> bool {
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
    fn is_named(&self, name: &str) -> bool {
        is_named(&self.name, &self.variants, name)
    }
}

/// Whether a name names a category: its official name or a variant, compared as the name index
/// compares them (see [`stem`]).
fn is_named(official: &str, variants: &[String], name: &str) -> bool {
    // The official name itself, as every canonicalized indicator has it: no stems to make.
    if name == official {
        return true;
    }
    let key = stem(name);
    stem(official) == key || variants.iter().any(|v| stem(v) == key)
}

/// Which indicator scheme a unit's indicators follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// The current one: 成本指标 and 满意度指标 are level-1 categories of their own.
    Current,
    /// The older (2015) one: 成本指标 under 产出指标, satisfaction under 效益指标.
    Older,
    /// Both at once.
    Mixed,
}

impl Scheme {
    /// The scheme told by signs of the older and of the current scheme; `None` when none shows.
    fn of_signs(older: bool, current: bool) -> Option<Scheme> {
        match (older, current) {
            (true, true) => Some(Scheme::Mixed),
            (true, false) => Some(Scheme::Older),
            (false, true) => Some(Scheme::Current),
            (false, false) => None,
        }
    }
}

/// Level-2 codes that exist only in the older scheme, and level-1 codes only in the current one.
const OLDER_ONLY: &[&str] = &["14", "25"];
const CURRENT_ONLY: &[&str] = &["3", "4"];

/// The level-1 categories of a form, in the form's order.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Taxonomy {
    categories: Vec<Category>,
    /// Every name and variant by its stem (no spaces, no trailing 指标), built on first use:
    /// the level-1 categories and the (level-1, level-2) pairs it names, in the form's order.
    #[serde(skip)]
    names: std::sync::OnceLock<HashMap<String, Named>>,
}

/// What one name stem names.
#[derive(Debug, Clone, Default)]
struct Named {
    level1: Vec<usize>,
    level2: Vec<(usize, usize)>,
}

/// A category name as compared: no spaces, no trailing 指标 (社会效益 = 社会效益指标).
/// Borrowed unless the name has spaces: the names of indicators are compared by the million.
fn stem(name: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if !name.chars().any(char::is_whitespace) {
        return Cow::Borrowed(name.strip_suffix("指标").unwrap_or(name));
    }
    let squeezed: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    match squeezed.strip_suffix("指标") {
        Some(s) => Cow::Owned(s.to_string()),
        None => Cow::Owned(squeezed),
    }
}

impl Taxonomy {
    /// The level-1 categories, in the form's order.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    fn names(&self) -> &HashMap<String, Named> {
        self.names.get_or_init(|| {
            let mut index: HashMap<String, Named> = HashMap::new();
            for (i, c) in self.categories.iter().enumerate() {
                for name in std::iter::once(&c.name).chain(&c.variants) {
                    let entry = index.entry(stem(name).into_owned()).or_default();
                    if !entry.level1.contains(&i) {
                        entry.level1.push(i);
                    }
                }
                for (j, s) in c.children.iter().enumerate() {
                    for name in std::iter::once(&s.name).chain(&s.variants) {
                        let entry = index.entry(stem(name).into_owned()).or_default();
                        if !entry.level2.contains(&(i, j)) {
                            entry.level2.push((i, j));
                        }
                    }
                }
            }
            index
        })
    }

    /// The level-1 category by code.
    pub fn category_by_code(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The level-1 category by name, with or without the trailing 指标.
    fn category_by_name(&self, name: &str) -> Option<&Category> {
        let named = self.names().get(stem(name).as_ref())?;
        named.level1.first().map(|&i| &self.categories[i])
    }

    /// The level-2 category by code, with its parent.
    pub fn subcategory_by_code(&self, code: &str) -> Option<(&Category, &SubCategory)> {
        self.categories
            .iter()
            .find_map(|c| c.children.iter().find(|s| s.code == code).map(|s| (c, s)))
    }

    /// Every level-2 category with this name, with its parent (成本指标 may appear under two
    /// level-1 categories in older schemes).
    fn subcategories_by_name<'a>(
        &'a self,
        name: &str,
    ) -> impl Iterator<Item = (&'a Category, &'a SubCategory)> + 'a {
        let found = self
            .names()
            .get(stem(name).as_ref())
            .map_or(&[][..], |n| n.level2.as_slice());
        found.iter().map(move |&(i, j)| {
            let c = &self.categories[i];
            (c, &c.children[j])
        })
    }

    /// The level-1 and level-2 codes of an indicator as far as the taxonomy resolves them.
    pub fn codes_of<'a>(&'a self, ind: &'a Indicator) -> [Option<&'a str>; 2] {
        self.assess(ind).codes
    }

    /// An indicator's codes ([`Taxonomy::codes_of`]) and categories (their verdict is
    /// [`Taxonomy::check`]) in one reading: `check` asks for both of every indicator.
    pub fn assess<'t: 'i, 'i>(&'t self, ind: &'i Indicator) -> Assessment<'t, 'i> {
        self.assess_kept(ind).given(ind)
    }

    /// An [`Assessor`]: this taxonomy's assessments of many indicators, each pair of categories
    /// assessed once.
    pub fn assessor(&self) -> Assessor<'_> {
        Assessor {
            taxonomy: self,
            kept: hashbrown::HashTable::new(),
            state: foldhash::fast::RandomState::default(),
        }
    }

    /// [`Taxonomy::assess`], as kept for any indicator of the same categories.
    fn assess_kept(&self, ind: &Indicator) -> Kept<'_> {
        let level1 = self.resolve_level1(&ind.level1);
        let level1_code = level1.as_ref().ok().map(|c| c.code.as_str());
        let l2 = &ind.level2;
        let Some(code) = &l2.code else {
            // By name: the one under the indicator's own level 1 (a name may be in two,
            // 成本指标), else the first, for the code and for the message.
            let mut first = None;
            let mut under = None;
            for (parent, sub) in self.subcategories_by_name(&l2.name) {
                first.get_or_insert((parent, sub));
                if Some(parent.code.as_str()) == level1_code {
                    under = Some(sub);
                    break;
                }
            }
            let level2_code = under.or(first.map(|(_, s)| s)).map(|s| s.code.as_str());
            let resolved = level1.and_then(|level1| match (under, first) {
                (Some(sub), _) => Ok((level1, sub)),
                (None, Some((parent, _))) => Err(not_under(l2, level1, parent)),
                (None, None) => Err((
                    Rule::UnknownIndicatorCategory,
                    format!("的二级指标“{}”不在指标体系中", l2.name),
                )),
            });
            return Kept {
                codes: [level1_code, level2_code],
                resolved,
            };
        };
        let resolved = level1.and_then(|level1| self.resolve_by_code(l2, code, level1));
        // The level-2 code is the one written: taken from each indicator (see `Kept::given`).
        Kept {
            codes: [level1_code, None],
            resolved,
        }
    }

    /// The scheme some indicators show: the older one where one of them is a category that only
    /// the older scheme has (14-成本指标 under 产出, 25 under 效益), the current one where one is
    /// a level-1 category only the current scheme has; `None` when none tells.
    pub fn scheme_of<'i>(&self, indicators: impl Iterator<Item = &'i Indicator>) -> Option<Scheme> {
        let (older, current) = self.scheme_signs(indicators);
        Scheme::of_signs(older, current)
    }

    /// The scheme the indicators of some projects show, held or digested (see
    /// [`Taxonomy::scheme_of`]).
    pub fn scheme_of_projects<'p>(
        &self,
        projects: impl Iterator<Item = &'p Project>,
    ) -> Option<Scheme> {
        let (older, current) = self.project_signs(projects);
        Scheme::of_signs(older, current)
    }

    /// [`Taxonomy::scheme_signs`] over projects, digested or not.
    pub fn project_signs<'p>(&self, projects: impl Iterator<Item = &'p Project>) -> (bool, bool) {
        let (mut older, mut current) = (false, false);
        for p in projects {
            let (o, c) = match &p.digest {
                Some(d) => (d.older, d.current),
                None => self.scheme_signs(p.indicators.iter()),
            };
            older |= o;
            current |= c;
        }
        (older, current)
    }

    /// [`Taxonomy::scheme_of_projects`] of a unit's projects, held or parked.
    pub fn scheme_of_unit(&self, unit: &Unit) -> Option<Scheme> {
        let (older, current) = self.project_signs(unit.projects.iter());
        let parked = unit
            .parked
            .as_ref()
            .map_or((false, false), |p| (p.older, p.current));
        Scheme::of_signs(older || parked.0, current || parked.1)
    }

    /// Whether some indicator shows the older scheme, and whether one shows the current one.
    pub fn scheme_signs<'i>(
        &self,
        indicators: impl Iterator<Item = &'i Indicator>,
    ) -> (bool, bool) {
        signs_of(indicators, |ind| signs_in(self.codes_of(ind)))
    }

    /// Whether an indicator falls under any of these level-1 or level-2 codes.
    pub fn is_in(&self, ind: &Indicator, codes: &[String]) -> bool {
        self.codes_of(ind)
            .into_iter()
            .flatten()
            .any(|c| codes.iter().any(|code| code == c))
    }

    /// Resolves an indicator's categories against the taxonomy.
    ///
    /// # Errors
    /// The first problem found: the rule and the message after "第 N 条指标".
    pub fn check(&self, ind: &Indicator) -> Result<(), (Rule, String)> {
        self.resolve(ind).map(|_| ())
    }

    /// The level-1 and level-2 categories an indicator's categories name.
    ///
    /// # Errors
    /// As [`Taxonomy::check`].
    fn resolve(&self, ind: &Indicator) -> Result<(&Category, &SubCategory), (Rule, String)> {
        self.assess(ind).resolved
    }

    /// A level-2 category given by its code (and name), under the resolved `level1`.
    fn resolve_by_code<'a>(
        &'a self,
        l2: &CategoryRef,
        code: &str,
        level1: &'a Category,
    ) -> Result<(&'a Category, &'a SubCategory), (Rule, String)> {
        let Some((parent, sub)) = self.subcategory_by_code(code) else {
            return Err((
                Rule::UnknownIndicatorCategory,
                format!("的二级指标“{}”不在指标体系中", l2.render()),
            ));
        };
        if !sub.is_named(&l2.name) {
            return Err((
                Rule::CategoryMismatch,
                format!(
                    "的二级指标编码 {code} 与名称“{}”不符（{code} 是“{}”）",
                    l2.name, sub.name
                ),
            ));
        }
        if parent.code != level1.code {
            return Err(not_under(l2, level1, parent));
        }
        Ok((level1, sub))
    }

    /// The indicator with its categories as the taxonomy names them (code and name), when they
    /// resolve without a problem; otherwise as written. The consolidated table renders indicators
    /// this way, so that `产出指标 / 数量指标` from a long layout and `1-产出指标；11-数量指标` from a
    /// wide one read the same.
    pub fn canonical(&self, ind: &Indicator) -> Indicator {
        let mut out = ind.clone();
        self.assessor().canonicalize(&mut out);
        out
    }

    fn resolve_level1<'a>(&'a self, l1: &CategoryRef) -> Result<&'a Category, (Rule, String)> {
        match &l1.code {
            Some(code) => {
                let Some(cat) = self.category_by_code(code) else {
                    return Err((
                        Rule::UnknownIndicatorCategory,
                        format!("的一级指标“{}”不在指标体系中", l1.render()),
                    ));
                };
                if cat.is_named(&l1.name) {
                    Ok(cat)
                } else {
                    Err((
                        Rule::CategoryMismatch,
                        format!(
                            "的一级指标编码 {code} 与名称“{}”不符（{code} 是“{}”）",
                            l1.name, cat.name
                        ),
                    ))
                }
            }
            None => self.category_by_name(&l1.name).ok_or_else(|| {
                (
                    Rule::UnknownIndicatorCategory,
                    format!("的一级指标“{}”不在指标体系中", l1.name),
                )
            }),
        }
    }
}

/// Whether some indicators are of the older scheme only, and some of the current one only (see
/// [`Taxonomy::scheme_signs`]), an indicator's codes' signs read by `signs` (see [`signs_in`])
/// only where the codes written on it do not tell: a level-2 code written is the indicator's own,
/// and a level-1 code written is the only one its level 1 can resolve to. Most indicators write
/// both: the taxonomy is asked of few.
fn signs_of<'i>(
    indicators: impl Iterator<Item = &'i Indicator>,
    mut signs: impl FnMut(&'i Indicator) -> (bool, bool),
) -> (bool, bool) {
    // Whether a sign not yet seen may come of a category: not when its code is written and is
    // not one of the sign's.
    let open = |seen: bool, code: &Option<Text>, codes: &[&str]| {
        !seen && code.as_deref().is_none_or(|c| codes.contains(&c))
    };
    let (mut older, mut current) = (false, false);
    for ind in indicators {
        let may_be_older = open(older, &ind.level2.code, OLDER_ONLY);
        let may_be_current = open(current, &ind.level1.code, CURRENT_ONLY);
        if !may_be_older && !may_be_current {
            continue;
        }
        let (is_older, is_current) = signs(ind);
        older |= is_older;
        current |= is_current;
    }
    (older, current)
}

/// Whether an indicator's codes are of the older scheme only, and of the current one only.
fn signs_in([l1, l2]: [Option<&str>; 2]) -> (bool, bool) {
    (
        l2.is_some_and(|c| OLDER_ONLY.contains(&c)),
        l1.is_some_and(|c| CURRENT_ONLY.contains(&c)),
    )
}

/// An [`Assessment`] as kept for every indicator of the same categories: what it takes from the
/// taxonomy alone.
#[derive(Debug, Clone)]
struct Kept<'t> {
    /// The codes, but for a level-2 code written on the indicator (`None` here).
    codes: [Option<&'t str>; 2],
    resolved: Result<(&'t Category, &'t SubCategory), (Rule, String)>,
}

impl<'t> Kept<'t> {
    /// The assessment of `ind`, an indicator of the categories this was kept for.
    fn given<'i>(self, ind: &'i Indicator) -> Assessment<'t, 'i>
    where
        't: 'i,
    {
        let [level1, level2] = self.codes;
        Assessment {
            codes: [level1, level2.or(ind.level2.code.as_deref())],
            resolved: self.resolved,
        }
    }
}

/// How many pairs of categories an [`Assessor`] keeps; past them, indicators are assessed each
/// time (a run of indicators whose categories are all different keeps no more).
const KEPT_PAIRS: usize = 1024;

/// [`Taxonomy::assess`] for the indicators of a file, each distinct pair of categories assessed
/// once: a file's hundreds of indicators name a dozen pairs between them, and an assessment
/// reads the names by their stems and compares them, where a kept one is a hash and a compare.
pub struct Assessor<'t> {
    taxonomy: &'t Taxonomy,
    kept: hashbrown::HashTable<(CategoryRef, CategoryRef, Kept<'t>)>,
    state: foldhash::fast::RandomState,
}

impl<'t> Assessor<'t> {
    /// [`Taxonomy::assess`].
    pub fn assess<'i>(&mut self, ind: &'i Indicator) -> Assessment<'t, 'i>
    where
        't: 'i,
    {
        use std::hash::BuildHasher;
        let (level1, level2) = (&ind.level1, &ind.level2);
        // The names alone: equal pairs have equal names, and pairs that differ only in their
        // codes are few (a hash of both codes too took a third of keeping the pairs).
        let hash = self
            .state
            .hash_one((level1.name.as_str(), level2.name.as_str()));
        if let Some((_, _, kept)) = self.kept.find(hash, |(a, b, _)| a == level1 && b == level2) {
            return kept.clone().given(ind);
        }
        let kept = self.taxonomy.assess_kept(ind);
        if self.kept.len() < KEPT_PAIRS {
            let state = &self.state;
            self.kept.insert_unique(
                hash,
                (level1.clone(), level2.clone(), kept.clone()),
                |(a, b, _)| state.hash_one((a.name.as_str(), b.name.as_str())),
            );
        }
        kept.given(ind)
    }

    /// [`Taxonomy::canonical`] in place: only the two categories change, where they resolve
    /// (a category already as the taxonomy names it is left as it is).
    pub fn canonicalize(&mut self, ind: &mut Indicator) {
        if let Ok(resolved) = self.assess(ind).resolved {
            name_as(ind, resolved);
        }
    }

    /// [`Taxonomy::scheme_signs`].
    pub fn scheme_signs<'i>(
        &mut self,
        indicators: impl Iterator<Item = &'i Indicator>,
    ) -> (bool, bool)
    where
        't: 'i,
    {
        signs_of(indicators, |ind| signs_in(self.assess(ind).codes))
    }
}

/// Names an indicator's categories as the taxonomy does (a category already so named is left as
/// it is).
fn name_as(ind: &mut Indicator, (level1, level2): (&Category, &SubCategory)) {
    let (level1, level2) = (
        (level1.code.as_str(), level1.name.as_str()),
        (level2.code.as_str(), level2.name.as_str()),
    );
    for (category, (code, name)) in [(&mut ind.level1, level1), (&mut ind.level2, level2)] {
        if category.code.as_deref() != Some(code) {
            category.code = Some(code.into());
        }
        if category.name != name {
            category.name = name.into();
        }
    }
}

fn not_under(l2: &CategoryRef, level1: &Category, parent: &Category) -> (Rule, String) {
    (
        Rule::CategoryMismatch,
        format!(
            "的二级指标“{}”不属于一级指标“{}-{}”（应属“{}-{}”）",
            l2.render(),
            level1.code,
            level1.name,
            parent.code,
            parent.name
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::model::Target;

    fn taxonomy() -> Taxonomy {
        #[derive(Deserialize)]
        struct Only {
            categories: Taxonomy,
        }
        let text = include_str!("../../templates/default.toml");
        let start = text.find("[[categories]]").unwrap();
        toml::from_str::<Only>(&text[start..]).unwrap().categories
    }

    /// An indicator whose categories are written "code-name" or "name".
    fn indicator(level1: &str, level2: &str) -> Indicator {
        let category = |s: &str| match s.split_once('-') {
            Some((code, name)) => CategoryRef {
                code: Some(code.into()),
                name: name.into(),
            },
            None => CategoryRef {
                code: None,
                name: s.into(),
            },
        };
        let target = Target {
            text: "1".into(),
            value: crate::base::model::TargetValue::Text,
        };
        Indicator {
            seq: Some(1),
            level1: category(level1),
            level2: category(level2),
            name: "x".into(),
            period: target.clone(),
            annual: target,
            ..Indicator::default()
        }
    }

    fn verdict(level1: &str, level2: &str) -> Result<(), (Rule, String)> {
        taxonomy().check(&indicator(level1, level2))
    }

    #[test]
    fn category_names_match_with_or_without_suffix() {
        let form = taxonomy();
        assert_eq!(form.category_by_name("产出").unwrap().code, "1");
        let (parent, sub) = form.subcategories_by_name("社会效益").next().unwrap();
        assert_eq!((parent.code.as_str(), sub.code.as_str()), ("2", "22"));
        // 31 in the newer scheme, 25 under 效益 in the older one.
        assert_eq!(form.subcategories_by_name("服务对象满意度指标").count(), 2);
        let codes: Vec<&str> = form
            .subcategories_by_name("满意度")
            .map(|(_, s)| s.code.as_str())
            .collect();
        assert_eq!(codes, ["25", "31"]);
        assert_eq!(form.category_by_name("效益类指标").unwrap().code, "2");
        assert_eq!(
            form.subcategory_by_code("31").unwrap().1.name,
            "服务对象满意度"
        );
    }

    #[test]
    fn taxonomy_checks() {
        assert_eq!(verdict("1-产出指标", "11-数量指标"), Ok(()));
        assert_eq!(verdict("2-效益指标", "22-社会效益"), Ok(()));
        assert_eq!(verdict("效益指标", "社会效益指标"), Ok(()));
        assert_eq!(verdict("4-成本指标", "41-经济成本指标"), Ok(()));
        let (rule, msg) = verdict("1-产出指标", "22-社会效益").unwrap_err();
        assert_eq!(rule, Rule::CategoryMismatch);
        assert_eq!(
            msg,
            "的二级指标“22-社会效益”不属于一级指标“1-产出指标”（应属“2-效益指标”）"
        );
        let (rule, msg) = verdict("1-效益指标", "11-数量指标").unwrap_err();
        assert_eq!(rule, Rule::CategoryMismatch);
        assert!(msg.contains("编码 1"), "{msg}");
        let (rule, _) = verdict("1-产出指标", "11-质量指标").unwrap_err();
        assert_eq!(rule, Rule::CategoryMismatch);
        let (rule, _) = verdict("5-其他指标", "51-其他").unwrap_err();
        assert_eq!(rule, Rule::UnknownIndicatorCategory);
        let (rule, _) = verdict("产出指标", "稳定性指标").unwrap_err();
        assert_eq!(rule, Rule::UnknownIndicatorCategory);
    }

    #[test]
    fn canonical_categories_come_from_the_taxonomy() {
        let t = taxonomy();
        let long = indicator("产出指标", "数量指标");
        let wide = indicator("1-产出指标", "11-数量指标");
        assert_eq!(t.canonical(&long), wide);
        let short = indicator("效益指标", "社会效益指标");
        assert_eq!(t.canonical(&short).level2.render(), "22-社会效益");
        let wrong = indicator("1-产出指标", "22-社会效益");
        assert_eq!(t.canonical(&wrong), wrong);
    }

    #[test]
    fn older_scheme_satisfaction_under_benefit() {
        let t = taxonomy();
        let old = indicator("效益指标", "社会公众或服务对象满意度指标");
        assert_eq!(t.check(&old), Ok(()));
        assert_eq!(t.canonical(&old).level2.code.as_deref(), Some("25"));
        let new = indicator("满意度指标", "服务对象满意度指标");
        assert_eq!(t.canonical(&new).level2.code.as_deref(), Some("31"));
        assert!(t.is_in(&old, &["25".to_string()]));
        assert!(!t.is_in(&old, &["3".to_string()]));
    }

    /// Every category of the taxonomy as an indicator may write it (by code and name, by name
    /// alone, by a variant): the level-1 ones and the level-2 ones.
    fn written_categories(t: &Taxonomy) -> (Vec<String>, Vec<String>) {
        let (mut level1s, mut level2s) = (Vec::new(), Vec::new());
        for c in t.categories() {
            level1s.extend([format!("{}-{}", c.code, c.name), c.name.clone()]);
            level1s.extend(c.variants.iter().cloned());
            for s in &c.children {
                level2s.extend([format!("{}-{}", s.code, s.name), s.name.clone()]);
                level2s.extend(s.variants.iter().cloned());
            }
        }
        (level1s, level2s)
    }

    #[test]
    fn assessment_gives_the_categories_and_their_codes_in_one_reading() {
        let t = taxonomy();
        // Every category of the taxonomy, by code and name, by name alone, and some that are
        // not in it, against each other: mismatched, misplaced and unknown ones included.
        let (written1, written2) = written_categories(&t);
        let level1s: Vec<String> = ["9-其他指标", "不存在指标"]
            .map(String::from)
            .into_iter()
            .chain(written1)
            .collect();
        let level2s: Vec<String> = ["99-其他", "不存在"]
            .map(String::from)
            .into_iter()
            .chain(written2)
            .collect();
        let mut cost_under_output = false;
        for l1 in &level1s {
            for l2 in &level2s {
                let ind = indicator(l1, l2);
                let a = t.assess(&ind);
                // Categories that resolve are those the codes name, one under the other.
                if let Ok((level1, level2)) = &a.resolved {
                    assert_eq!(a.codes, [Some(&*level1.code), Some(&*level2.code)]);
                    assert!(level1.children.iter().any(|s| s.code == level2.code));
                }
                // A level-1 code only where level 1 resolves, a level-2 code where it is
                // written or its name is known.
                assert_eq!(a.codes[0].is_some(), t.resolve_level1(&ind.level1).is_ok());
                if ind.level2.code.is_none() {
                    let known = t.subcategories_by_name(&ind.level2.name).next().is_some();
                    assert_eq!(a.codes[1].is_some(), known, "{l1} / {l2}");
                }
                // 成本指标 is in two level-1 categories: the one under the indicator's own.
                if l1 == "产出指标" && l2 == "成本指标" {
                    assert_eq!(a.codes, [Some("1"), Some("14")]);
                    cost_under_output = true;
                }
            }
        }
        assert!(cost_under_output);
    }

    /// An assessor answers as the taxonomy does, whether it assesses a pair of categories
    /// first, finds it kept, or has kept all it may: every pair above, twice over, in one
    /// assessor (more pairs than it keeps).
    #[test]
    fn an_assessor_answers_as_the_taxonomy() {
        let t = taxonomy();
        let (level1s, level2s) = written_categories(&t);
        let names: Vec<String> = ["9-其他指标", "不存在", "成本指标"]
            .map(String::from)
            .into_iter()
            .chain(level1s)
            .chain(level2s)
            .collect();
        assert!(names.len() * names.len() > KEPT_PAIRS, "{}", names.len());
        let read = |a: Assessment| {
            let resolved = a.resolved.map(|(c, s)| (c.code.clone(), s.code.clone()));
            (a.codes.map(|c| c.map(str::to_string)), resolved)
        };
        let mut assessor = t.assessor();
        for pass in 0..2 {
            for l1 in &names {
                for l2 in &names {
                    let ind = indicator(l1, l2);
                    assert_eq!(
                        read(assessor.assess(&ind)),
                        read(t.assess(&ind)),
                        "pass {pass}: {l1} / {l2}"
                    );
                }
            }
        }
        assert_eq!(assessor.kept.len(), KEPT_PAIRS);
        // The scheme signs, of one indicator and of several, as every indicator's codes give
        // them (the written codes spare most assessments).
        let naive = |indicators: &[Indicator]| {
            let codes: Vec<[Option<&str>; 2]> =
                indicators.iter().map(|i| t.assess(i).codes).collect();
            (
                codes
                    .iter()
                    .any(|[_, l2]| l2.is_some_and(|c| OLDER_ONLY.contains(&c))),
                codes
                    .iter()
                    .any(|[l1, _]| l1.is_some_and(|c| CURRENT_ONLY.contains(&c))),
            )
        };
        let mut seen = std::collections::BTreeSet::new();
        for l1 in &names {
            for l2 in &names {
                let one = [indicator(l1, l2)];
                let signs = naive(&one);
                assert_eq!(t.scheme_signs(one.iter()), signs, "{l1} / {l2}");
                assert_eq!(assessor.scheme_signs(one.iter()), signs, "{l1} / {l2}");
                seen.insert(signs);
            }
        }
        assert_eq!(seen.len(), 4, "both signs, each alone, and neither");
        let unit: Vec<Indicator> = names.iter().map(|n| indicator(n, n)).collect();
        assert_eq!(assessor.scheme_signs(unit.iter()), naive(&unit));
    }

    #[test]
    fn codes_resolve_by_code_or_name() {
        let t = taxonomy();
        assert!(t.is_in(&indicator("产出指标", "成本指标"), &["14".to_string()]));
        assert!(t.is_in(
            &indicator("4-成本指标", "41-经济成本指标"),
            &["4".to_string()]
        ));
        assert!(!t.is_in(&indicator("1-产出指标", "11-数量指标"), &["4".to_string()]));
    }
}
