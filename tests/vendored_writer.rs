//! The patched rust_xlsxwriter (vendor/rust_xlsxwriter, see its PATCHED.md): a constant-memory
//! worksheet forgets the options of the rows it has written out and keeps their heights alone.
//! Nothing it writes may change: the rows' heights, and the notes' boxes, whose place is worked
//! out from the heights of the rows above them when the workbook is saved, come out as a sheet
//! kept wholly in memory gives them.

use std::io::Read;

use rust_xlsxwriter::{Chart, ChartRange, ChartType, Format, Note, Workbook, Worksheet};

/// Rows of varied heights, one of them formatted (kept whole by the patch), with notes spread
/// down the sheet, written in row order as a constant-memory sheet requires.
fn fill(ws: &mut Worksheet) {
    let bold = Format::new().set_bold();
    for row in 0..300u32 {
        ws.write_string(row, 0, format!("第{row}行")).unwrap();
        ws.write_number(row, 1, f64::from(row)).unwrap();
        if row % 7 != 3 {
            ws.set_row_height(row, 15.0 + f64::from(row % 11) * 14.5)
                .unwrap();
        }
        if row == 150 {
            ws.set_row_format(row, &bold).unwrap();
        }
        if row % 40 == 5 {
            ws.insert_note(row, 2, &Note::new(format!("批注 {row}\n第二行\n第三行")))
                .unwrap();
        }
    }
}

/// The saved workbook's parts that carry the heights and the notes' places.
fn parts(constant_memory: bool) -> (String, String) {
    let mut workbook = Workbook::new();
    let ws = if constant_memory {
        workbook.add_worksheet_with_constant_memory().unwrap()
    } else {
        workbook.add_worksheet()
    };
    fill(ws);
    let bytes = workbook.save_to_buffer().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    (
        read("xl/worksheets/sheet1.xml"),
        read("xl/drawings/vmlDrawing1.vml"),
    )
}

/// The value of a tag's attribute (`name` with its ` ` before and `="` after).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let value = &tag[tag.find(name)? + name.len()..];
    Some(&value[..value.find('"')?])
}

/// Every row's number and height (`ht`, when set) and whether it is formatted, in order, as
/// the sheet's `<row …>` tags give them. A constant-memory sheet (with or without the patch)
/// repeats its last row's tag, empty, after it: the repetition is left out.
fn rows(sheet: &str) -> Vec<(u32, Option<&str>, bool)> {
    let mut rows: Vec<(u32, Option<&str>, bool)> = sheet
        .match_indices("<row ")
        .map(|(i, _)| &sheet[i..i + sheet[i..].find('>').unwrap()])
        .map(|tag| {
            let r = attr(tag, " r=\"").unwrap().parse().unwrap();
            (r, attr(tag, " ht=\""), tag.contains("customFormat=\"1\""))
        })
        .collect();
    rows.dedup_by_key(|row| row.0);
    rows
}

#[test]
fn a_constant_memory_sheet_keeps_the_heights_of_the_rows_it_has_written() {
    let (streamed, streamed_vml) = parts(true);
    let (in_memory, in_memory_vml) = parts(false);
    let (streamed_rows, in_memory_rows) = (rows(&streamed), rows(&in_memory));
    assert_eq!(streamed_rows.len(), 300);
    assert_eq!(streamed_rows, in_memory_rows);
    assert_eq!(streamed_rows[9], (10, Some("145.5"), false));
    assert_eq!(streamed_rows[3], (4, None, false));
    assert!(streamed_rows[150].2);
    // The notes' boxes: placed from the heights of the rows above, which the streamed sheet
    // had written out (and, with the patch, forgotten all but their heights) long before.
    let anchors = |vml: &str| -> Vec<String> {
        vml.split("<x:Anchor>")
            .skip(1)
            .map(|s| s[..s.find('<').unwrap()].trim().to_string())
            .collect()
    };
    assert_eq!(anchors(&streamed_vml).len(), 8);
    assert_eq!(anchors(&streamed_vml), anchors(&in_memory_vml));
    let margins = |vml: &str| -> Vec<String> {
        vml.match_indices("margin-top:")
            .map(|(i, _)| vml[i..i + vml[i..].find(';').unwrap()].to_string())
            .collect()
    };
    assert_eq!(margins(&streamed_vml), margins(&in_memory_vml));
}

