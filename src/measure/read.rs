//! Reading one measurements file: its header, then a [`Row`] per record,
//! with a finding for every row that cannot be a measurement.

use super::Month;
use std::sync::Arc;

use super::cells::{Cell, Records};
use crate::diag::{Finding, Pos, did_you_mean};

/// The columns a measurements file may have, in the contract's order; the
/// first four are required.
pub const COLUMNS: [&str; 6] = ["period", "sla", "metric", "value", "explained_by", "note"];
const REQUIRED: usize = 4;
const HEADER_EXAMPLE: &str = "`period,sla,metric,value,explained_by,note`";

/// One row of a measurements file, its cells trimmed of surrounding
/// spaces (their texts are in the sheet: [`Sheet::text`]). A row is a
/// measurement when [`Row::is_measurement`]; otherwise its findings were
/// given when it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The line the row starts on.
    pub line: usize,
    pub period: Cell,
    pub sla: Cell,
    pub metric: Cell,
    pub value: Cell,
    /// `None` when the file has no such column or the cell is empty.
    pub explained_by: Option<Cell>,
    /// `None` when the file has no such column or the cell is empty.
    pub note: Option<Cell>,
    /// The period read; `None` when it is not a valid `YYYY-MM`.
    pub month: Option<Month>,
    /// The value read; `None` when it is not a number.
    pub number: Option<f64>,
}

impl Row {
    /// Whether the row has a valid period, an SLA, a metric and a value
    /// (whether they resolve is for [`super::check`]).
    pub fn is_measurement(&self) -> bool {
        self.month.is_some()
            && self.number.is_some()
            && !self.sla.is_empty()
            && !self.metric.is_empty()
    }
}

/// One measurements file's rows, and their cells' texts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// Its path, as findings name it.
    pub file: Arc<str>,
    pub rows: Vec<Row>,
    /// The cells' texts, one after the other.
    text: String,
}

impl Sheet {
    /// The text of a cell of this sheet (quoting undone, trimmed).
    pub fn text(&self, cell: &Cell) -> &str {
        self.text.get(cell.range()).unwrap_or_default()
    }
}

