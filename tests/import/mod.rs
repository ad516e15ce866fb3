//! Importing registers: the messy-register cases of `tests/fixtures/NN-*`, the import
//! options, the district fixture landing as written, overlapping exports, workbooks and
//! templates, cells typed by hand, and the properties every input must keep.

mod bulk;
mod cases;
mod coherence;
mod district;
mod hand_typed;
mod headers;
mod languages;
mod odd_inputs;
mod options;
mod overlap;
mod places;
mod properties;
mod snapshot;
mod templates;
mod unchanged;
mod workbook;

use calamine::{Reader, Xlsx, open_workbook};
use rust_xlsxwriter::Workbook;

use crate::util::Dir;

/// Writes a workbook into the folder: one sheet, text cells, the first row at sheet row
/// `top` and the first column at `left` (both 1-based); an empty slice is a blank row.
fn xlsx_in(d: &Dir, name: &str, sheet: &str, top: u32, left: u16, rows: &[&[&str]]) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).expect("sheet name");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(top - 1 + r as u32, left - 1 + c as u16, *cell)
                    .expect("write a cell");
            }
        }
    }
    book.save(d.join(name)).expect("save the workbook");
}

/// Every sheet of an .xlsx in the folder, by name, each cell as text (empty as "").
fn xlsx_sheets(d: &Dir, name: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book: Xlsx<_> = open_workbook(d.join(name)).expect("open the workbook");
    book.sheet_names()
        .into_iter()
        .map(|s| {
            let range = book.worksheet_range(&s).expect("read the sheet");
            assert_eq!(
                range.start(),
                Some((0, 0)),
                "sheet {s} does not start at A1"
            );
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            (s, rows)
        })
        .collect()
}

/// Name, phone, 身份证号 and 入职日期 of every worker, in the order they were added.
fn worker_rows(d: &Dir) -> Vec<Vec<Option<String>>> {
    d.rows("SELECT name, phone, id_number, joined_on FROM workers ORDER BY id")
}

/// The workers of case 03: name, phone, 身份证号.
const CASE03: [(&str, &str, &str); 5] = [
    ("贺文杰", "18235106271", "140106199004122159"),
    ("樊雪", "15536208814", "14010519950823326X"),
    ("常建国", "13903517702", "140106197811031174"),
    ("申晓东", "17634219058", "140121198802162533"),
    ("裴慧", "19834517726", "140106199305304423"),
];

/// The standard header of the workers register, as `template workers` writes it.
const WORKER_HEADERS: [&str; 15] = [
    "姓名",
    "性别",
    "手机号",
    "身份证号",
    "政治面貌",
    "从业类型",
    "所属企业",
    "所属站点",
    "所属街道",
    "所属社区",
    "备注",
    "入职日期",
    "离职日期",
    "组织关系所在党组织",
    "所在党组织",
];