/// Every part of a saved workbook, in the package's order, with its uncompressed bytes.
fn unzipped(bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            part.read_to_end(&mut data).unwrap();
            (part.name().unwrap().to_string(), data)
        })
        .collect()
}

/// Each part's compressed bytes as stored, in the package's order.
fn stored(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index_raw(i).unwrap();
            let mut data = Vec::new();
            part.read_to_end(&mut data).unwrap();
            (part.name().unwrap().to_string(), data)
        })
        .collect()
}

/// A workbook like jixiao's: constant-memory sheets (one with notes and heights, one large,
/// one left empty) around a sheet kept in memory, saved with or without the parallel save,
/// and with or without the rows deflated as they are written.
fn saved(parallel: bool, streamed: bool) -> Vec<u8> {
    saved_ended(parallel, streamed, false)
}

/// [`saved`], with the constant-memory sheets' rows ended (`end_rows`) as each is complete
/// when `ended`.
fn saved_ended(parallel: bool, streamed: bool, ended: bool) -> Vec<u8> {
    let end = |ws: &mut Worksheet| {
        if ended {
            ws.end_rows().unwrap();
        }
    };
    let mut workbook = Workbook::new();
    workbook.set_parallel_save(parallel);
    workbook.set_streamed_compression(streamed);
    let noted = workbook.add_worksheet_with_constant_memory().unwrap();
    fill(noted);
    end(noted);
    let large = workbook.add_worksheet_with_constant_memory().unwrap();
    for row in 0..20_000u32 {
        large.write_string(row, 0, format!("指标{row}")).unwrap();
        large.write_number(row, 1, f64::from(row) * 1.5).unwrap();
    }
    end(large);
    workbook.add_worksheet().write_string(0, 0, "统计").unwrap();
    let last = workbook.add_worksheet_with_constant_memory().unwrap();
    last.write_string(0, 0, "最后").unwrap();
    end(last);
    end(workbook.add_worksheet_with_constant_memory().unwrap());
    workbook.save_to_buffer().unwrap()
}

/// Rows ended before the save (`end_rows`, jixiao's 指标明细 once a sheet is full) give the
/// same parts as rows the save ends, whichever save, byte for byte once uncompressed.
#[test]
fn rows_ended_before_the_save_give_the_same_parts() {
    let serial = unzipped(saved(false, false));
    for (parallel, streamed) in [(false, false), (true, false), (true, true), (false, true)] {
        let ended = unzipped(saved_ended(parallel, streamed, true));
        assert_eq!(ended.len(), serial.len());
        for ((name, a), (other, b)) in ended.iter().zip(&serial) {
            assert_eq!(name, other);
            if name != "docProps/core.xml" {
                assert!(
                    a == b,
                    "{name} differs (parallel {parallel}, streamed {streamed})"
                );
            }
        }
    }
}

/// A cell written after the rows of a deflated sheet were ended fails the save with an error,
/// not a panic, and is not silently lost.
#[test]
fn a_cell_written_after_the_rows_ended_fails_the_save() {
    let mut workbook = Workbook::new();
    workbook.set_streamed_compression(true);
    let ws = workbook.add_worksheet_with_constant_memory().unwrap();
    ws.write_string(0, 0, "第一行").unwrap();
    ws.end_rows().unwrap();
    ws.write_string(1, 0, "迟到的一行").unwrap();
    assert!(workbook.save_to_buffer().is_err());
}

