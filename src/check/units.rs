//! Cross-file rules, over every unit of every submission sorted by path: duplicate-unit, and with
//! a roster unknown-unit, budget-mismatch and missing-submission.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use crate::base::form::Form;
use crate::base::issue::{Issue, Place, Rule};
use crate::base::model::{FileStatus, LayoutKind, Submission, Table, Unit};
use crate::base::park::TablesBack;
use crate::base::text::{format_amount, name_key};
use crate::roster::{Roster, RosterEntry};

/// Where a unit is: its unit row, else its first project row.
fn unit_place(sub: &Submission, table: &Table, unit: &Unit) -> Place {
    Place {
        file: sub.display.clone(),
        sheet: table.sheet.clone(),
        row: unit
            .declared
            .as_ref()
            .map(|d| d.row)
            .or_else(|| unit.first_project_row()),
        col: None,
    }
}

/// The projects of per-project units met so far, by unit and project name: where each was
/// first. A large run meets tens of thousands, so they are held compactly: the unit by its
/// number, the file and sheet by the number of their pair.
#[derive(Default)]
struct FirstSeen {
    units: crate::base::FastMap<String, u32>,
    /// (file as displayed, sheet) of each table met, in order.
    origins: Vec<(String, Option<String>)>,
    projects: crate::base::FastMap<(u32, Box<str>), (u32, u32)>,
}

impl FirstSeen {
    fn unit(&mut self, key: &str) -> u32 {
        let next = self.units.len() as u32;
        *self.units.entry(key.to_string()).or_insert(next)
    }

    /// The number of a table's (file, sheet), the tables coming one after another.
    fn origin(&mut self, sub: &Submission, table: &Table) -> u32 {
        let same = self
            .origins
            .last()
            .is_some_and(|(file, sheet)| *file == sub.display && *sheet == table.sheet);
        if !same {
            self.origins
                .push((sub.display.clone(), table.sheet.clone()));
        }
        self.origins.len() as u32 - 1
    }
}

/// duplicate-project across the sheets and files of one unit's per-project forms: a project
/// already met in another sheet or file (within one sheet the per-table rule reports it).
fn repeated_projects(
    sub: &Submission,
    table: &Table,
    unit: &Unit,
    key: &str,
    first_seen: &mut FirstSeen,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    // A streaming consolidation's projects are parked: read back, one unit at a time.
    let projects = match crate::base::park::projects_of(unit) {
        Ok(projects) => projects,
        Err(e) => {
            issues.push(
                Issue::new(
                    Rule::UnreadableFile,
                    unit_place(sub, table, unit),
                    format!("本单位暂存的项目无法读回，未能与其他文件比对重复项目：{e}"),
                )
                .in_unit(&unit.name),
            );
            return issues;
        }
    };
    let unit_id = first_seen.unit(key);
    let origin = first_seen.origin(sub, table);
    for project in projects.iter().filter(|p| !p.name.is_empty()) {
        let id = (
            unit_id,
            name_key(&project.name).into_owned().into_boxed_str(),
        );
        match first_seen.projects.get(&id) {
            Some(&(first_origin, first_row))
                if first_seen.origins[first_origin as usize]
                    != first_seen.origins[origin as usize] =>
            {
                let (file, sheet) = &first_seen.origins[first_origin as usize];
                let at = match sheet {
                    Some(s) => format!("{file} 工作表“{s}”第 {first_row} 行"),
                    None => format!("{file} 第 {first_row} 行"),
                };
                let place = Place {
                    file: sub.display.clone(),
                    sheet: table.sheet.clone(),
                    row: Some(project.row),
                    col: None,
                };
                issues.push(
                    Issue::new(
                        Rule::DuplicateProject,
                        place,
                        format!("项目“{}”已在本单位的 {at}出现", project.name),
                    )
                    .in_unit(&unit.name)
                    .in_project(&project.name),
                );
            }
            Some(_) => {}
            None => {
                first_seen.projects.insert(id, (origin, project.row));
            }
        }
    }
    issues
}

/// The blocks of one unit's per-project forms: their total, where the first is (the file's
/// number and the sheet), and whether any is elsewhere (another file or sheet); only then can
/// a project be repeated across them (duplicate-project), and their projects are compared.
struct Blocks {
    total: rust_decimal::Decimal,
    first: (usize, Option<String>),
    spread: bool,
}

