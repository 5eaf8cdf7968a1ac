//! Excel's limits: a cell holds 32,767 characters, a sheet 1,048,576 rows.

mod common;

use common::*;
use jixiao::base::form::Form;
use jixiao::base::park::TablesBack;
use jixiao::{consolidate, discover, process, write};

#[test]
fn a_cell_longer_than_excel_allows_is_cut_with_an_issue() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("长目标.csv");
    let goal = "保障".repeat(20_000);
    let indicators = "1、1-产出指标；11-数量指标；场次；实施周期指标值:≥2场；年度指标值:≥2场。2、2-效益指标；22-社会效益；知晓率；实施周期指标值:≥80%；年度指标值:≥80%。3、3-满意度指标；31-服务对象满意度；满意度；实施周期指标值:≥90%；年度指标值:≥90%。4、4-成本指标；41-经济成本指标；单场成本；实施周期指标值:≤2万元；年度指标值:≤2万元。";
    std::fs::write(
        &input,
        format!(
            "单位名称：示例单位坤\n单位：万元\n项目名称,总计,财政拨款,财政专户拨款,其他资金,绩效目标,绩效指标\n宣传经费,4.00,4.00,,,{goal},{indicators}\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("out.xlsx");
    let run = jixiao(&[
        "consolidate",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(
        status(&run),
        0,
        "a warning, not an error: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (_, report) = check_json(&[&input]);
    assert_eq!(
        issue_list(&report),
        [(
            "text-too-long".to_string(),
            "长目标.csv".to_string(),
            "F4".to_string()
        )]
    );
    let rows = read_sheet(&out, "汇总表");
    let cut = text(&rows[5][5]);
    assert_eq!(cut.chars().count(), 32_767);
    assert!(goal.starts_with(&cut));
}

/// The files processed into `streaming` as `consolidate` does it: prepared on the worker
/// threads (rows, digest, projects and infos parked), written in order by the writer.
fn stream(
    form: &Form,
    discovery: &discover::Discovery,
    streaming: &mut write::workbook::StreamingWorkbook,
) -> Vec<jixiao::base::model::Submission> {
    let progress = process::Progress::new(discovery.sources.len() as u64, true);
    let preparer = streaming.preparer();
    process::process_streaming(
        &discovery.sources,
        form,
        2,
        &progress,
        |sub| preparer.prepare(form, sub),
        |_, prepared| streaming.add_prepared(prepared),
    )
    .unwrap()
}

#[test]
fn indicator_detail_continues_on_a_new_sheet_past_the_row_limit() {
    let form = Form::default_form();
    let discovery = discover::discover(&[root().join("samples")]).unwrap();
    let submissions = process::process_all(&discovery.sources, &form, 2, true);
    let c = consolidate::consolidate(&form, submissions, &discovery, None);
    let indicators = c.summary.indicators;
    assert_eq!(indicators, 274);
    // 100 rows a sheet (header included): 99 indicators each.
    let mut workbook = write::workbook::build_workbook_with_limit(&form, &c, 100).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("limit.xlsx");
    write::save_workbook_atomically(&path, &mut workbook).unwrap();
    // Streamed: 指标明细 written as the files are processed, their indicators then dropped; the
    // same workbook, cell for cell, and the same report.
    let mut streaming =
        write::workbook::StreamingWorkbook::with_limit(100, write::workbook::DetailTarget::Sheets)
            .unwrap();
    let streamed = stream(&form, &discovery, &mut streaming);
    // A file whose projects are all parked has its tables parked too; read back, they are as
    // they were.
    assert!(streamed.iter().any(|s| s.parked_tables.is_some()));
    assert!(streamed
        .iter()
        .filter(|s| s.parked_tables.is_some())
        .all(|s| s.tables.is_empty()));
    let tables: Vec<_> = streamed
        .iter()
        .map(|s| s.tables_back().unwrap().into_owned())
        .collect();
    assert!(tables
        .iter()
        .flatten()
        .flat_map(|t| &t.units)
        .flat_map(|u| &u.projects)
        .all(|p| p.indicators.is_empty() && p.digest.is_some()));
    // The list layouts' projects are parked on disk, the per-project forms' held (their units
    // are merged across files).
    let parked = |parked: bool| {
        tables
            .iter()
            .flatten()
            .flat_map(|t| t.units.iter().map(move |u| (t.layout, u)))
            .filter(|(_, u)| u.parked.is_some() == parked)
            .map(|(layout, _)| layout)
            .collect::<Vec<_>>()
    };
    assert!(parked(true).contains(&jixiao::base::model::LayoutKind::Wide));
    assert!(!parked(true).contains(&jixiao::base::model::LayoutKind::Project));
    // And the files' infos are parked (the samples have some).
    assert!(c.summary.infos > 0);
    assert!(streamed.iter().any(|s| s.parked_issues.is_some()));
    let streamed = consolidate::consolidate(&form, streamed, &discovery, None);
    assert_eq!(streamed.summary, c.summary);
    assert_eq!(
        write::json::render_json(&form, &streamed).unwrap(),
        write::json::render_json(&form, &c).unwrap()
    );
    let mut workbook = streaming.finish(&form, &streamed).unwrap();
    let streamed_path = dir.path().join("streamed.xlsx");
    write::save_workbook_atomically(&streamed_path, &mut workbook).unwrap();
    for sheet in [
        "汇总表",
        "指标明细",
        "指标明细2",
        "指标明细3",
        "问题清单",
        "报送情况",
        "统计",
    ] {
        assert_eq!(
            read_sheet(&streamed_path, sheet),
            read_sheet(&path, sheet),
            "{sheet}"
        );
    }
    let sheets = ["指标明细", "指标明细2", "指标明细3"];
    let mut total = 0;
    for (i, name) in sheets.iter().enumerate() {
        let rows = read_sheet(&path, name);
        assert_eq!(text(&rows[0][5]), "三级指标", "{name} has its header");
        let data = rows.len() - 1;
        assert_eq!(data, if i < 2 { 99 } else { indicators - 198 }, "{name}");
        total += data;
    }
    assert_eq!(total, indicators);
    let book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    use calamine::Reader;
    assert!(!book.sheet_names().contains(&"指标明细4".to_string()));
}

/// `--detail csv`: 指标明细 goes to a CSV beside the workbook, row for row what the sheet would
/// hold (numbers exact), and the workbook's 指标明细 says where it is; the other sheets are as
/// without the option.
#[test]
fn indicator_detail_as_a_csv_beside_the_workbook() {
    let samples = root().join("samples");
    let (_keep, sheet_out, run) = consolidate_to_temp(&samples, &[]);
    assert_eq!(status(&run), 1);
    let (dir, csv_out, run) = consolidate_to_temp(&samples, &["--detail", "csv"]);
    assert_eq!(status(&run), 1, "{}", String::from_utf8_lossy(&run.stderr));
    let csv_path = dir.path().join("out_指标明细.csv");
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a BOM for Excel and WPS"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let sheet = read_sheet(&sheet_out, "指标明细");
    assert_eq!(records.len(), sheet.len());
    assert_eq!(records.len(), 275, "274 indicators and the header");
    for (record, row) in records.iter().zip(&sheet) {
        assert_eq!(record.len(), 16);
        for (field, cell) in record.iter().zip(row) {
            match cell {
                calamine::Data::Float(f) => {
                    assert_eq!(field.parse::<f64>().unwrap(), *f, "{record:?}")
                }
                other => assert_eq!(field, text(other), "{record:?}"),
            }
        }
    }
    let note = read_sheet(&csv_out, "指标明细");
    assert_eq!(text(&note[0][0]), "说明");
    assert_eq!(
        text(&note[1][0]),
        "指标明细共 274 行，另存为本工作簿旁的 CSV 文件：out_指标明细.csv"
    );
    for name in ["汇总表", "问题清单", "报送情况", "统计"] {
        assert_eq!(
            read_sheet(&csv_out, name),
            read_sheet(&sheet_out, name),
            "{name}"
        );
    }
}

/// The workbook and JSON of a streamed run, whose projects and infos are parked on disk and read
/// back at the end (`base::park`), against a run that holds everything: per-project forms of
/// one unit in several files (merged into one unit, duplicate-project across files read from
/// the parked projects), real per-project forms, and a roster's cross-file issues among the
/// parked infos, with and without a filter.
#[test]
fn a_streamed_run_gives_back_its_parked_projects_and_infos_as_a_held_run_has_them() {
    let form = Form::default_form();
    let dir = tempfile::tempdir().unwrap();
    // Every input in one folder, so that their path order (which decides the first occurrence
    // of a unit) does not depend on where the repository or the temporary folder lives: the
    // per-project forms come first, so the samples' list units are the duplicates and the
    // forms of one unit in two files give duplicate-project.
    let forms = dir.path().join("a-forms");
    let run = jixiao(&[
        "forms",
        "samples",
        "-o",
        forms.to_str().unwrap(),
        "--layout",
        "project",
    ]);
    assert!(forms.join("示例单位甲.xlsx").exists(), "{run:?}");
    let copy = |from: &str, to: &str| {
        let to = dir.path().join(to);
        std::fs::create_dir(&to).unwrap();
        for entry in std::fs::read_dir(root().join(from)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
        to
    };
    let inputs = [
        copy("samples", "b-samples"),
        forms.clone(),
        copy("tests/fixtures/project", "c-project"),
    ];
    let discovery = discover::discover(&inputs).unwrap();
    let roster =
        jixiao::roster::load_roster(&root().join("tests/fixtures/roster/roster.csv"), &form)
            .unwrap();
    let held = consolidate::consolidate(
        &form,
        process::process_all(&discovery.sources, &form, 2, true),
        &discovery,
        Some(&roster),
    );
    let mut streaming =
        write::workbook::StreamingWorkbook::new(write::workbook::DetailTarget::Sheets).unwrap();
    let streamed = stream(&form, &discovery, &mut streaming);
    let tables: Vec<_> = streamed
        .iter()
        .map(|s| s.tables_back().unwrap().into_owned())
        .collect();
    let parked_layouts: Vec<_> = tables
        .iter()
        .flatten()
        .filter(|t| t.units.iter().any(|u| u.parked.is_some()))
        .map(|t| t.layout)
        .collect();
    assert!(parked_layouts.contains(&jixiao::base::model::LayoutKind::Project));
    assert!(tables
        .iter()
        .flatten()
        .flat_map(|t| &t.units)
        .all(|u| u.projects.is_empty()));
    // Every file read has its tables parked, once all its projects are.
    assert!(streamed
        .iter()
        .filter(|s| s.status != jixiao::base::model::FileStatus::Failed)
        .filter(|s| s.status != jixiao::base::model::FileStatus::Skipped)
        .all(|s| s.parked_tables.is_some() || s.tables.is_empty()));
    let streamed = consolidate::consolidate(&form, streamed, &discovery, Some(&roster));
    // The units the whole-run sheets are written from, kept on disk one by one, read back as
    // the held run's consolidated units: the per-project forms of one unit merged across files
    // (duplicate-project below needs them spread), each with the file of its first part.
    {
        use jixiao::consolidate::UnitSource;
        let spill = jixiao::base::spill::Spill::new().unwrap();
        let kept =
            consolidate::ParkedUnits::new(&streamed.files, streamed.summary.units, &spill).unwrap();
        let held_units = consolidate::consolidated_units(&held.files).unwrap();
        assert_eq!(kept.count(), held_units.len());
        let back = kept.units(0..kept.count()).unwrap();
        let total = form.total_field().unwrap();
        for (b, h) in back.iter().zip(&held_units) {
            assert_eq!(b.name, h.name);
            assert_eq!(b.department, h.department);
            assert_eq!(
                (b.project_count(), b.indicator_count()),
                (h.project_count(), h.indicator_count())
            );
            assert_eq!(b.column_sum(total), h.column_sum(total));
            let names = |u: &jixiao::base::model::Unit| -> Vec<String> {
                jixiao::base::park::projects_of(u)
                    .unwrap()
                    .iter()
                    .map(|p| p.name.clone())
                    .collect()
            };
            assert_eq!(names(b), names(h));
        }
        assert!(back.iter().any(|u| u.project_count() > 1));
        let mut first = Vec::new();
        consolidate::group_units(&held.files, |joins, sub, _, _| {
            if joins.is_none() {
                first.push(sub.display.clone());
            }
            Ok(())
        })
        .unwrap();
        let kept_first: Vec<String> = kept.first_files.iter().map(|s| s.display.clone()).collect();
        assert_eq!(kept_first, first);
    }
    for rule in [
        "duplicate-project",
        "missing-submission",
        "missing-cost-indicator",
    ] {
        let rule = jixiao::base::issue::Rule::from_code(rule).unwrap();
        assert!(
            held.summary.by_rule.get(&rule).is_some_and(|n| *n > 0),
            "{rule:?}"
        );
    }
    assert_eq!(streamed.summary, held.summary);
    assert_eq!(
        write::json::render_json(&form, &streamed).unwrap(),
        write::json::render_json(&form, &held).unwrap()
    );
    let paths = [
        dir.path().join("held.xlsx"),
        dir.path().join("streamed.xlsx"),
    ];
    let mut workbook = write::workbook::build_workbook(&form, &held).unwrap();
    write::save_workbook_atomically(&paths[0], &mut workbook).unwrap();
    let mut workbook = streaming.finish(&form, &streamed).unwrap();
    write::save_workbook_atomically(&paths[1], &mut workbook).unwrap();
    for sheet in ["汇总表", "指标明细", "问题清单", "报送情况", "统计"] {
        assert_eq!(
            read_sheet(&paths[1], sheet),
            read_sheet(&paths[0], sheet),
            "{sheet}"
        );
    }
    // The marked faults of 汇总表 (its notes) too.
    let notes = |path: &std::path::Path| {
        let file = std::fs::File::open(path).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/comments1.xml").unwrap(), &mut text)
            .unwrap();
        text
    };
    assert_eq!(notes(&paths[1]), notes(&paths[0]));
    // Listed through a filter: only infos of one rule and the errors.
    let filter = jixiao::base::issue::IssueFilter {
        severity: jixiao::base::issue::Severity::Info,
        rules: vec![
            jixiao::base::issue::Rule::from_code("missing-cost-indicator").unwrap(),
            jixiao::base::issue::Rule::from_code("duplicate-project").unwrap(),
        ],
    };
    let (mut held, mut streamed) = (held, streamed);
    held.retain(filter.clone());
    streamed.retain(filter);
    assert_eq!(
        write::json::render_json(&form, &streamed).unwrap(),
        write::json::render_json(&form, &held).unwrap()
    );
}

// `check` keeps of each file only the counts and scheme signs of its indicators, and of a list
// layout's units only their projects' counts and sums: its three reports are those of a run
// that holds everything, over every layout of the samples and the fixtures (with a roster, whose
// issues follow the files'), and nothing of the indicators is left in memory.
#[test]
fn a_check_that_keeps_only_the_counts_reports_what_a_held_run_reports() {
    use jixiao::base::model::{LayoutKind, Table, Unit};
    use jixiao::process::{process_with, Keep, Progress};
    let form = Form::default_form();
    let inputs: Vec<_> = [
        "samples",
        "tests/fixtures/project",
        "tests/fixtures/layouts",
    ]
    .iter()
    .map(|d| root().join(d))
    .collect();
    let discovery = discover::discover(&inputs).unwrap();
    let roster =
        jixiao::roster::load_roster(&root().join("tests/fixtures/roster/roster.csv"), &form)
            .unwrap();
    let run = |keep| {
        let progress = Progress::new(discovery.sources.len() as u64, true);
        let files = process_with(&discovery.sources, &form, 2, &progress, keep);
        consolidate::consolidate(&form, files, &discovery, Some(&roster))
    };
    let (held, counted) = (run(Keep::All), run(Keep::Counts));
    let units = |c: &consolidate::Consolidation| -> Vec<(Table, Unit)> {
        c.files
            .iter()
            .flat_map(|f| f.tables.iter())
            .flat_map(|t| t.units.iter().map(move |u| (t.clone(), u.clone())))
            .collect()
    };
    let (all, kept) = (units(&held), units(&counted));
    let projects =
        |units: &[(Table, Unit)]| -> usize { units.iter().map(|(_, u)| u.project_count()).sum() };
    let indicators: usize = all
        .iter()
        .flat_map(|(_, u)| &u.projects)
        .map(|p| p.indicators.len())
        .sum();
    assert!(indicators > 300);
    assert!(all
        .iter()
        .flat_map(|(_, u)| &u.projects)
        .any(|p| !p.goal.is_empty() && !p.funding.is_empty()));
    assert_eq!(all.len(), kept.len());
    assert_eq!(projects(&all), projects(&kept));
    let (mut listed, mut per_project) = (0, 0);
    for ((_, a), (table, k)) in all.iter().zip(&kept) {
        assert_eq!(k.project_count(), a.project_count(), "{}", a.name);
        assert_eq!(k.indicator_count(), a.indicator_count(), "{}", a.name);
        for field in form.amount_fields() {
            assert_eq!(k.column_sum(field), a.column_sum(field), "{}", a.name);
        }
        if table.layout == LayoutKind::Project {
            // duplicate-project compares them across files: kept, digested.
            per_project += k.projects.len();
            assert_eq!(k.projects.len(), a.projects.len());
        } else {
            // Only counted: nothing held, nothing to read back.
            listed += a.projects.len();
            assert!(k.projects.is_empty());
            assert!(k.parked.as_ref().is_none_or(|p| p.parts.is_empty()));
        }
        for (p, h) in k.projects.iter().zip(&a.projects) {
            let digest = p.digest.as_ref().expect("every project digested");
            assert_eq!(digest.count, h.indicators.len(), "{}", h.name);
            assert!(digest.texts.is_none());
            assert!(p.indicators.is_empty() && p.goal.is_empty() && p.funding.is_empty());
            assert!(p.indicator_text.is_empty() && p.goal_period.is_empty());
        }
    }
    assert!(listed > 0 && per_project > 0, "{listed} {per_project}");
    assert_eq!(
        write::json::render_json(&form, &counted).unwrap(),
        write::json::render_json(&form, &held).unwrap()
    );
    assert_eq!(
        write::text::render_text(&form, &counted),
        write::text::render_text(&form, &held)
    );
    assert_eq!(
        write::csv::render_csv(&counted).unwrap(),
        write::csv::render_csv(&held).unwrap()
    );
}