/// The parallel save, and the rows deflated as written (copied in raw by the parallel save,
/// inflated and compressed again by the serial one), give the published serial save's parts,
/// in its order, byte for byte once uncompressed.
#[test]
fn the_parallel_and_streamed_saves_write_the_same_parts_in_the_same_order() {
    let serial = saved(false, false);
    let parts = unzipped(serial.clone());
    let names = |parts: &[(String, Vec<u8>)]| -> Vec<String> {
        parts.iter().map(|(n, _)| n.clone()).collect()
    };
    assert!(names(&parts).contains(&"xl/worksheets/sheet5.xml".to_string()));
    let large = &parts
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet2.xml")
        .unwrap()
        .1;
    assert!(String::from_utf8_lossy(large).contains("指标19999"));
    for (parallel, streamed) in [(true, false), (true, true), (false, true)] {
        let other = saved(parallel, streamed);
        let other_parts = unzipped(other.clone());
        assert_eq!(names(&other_parts), names(&parts));
        for ((name, a), (_, b)) in other_parts.iter().zip(&parts) {
            if name != "docProps/core.xml" {
                assert!(
                    a == b,
                    "{name} differs (parallel {parallel}, streamed {streamed})"
                );
            }
        }
        // Which path was taken shows in the stored bytes of the large sheet. Rows deflated as
        // they were written are copied in as they are, after the sheet's start deflated apart
        // and ended by a sync flush (an empty stored block, 00 00 FF FF); the zip writer's own
        // compression of a whole part has none. The serial save compresses such rows again.
        let flushed = |bytes: &[u8]| {
            stored(bytes)
                .into_iter()
                .find(|(n, _)| n == "xl/worksheets/sheet2.xml")
                .unwrap()
                .1
                .windows(4)
                .any(|w| w == [0, 0, 0xff, 0xff])
        };
        assert!(!flushed(&serial));
        assert_eq!(
            flushed(&other),
            parallel && streamed,
            "parallel {parallel}, streamed {streamed}"
        );
    }
}

/// The parallel save compresses into temporary files of its own: with its temporary folder
/// gone by the save, it fails with an error (no panic) where the serial save, which needs no
/// new file, succeeds. This is also what shows that the parallel path is the one taken.
#[test]
fn the_parallel_save_reports_a_temporary_folder_gone() {
    for parallel in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let mut workbook = Workbook::new();
        workbook.set_tempdir(dir.path()).unwrap();
        workbook.set_parallel_save(parallel);
        fill(workbook.add_worksheet_with_constant_memory().unwrap());
        std::fs::remove_dir(dir.path()).unwrap();
        let saved = workbook.save_to_buffer();
        assert_eq!(saved.is_err(), parallel, "parallel: {parallel}");
    }
}

/// A sheet named 统计, kept in memory or in constant memory.
fn statistics_sheet(workbook: &mut Workbook, constant_memory: bool) -> &mut Worksheet {
    let ws = if constant_memory {
        workbook.add_worksheet_with_constant_memory().unwrap()
    } else {
        workbook.add_worksheet()
    };
    ws.set_name("统计").unwrap();
    ws
}

/// Puts a chart of one series over `categories` and `values` on the first sheet at `col`,
/// saves, and returns the chart's part.
fn chart_xml(
    mut workbook: Workbook,
    kind: ChartType,
    categories: &ChartRange,
    values: &ChartRange,
    col: u16,
) -> String {
    let mut chart = Chart::new(kind);
    chart
        .add_series()
        .set_categories(categories)
        .set_values(values);
    workbook
        .worksheet_from_index(0)
        .unwrap()
        .insert_chart(0, col, &chart)
        .unwrap();
    let parts = unzipped(workbook.save_to_buffer().unwrap());
    let part = parts.into_iter().find(|(n, _)| n == "xl/charts/chart1.xml");
    String::from_utf8(part.expect("a chart part").1).unwrap()
}

/// A table of unit names (one blank) and amounts with a bar chart over it, in a sheet kept in
/// memory (the save reads the chart's cached values from its cells) or in constant memory
/// (its cells are on disk by then), with the caches given or not. Returns the chart's part.
fn chart_part(constant_memory: bool, give_caches: bool) -> String {
    let names = ["甲单位", "", "丙单位（二）", "丁 & <戊>"];
    let amounts = [1234.5, 0.1 + 0.2, -3.0, 1e-7];
    let mut workbook = Workbook::new();
    let ws = statistics_sheet(&mut workbook, constant_memory);
    ws.write_string(0, 0, "单位").unwrap();
    ws.write_string(0, 1, "总计").unwrap();
    for (i, (name, amount)) in names.iter().zip(amounts).enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, *name).unwrap();
        ws.write_number(row, 1, amount).unwrap();
    }
    let mut categories = ChartRange::new_from_range("统计", 1, 0, 4, 0);
    let mut values = ChartRange::new_from_range("统计", 1, 1, 4, 1);
    if give_caches {
        categories.set_string_cache(&names);
        values.set_number_cache(&amounts);
    }
    chart_xml(workbook, ChartType::Bar, &categories, &values, 3)
}

