//! The patched rust_xlsxwriter (vendor/rust_xlsxwriter, see its PATCHED.md): a constant-memory
//! worksheet forgets the options of the rows it has written out and keeps their heights alone.
//! Nothing it writes may change: the rows' heights, and the notes' boxes, whose place is worked
//! out from the heights of the rows above them when the workbook is saved, come out as a sheet
//! kept wholly in memory gives them.

use std::io::Read;

use rust_xlsxwriter::{Format, Note, Workbook, Worksheet};

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