/// Reads one measurements file (`file`: its path, for findings). Rows come
/// in file order, each with its cells' places; every row that is not a
/// measurement, and every problem of the file, has a finding (see the
/// module docs for the rules used).
pub fn read(file: &str, bytes: &[u8]) -> (Sheet, Vec<Finding>) {
    let mut sheet = Sheet {
        file: Arc::from(file),
        ..Sheet::default()
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(_) if bytes.len() > u32::MAX as usize => {
            let m = "the file is over 4 GB; split it into several files";
            return (
                sheet,
                vec![Finding::new("parse-error", file, Pos::START, m)],
            );
        }
        Ok(t) => t,
        Err(e) => return (sheet, vec![not_utf8(file, bytes, e.valid_up_to())]),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Records::new(text);
    let findings = read_rows(file, text, &mut records, &mut sheet.rows);
    sheet.text = records.into_text();
    (sheet, findings)
}

/// The header, then the rows.
fn read_rows(file: &str, text: &str, records: &mut Records, rows: &mut Vec<Row>) -> Vec<Finding> {
    let mut cells = Vec::new();
    let Some(unclosed_header) = records.next_record(&mut cells) else {
        let message = format!(
            "the file is empty; a measurements file starts with a header row naming its columns, e.g. {HEADER_EXAMPLE}"
        );
        return vec![Finding::new("invalid-field", file, Pos::START, message)];
    };
    if unclosed_header {
        return vec![unclosed(file, text, &cells)];
    }
    let mut findings = Vec::new();
    let header = match Header::read(file, records, &cells, &mut findings) {
        Ok(h) => h,
        Err(message) => {
            let message = format!("{message}; {}", not_read(records.count_rest()));
            findings.push(Finding::new("invalid-field", file, Pos::START, message));
            return findings;
        }
    };
    // Room for a row a line (a row takes 8 bytes at the least: a file of
    // line breaks reserves no more than one of rows would).
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    rows.reserve(lines.min(text.len() / 8));
    while let Some(unclosed_cell) = records.next_record(&mut cells) {
        if unclosed_cell {
            findings.push(unclosed(file, text, &cells));
            break;
        }
        if let Some(row) = header.row(file, records, &mut cells, &mut findings) {
            rows.push(row);
        }
    }
    findings
}

fn not_read(rows: usize) -> String {
    match rows {
        0 => "the file has no rows yet".to_string(),
        1 => "its one row is not read".to_string(),
        n => format!("none of its {n} rows is read"),
    }
}

/// `parse-error` at the first byte that is not UTF-8.
fn not_utf8(file: &str, bytes: &[u8], at: usize) -> Finding {
    let before = &bytes[..at.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let skip = usize::from(line == 1 && before.starts_with(b"\xef\xbb\xbf")) * 3;
    let chars = before[line_start + skip.min(before.len() - line_start)..]
        .iter()
        .filter(|b| (**b & 0xC0) != 0x80)
        .count();
    let byte = bytes.get(at).copied().unwrap_or(0);
    let message = format!(
        "the file is not valid UTF-8 (invalid byte 0x{byte:02x} at byte offset {at}), so none of it is read; save it as UTF-8 (CSV UTF-8 in a spreadsheet's Save As)"
    );
    Finding::new("parse-error", file, Pos::new(line, chars + 1), message)
}

/// `parse-error` at a quote that is never closed.
fn unclosed(file: &str, text: &str, cells: &[Cell]) -> Finding {
    let pos = cells.last().map_or(Pos::START, |c| c.pos());
    let last = text.trim_end_matches(['\r', '\n']).matches('\n').count() + 1;
    let lines = match last > pos.line {
        true => format!("lines {} to {last}", pos.line),
        false => format!("line {}", pos.line),
    };
    let message = format!(
        "this quote is never closed, so the rest of the file ({lines}) is one cell and its row is not read; end the quoted cell with `\"`, and write a quote inside a quoted cell as `\"\"`"
    );
    Finding::new("parse-error", file, pos, message)
}

/// Which cell of a record holds each column.
struct Header {
    /// Index of the cell, by [`COLUMNS`] order.
    at: [Option<usize>; 6],
    /// The header's cells, as written (for messages).
    names: Vec<String>,
}

impl Header {
    /// Reads the header row. Unknown, unnamed or repeated columns are
    /// findings (their cells are ignored); a missing required column is
    /// the `Err` message (the file cannot be read).
    fn read(
        file: &str,
        records: &Records,
        cells: &[Cell],
        out: &mut Vec<Finding>,
    ) -> Result<Header, String> {
        let mut at = [None; 6];
        let names: Vec<String> = cells
            .iter()
            .map(|c| records.text(c).trim().to_string())
            .collect();
        let known = names
            .iter()
            .filter(|n| COLUMNS.contains(&n.as_str()))
            .count();
        for (i, (cell, name)) in cells.iter().zip(&names).enumerate() {
            match COLUMNS.iter().position(|c| c == name) {
                Some(k) if at[k].is_none() => at[k] = Some(i),
                Some(k) => out.push(repeated(file, cell, name, cells, at[k])),
                // A first row naming no column at all is data, not a bad header:
                // one finding (the `Err` below) rather than one per cell.
                None if known > 0 => out.push(unknown(file, cell, name, i)),
                None => {}
            }
        }
        let missing: Vec<&str> = (0..REQUIRED)
            .filter(|k| at[*k].is_none())
            .map(|k| COLUMNS[k])
            .collect();
        if known == 0 {
            return Err(format!(
                "the first row is the header, but it names none of the columns; start the file with a header row, e.g. {HEADER_EXAMPLE}"
            ));
        }
        if !missing.is_empty() {
            return Err(format!(
                "the header has no {} column{} (it names {}); the columns period, sla, metric and value are required, explained_by and note optional",
                quoted_list(&missing),
                if missing.len() == 1 { "" } else { "s" },
                names.join(", ")
            ));
        }
        Ok(Header { at, names })
    }

    /// The row of a record (its cells trimmed in place); `None` (and a
    /// finding) when its cells cannot
    /// be matched with the columns, `None` without a finding when every
    /// cell is blank (a spreadsheet's empty row, like an empty line).
    fn row(
        &self,
        file: &str,
        records: &Records,
        cells: &mut [Cell],
        out: &mut Vec<Finding>,
    ) -> Option<Row> {
        for c in cells.iter_mut() {
            *c = c.trimmed(records.text(c));
        }
        if cells.iter().all(Cell::is_empty) {
            return None;
        }
        if cells.len() != self.names.len() {
            out.push(self.ragged(file, cells));
            return None;
        }
        let take = |k: usize| self.at[k].and_then(|i| cells.get(i)).copied();
        let mut row = Row {
            line: cells.first().map_or(1, |c| c.pos().line),
            period: take(0).unwrap_or_default(),
            sla: take(1).unwrap_or_default(),
            metric: take(2).unwrap_or_default(),
            value: take(3).unwrap_or_default(),
            explained_by: take(4).filter(|c| !c.is_empty()),
            note: take(5).filter(|c| !c.is_empty()),
            month: None,
            number: None,
        };
        validate(file, records, &mut row, out);
        Some(row)
    }

    /// `invalid-field` for a row with more or fewer cells than columns.
    fn ragged(&self, file: &str, cells: &[Cell]) -> Finding {
        let (n, want) = (cells.len(), self.names.len());
        let (pos, fix) = match cells.get(want) {
            Some(extra) => (
                extra.pos(),
                "quote a cell that contains a comma (e.g. `\"expired, 4 h\"`), or remove the extra cells",
            ),
            None => (
                cells.first().map_or(Pos::START, |c| c.pos()),
                "write one cell per column, an empty cell being nothing between two commas",
            ),
        };
        let message = format!(
            "this row has {n} cell{}, but the header names {want} column{} ({}), so the row is not read; {fix}",
            if n == 1 { "" } else { "s" },
            if want == 1 { "" } else { "s" },
            self.names.join(", ")
        );
        Finding::new("invalid-field", file, pos, message)
    }
}

/// Reads the period and value, and checks that the SLA and metric are
/// given; a finding for each that is not.
fn validate(file: &str, records: &Records, row: &mut Row, out: &mut Vec<Finding>) {
    let mut bad = |cell: &Cell, message: String| {
        out.push(Finding::new("invalid-field", file, cell.pos(), message).width(cell.width()));
    };
    match Month::parse(records.text(&row.period)) {
        Ok(m) => row.month = Some(m),
        Err(m) => bad(&row.period, m),
    }
    if row.sla.is_empty() {
        let m = "`sla` is empty; write the id of the SLA whose target was measured";
        bad(&row.sla, m.into());
    }
    if row.metric.is_empty() {
        let m =
            "`metric` is empty; write the metric of the SLA target measured, as the SLA names it";
        bad(&row.metric, m.into());
    }
    match super::value::parse(records.text(&row.value)) {
        Ok(v) => row.number = Some(v),
        Err(m) => bad(&row.value, m),
    }
}

/// `unknown-field` at a header cell that names no column.
fn unknown(file: &str, cell: &Cell, name: &str, i: usize) -> Finding {
    let message = if name.is_empty() {
        format!(
            "column {} of the header has no name; name it (one of {}) or remove the column",
            i + 1,
            COLUMNS.join(", ")
        )
    } else {
        format!(
            "`{name}` is not a measurement column{}; rename it, or remove the column (the columns: {})",
            did_you_mean(name, COLUMNS),
            COLUMNS.join(", ")
        )
    };
    Finding::new("unknown-field", file, cell.pos(), message).width(cell.width())
}

/// `invalid-field` at a header cell naming a column named before.
fn repeated(file: &str, cell: &Cell, name: &str, cells: &[Cell], first: Option<usize>) -> Finding {
    let column = first
        .and_then(|i| cells.get(i))
        .map_or(1, |c| c.pos().column);
    let message = format!(
        "column `{name}` is named twice (first at column {column}); remove one of the two (this one's cells are not read)"
    );
    Finding::new("invalid-field", file, cell.pos(), message).width(cell.width())
}

fn quoted_list(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match q.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => q.join(""),
    }
}