/// A constant-memory sheet's chart given its caches (`ChartRange::set_string_cache`,
/// `set_number_cache`: patch 4) comes out as the same chart in a sheet kept in memory, whose
/// caches the save reads from the cells; without them its caches would be empty.
#[test]
fn a_chart_given_its_caches_is_the_chart_read_from_the_cells() {
    let in_memory = chart_part(false, false);
    assert!(in_memory.contains("<c:v>甲单位</c:v>"), "{in_memory}");
    assert!(in_memory.contains("<c:v>1234.5</c:v>"), "{in_memory}");
    assert_eq!(chart_part(true, true), in_memory);
    // Given caches are kept even where the cells are there to read.
    assert_eq!(chart_part(false, true), in_memory);
    let without = chart_part(true, false);
    assert_ne!(without, in_memory);
    assert!(!without.contains("甲单位"), "{without}");
}

/// The notes are lent to the save's comment and drawing parts and given back (patch 4): a
/// workbook saved twice writes the same notes both times.
#[test]
fn notes_are_the_same_on_a_second_save() {
    let mut workbook = Workbook::new();
    fill(workbook.add_worksheet_with_constant_memory().unwrap());
    let part = |parts: Vec<(String, Vec<u8>)>, name: &str| {
        parts
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, data)| String::from_utf8(data).unwrap())
            .expect(name)
    };
    let first = unzipped(workbook.save_to_buffer().unwrap());
    let second = unzipped(workbook.save_to_buffer().unwrap());
    let comments = part(first.clone(), "xl/comments1.xml");
    assert_eq!(comments.matches("<comment ").count(), 8, "{comments}");
    assert!(comments.contains("批注 285"), "{comments}");
    assert_eq!(part(second.clone(), "xl/comments1.xml"), comments);
    assert_eq!(
        part(second, "xl/drawings/vmlDrawing1.vml"),
        part(first, "xl/drawings/vmlDrawing1.vml")
    );
}

/// A chart over two columns of labels (a multi-level category axis), in memory with its caches
/// read from the cells, and in constant memory with them given row by row: the same chart.
#[test]
fn a_two_level_category_cache_given_is_the_one_read_from_the_cells() {
    let labels = [
        ["一级甲", "二级一"],
        ["一级甲", "二级二"],
        ["一级乙", "二级三"],
    ];
    let chart = |constant_memory: bool| -> String {
        let mut workbook = Workbook::new();
        let ws = statistics_sheet(&mut workbook, constant_memory);
        for (r, [l1, l2]) in labels.iter().enumerate() {
            ws.write_string(r as u32, 0, *l1).unwrap();
            ws.write_string(r as u32, 1, *l2).unwrap();
            ws.write_number(r as u32, 2, r as f64 + 1.0).unwrap();
        }
        let mut categories = ChartRange::new_from_range("统计", 0, 0, 2, 1);
        let mut values = ChartRange::new_from_range("统计", 0, 2, 2, 2);
        if constant_memory {
            categories.set_string_cache(&labels.concat());
            values.set_number_cache(&[1.0, 2.0, 3.0]);
        }
        chart_xml(workbook, ChartType::Column, &categories, &values, 4)
    };
    let in_memory = chart(false);
    assert!(in_memory.contains("multiLvlStrRef"), "{in_memory}");
    assert_eq!(chart(true), in_memory);
}

/// A range given its cache still names a sheet the save looks up: a wrong name fails the save,
/// as it does for a range whose cache is read.
#[test]
fn a_given_cache_on_an_unknown_sheet_fails_the_save() {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet_with_constant_memory().unwrap();
    ws.write_number(0, 0, 1.0).unwrap();
    let mut values = ChartRange::new_from_range("没有这张表", 0, 0, 0, 0);
    values.set_number_cache(&[1.0]);
    let mut chart = Chart::new(ChartType::Column);
    chart.add_series().set_values(&values);
    ws.insert_chart(0, 2, &chart).unwrap();
    let err = workbook.save_to_buffer().unwrap_err();
    assert!(err.to_string().contains("没有这张表"), "{err}");
}