/// The cross-file rules, over every unit in path order:
/// - duplicate-unit: a unit a second time, in another file or the same one; the later
///   occurrence is reported and both stay in the consolidation, so nothing is dropped silently.
///   Per-project forms of one unit are its projects, not duplicates;
/// - with a roster, unknown-unit (not on it) and budget-mismatch (its 预算总额 ≠ the unit's
///   recomputed 总计), for a unit's first occurrence; then missing-submission for every roster
///   unit that no file holds, returned with the issues.
pub fn check_units(
    form: &Form,
    submissions: &mut [Submission],
    roster: Option<&Roster>,
) -> (Vec<Issue>, Vec<RosterEntry>) {
    let total_field = form.total_field();
    // A per-project form holds one project: the blocks of one unit, in any number of sheets or
    // files, make that unit together, and its total is theirs.
    let mut blocks: HashMap<String, Blocks> = HashMap::new();
    for (i, sub) in submissions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.status != FileStatus::Duplicate)
    {
        let tables = sub.tables_or_none();
        for table in tables.iter().filter(|t| t.layout == LayoutKind::Project) {
            for unit in &table.units {
                let total = unit.total(total_field);
                match blocks.entry(name_key(&unit.name).into_owned()) {
                    Entry::Occupied(mut b) => {
                        let b = b.get_mut();
                        b.total += total;
                        b.spread |= b.first.0 != i || b.first.1 != table.sheet;
                    }
                    Entry::Vacant(b) => {
                        b.insert(Blocks {
                            total,
                            first: (i, table.sheet.clone()),
                            spread: false,
                        });
                    }
                }
            }
        }
    }
    let mut seen: HashMap<String, (Place, LayoutKind)> = HashMap::new();
    // The projects of per-project units met so far, by unit and project name: where first.
    let mut block_projects = FirstSeen::default();
    for sub in submissions.iter_mut() {
        if sub.status == FileStatus::Duplicate {
            continue;
        }
        let mut found = Vec::new();
        let tables = sub.tables_or_none();
        for table in tables.iter() {
            for unit in &table.units {
                let place = unit_place(sub, table, unit);
                let key = name_key(&unit.name).into_owned();
                let first = seen.get(&key);
                // More blocks of a per-project unit already met are more of its projects, not
                // a second unit.
                let more_blocks = first.is_some_and(|(_, layout)| {
                    *layout == LayoutKind::Project && table.layout == LayoutKind::Project
                });
                // A per-project unit's projects are compared across its blocks (one sent twice
                // is a duplicate project) only where the blocks are in more than one file or
                // sheet. The others' parked projects are not read back here: 汇总表 reads every
                // unit's back, and one that cannot be read stops the run there with its error.
                if (first.is_none() || more_blocks)
                    && table.layout == LayoutKind::Project
                    && blocks.get(&key).is_some_and(|b| b.spread)
                {
                    found.extend(repeated_projects(
                        sub,
                        table,
                        unit,
                        &key,
                        &mut block_projects,
                    ));
                }
                if more_blocks {
                    continue;
                }
                if let Some((first, _)) = first {
                    let at = first.row.map(|r| format!("第 {r} 行")).unwrap_or_default();
                    found.push(
                        Issue::new(
                            Rule::DuplicateUnit,
                            place,
                            format!(
                                "单位“{}”已在 {} {at}出现；两份都计入汇总，请删除其中一份",
                                unit.name, first.file
                            ),
                        )
                        .in_unit(&unit.name),
                    );
                    continue;
                }
                seen.insert(key.clone(), (place.clone(), table.layout));
                let Some(roster) = roster else { continue };
                match roster.find(&unit.name) {
                    None => found.push(
                        Issue::new(
                            Rule::UnknownUnit,
                            place,
                            format!("单位“{}”不在名册 {} 中", unit.name, roster.display),
                        )
                        .in_unit(&unit.name),
                    ),
                    Some(entry) => {
                        let total = match table.layout {
                            LayoutKind::Project => {
                                blocks.get(&key).map(|b| b.total).unwrap_or_default()
                            }
                            _ => unit.total(total_field),
                        };
                        if let Some(budget) = entry.budget.filter(|b| *b != total) {
                            found.push(
                                Issue::new(
                                    Rule::BudgetMismatch,
                                    place,
                                    format!(
                                        "名册预算总额 {} ≠ 报送总计 {}（差 {}）",
                                        format_amount(budget),
                                        format_amount(total),
                                        format_amount(budget - total)
                                    ),
                                )
                                .in_unit(&unit.name),
                            );
                        }
                    }
                }
            }
        }
        drop(tables);
        if !found.is_empty() {
            sub.issues.extend(found);
            if sub.status == FileStatus::Ok {
                sub.status = FileStatus::of(&sub.issues);
            }
        }
    }
    let Some(roster) = roster else {
        return (Vec::new(), Vec::new());
    };
    let missing: Vec<RosterEntry> = roster
        .entries
        .iter()
        .filter(|e| !seen.contains_key(name_key(&e.name).as_ref()))
        .cloned()
        .collect();
    let issues = missing
        .iter()
        .map(|e| {
            Issue::new(
                Rule::MissingSubmission,
                e.place.clone(),
                format!("名册中的单位“{}”没有报送", e.name),
            )
            .in_unit(&e.name)
        })
        .collect();
    (issues, missing)
}
