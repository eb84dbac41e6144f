//! The cells of a CSV text, record by record, each with its place in the
//! file. `csv-core` (the parser beneath the `csv` crate) reads one field at
//! a time and says how many bytes it took, so a cell's first character has
//! an exact line and column however it is quoted (commas, doubled quotes,
//! line breaks inside quotes, CRLF). Parsing is all csv-core's, with its
//! defaults: RFC 4180 quoting, `\n`, `\r\n` or `\r` ending a record, empty
//! lines skipped. What it accepts without complaint but this reader
//! reports is a quote left open at the end of the file (it takes the rest
//! of the file into one cell): [`Record::unclosed`].

use csv_core::{ReadFieldResult, Reader};

use crate::diag::Pos;

/// One cell: where its text (quoting undone) is in its sheet's text, where
/// it starts in the file (its opening quote, when quoted), and how many
/// characters it spans on that line. Its text is [`super::Sheet::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cell {
    start: u32,
    end: u32,
    line: u32,
    column: u32,
    width: u32,
}

impl Cell {
    /// Where the cell starts in the file.
    pub fn pos(&self) -> Pos {
        Pos::new(self.line as usize, self.column as usize)
    }
    /// Characters the cell spans on its first line (at least 1).
    pub fn width(&self) -> usize {
        self.width as usize
    }
    /// Whether its text is empty.
    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }
    /// Where its text is in the sheet's text.
    pub(super) fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    /// The same cell without the surrounding spaces of its text `full`.
    pub(super) fn trimmed(mut self, full: &str) -> Cell {
        let lead = full.len() - full.trim_start().len();
        let kept = full.trim().len();
        self.start += small(lead);
        self.end = self.start + small(kept);
        self
    }
}

/// A count or offset as `u32` (the reader refuses texts over `u32::MAX` bytes).
pub(super) fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The records of a text, in order; their cells' texts go, one after the
/// other, into one text (see [`Records::text`]).
pub(super) struct Records<'a> {
    reader: Reader,
    input: &'a [u8],
    /// The next byte csv-core reads.
    at: usize,
    /// Every cell's text so far, then room for the one being read.
    out: Vec<u8>,
    /// Where the cell being read ends in `out`.
    len: usize,
    cursor: Cursor<'a>,
    done: bool,
}

impl<'a> Records<'a> {
    /// The records of `text` (a byte-order mark already removed; at most
    /// `u32::MAX` bytes).
    pub fn new(text: &'a str) -> Records<'a> {
        Records {
            reader: Reader::new(),
            input: text.as_bytes(),
            at: 0,
            out: Vec::with_capacity(text.len() + 64),
            len: 0,
            cursor: Cursor::new(text.as_bytes()),
            done: false,
        }
    }

    /// The text of a cell of this reader.
    pub fn text(&self, cell: &Cell) -> &str {
        self.out
            .get(cell.range())
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// Every cell's text: what [`Records::text`] reads from.
    pub fn into_text(mut self) -> String {
        self.out.truncate(self.len);
        // The input is UTF-8 and only ASCII quotes are removed, so this
        // holds; a lossy copy would keep the cells' ranges from matching.
        String::from_utf8(self.out).unwrap_or_default()
    }

    /// Reads the next record into `cells`: `None` at the end of the text,
    /// `Some(true)` when its last cell opens a quote never closed (it ran
    /// to the end of the text).
    pub fn next_record(&mut self, cells: &mut Vec<Cell>) -> Option<bool> {
        cells.clear();
        while !self.done {
            // csv-core skips the line breaks before a record: its first
            // cell starts after them.
            let start = match cells.is_empty() {
                true => self.after_line_breaks(),
                false => self.at,
            };
            let from = self.len;
            let Some(record_end) = self.field() else {
                self.done = true;
                break;
            };
            let unclosed = record_end && self.at == self.input.len() && self.open_quote(start);
            cells.push(self.cell(start, from, record_end));
            if record_end {
                return Some(unclosed);
            }
        }
        (!cells.is_empty()).then_some(false)
    }

    fn after_line_breaks(&self) -> usize {
        let rest = &self.input[self.at..];
        self.at
            + rest
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count()
    }

    /// Reads one field onto the end of `out[..len]`: `Some(true)` when it
    /// ends its record, `Some(false)` when a comma follows, `None` at the end.
    fn field(&mut self) -> Option<bool> {
        loop {
            if self.len == self.out.len() {
                self.out.resize(self.out.capacity().max(self.len + 64), 0);
            }
            let input = &self.input[self.at..];
            let (res, nin, nout) = self.reader.read_field(input, &mut self.out[self.len..]);
            self.at += nin;
            self.len += nout;
            match res {
                ReadFieldResult::Field { record_end } => return Some(record_end),
                ReadFieldResult::End => return None,
                // All input read (the next call, with none, ends the field);
                // a reader that takes nothing from what is left would loop.
                ReadFieldResult::InputEmpty if nin == 0 && !input.is_empty() => return None,
                ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
            }
        }
    }

    /// The field just read, starting at byte `start` of the input and
    /// `from` of `out`.
    fn cell(&mut self, start: usize, from: usize, record_end: bool) -> Cell {
        let raw = &self.input[start.min(self.at)..self.raw_end(start, record_end)];
        let first_line = raw
            .split(|b| matches!(b, b'\r' | b'\n'))
            .next()
            .unwrap_or(raw);
        let width = first_line.iter().filter(|b| (**b & 0xC0) != 0x80).count();
        let pos = self.cursor.to(start);
        Cell {
            start: small(from),
            end: small(self.len),
            line: small(pos.line),
            column: small(pos.column),
            width: small(width.max(1)),
        }
    }

    /// Where the field just read ends in the text: before the comma that
    /// follows it, or before the line break that ends its record.
    fn raw_end(&self, start: usize, record_end: bool) -> usize {
        let mut end = self.at;
        if record_end {
            while end > start && matches!(self.input[end - 1], b'\r' | b'\n') {
                end -= 1;
            }
        } else {
            end = end.saturating_sub(1);
        }
        end.max(start).min(self.input.len())
    }

    /// Whether the field from `start` to the end of the text opens a quote
    /// it never closes (read as csv-core does: `""` inside quotes is a
    /// quote; after the closing quote, quotes are plain characters).
    fn open_quote(&self, start: usize) -> bool {
        let raw = self.input.get(start..).unwrap_or_default();
        if raw.first() != Some(&b'"') {
            return false;
        }
        let mut i = 1;
        while let Some(q) = memchr::memchr(b'"', &raw[i..]).map(|j| i + j) {
            if raw.get(q + 1) != Some(&b'"') {
                return false;
            }
            i = q + 2;
            if i >= raw.len() {
                break;
            }
        }
        true
    }

    /// How many more records the text has (reading them).
    pub fn count_rest(&mut self) -> usize {
        let mut cells = Vec::new();
        std::iter::from_fn(|| self.next_record(&mut cells)).count()
    }
}

/// Line and column (characters) of byte offsets, asked in increasing order.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    column: usize,
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Cursor<'a> {
        Cursor {
            bytes,
            at: 0,
            line: 1,
            column: 1,
        }
    }

    fn to(&mut self, offset: usize) -> Pos {
        let offset = offset.min(self.bytes.len());
        if offset > self.at {
            let span = &self.bytes[self.at..offset];
            let tail = match memchr::memrchr(b'\n', span) {
                Some(nl) => {
                    self.line += memchr::memchr_iter(b'\n', span).count();
                    self.column = 1;
                    &span[nl + 1..]
                }
                None => span,
            };
            self.column += tail.iter().filter(|b| (**b & 0xC0) != 0x80).count();
            self.at = offset;
        }
        Pos::new(self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<Vec<(String, usize, usize, usize)>> {
        let mut r = Records::new(text);
        let mut cells = Vec::new();
        let mut out = Vec::new();
        while r.next_record(&mut cells).is_some() {
            let record = cells
                .iter()
                .map(|c| {
                    (
                        r.text(c).to_string(),
                        c.line as usize,
                        c.column as usize,
                        c.width(),
                    )
                })
                .collect();
            out.push(record);
        }
        out
    }

    fn cell(text: &str, line: usize, column: usize, width: usize) -> (String, usize, usize, usize) {
        (text.to_string(), line, column, width)
    }

    #[test]
    fn plain_cells_have_their_places() {
        assert_eq!(
            records("a,bb,\nccc,d,e\n"),
            vec![
                vec![cell("a", 1, 1, 1), cell("bb", 1, 3, 2), cell("", 1, 6, 1)],
                vec![cell("ccc", 2, 1, 3), cell("d", 2, 5, 1), cell("e", 2, 7, 1)],
            ]
        );
    }

    #[test]
    fn quoted_cells_with_commas_quotes_and_line_breaks() {
        let text = "x,\"a, \"\"b\"\"\nc\",é\r\n\r\n\"\",ü,\"z\"";
        assert_eq!(
            records(text),
            vec![
                vec![
                    cell("x", 1, 1, 1),
                    cell("a, \"b\"\nc", 1, 3, 9),
                    cell("é", 2, 4, 1)
                ],
                vec![cell("", 4, 1, 2), cell("ü", 4, 4, 1), cell("z", 4, 6, 3)],
            ]
        );
    }

    #[test]
    fn crlf_and_empty_lines() {
        assert_eq!(
            records("\r\n\na,b\r\n\r\nc,d"),
            vec![
                vec![cell("a", 3, 1, 1), cell("b", 3, 3, 1)],
                vec![cell("c", 5, 1, 1), cell("d", 5, 3, 1)],
            ]
        );
    }

    #[test]
    fn an_open_quote_at_the_end_is_reported() {
        let mut r = Records::new("a,b\n\"x,y\nz\n");
        let mut cells = Vec::new();
        assert_eq!(r.next_record(&mut cells), Some(false));
        assert_eq!(r.next_record(&mut cells), Some(true));
        assert_eq!(r.text(&cells[0]), "x,y\nz\n");
        assert_eq!(cells[0].pos(), Pos::new(2, 1));
        assert_eq!(r.next_record(&mut cells), None);
        assert_eq!(r.into_text(), "abx,y\nz\n");
        for closed in ["\"a\"", "\"a\"\"b\"", "\"a\"b\"", "\"\"", "a\"b"] {
            let mut r = Records::new(closed);
            assert_eq!(r.next_record(&mut cells), Some(false), "{closed}");
        }
        for open in ["\"", "\"a", "\"a\"\"", "\"\"\""] {
            let mut r = Records::new(open);
            assert_eq!(r.next_record(&mut cells), Some(true), "{open}");
        }
    }

    #[test]
    fn trimming_keeps_the_place() {
        let mut r = Records::new("  x y ,b");
        let mut cells = Vec::new();
        r.next_record(&mut cells);
        let full = r.text(&cells[0]).to_string();
        let t = cells[0].trimmed(&full);
        assert_eq!((r.text(&t), t.pos(), t.width()), ("x y", Pos::new(1, 1), 6));
        assert!(!t.is_empty());
        let blank = cells[0].trimmed("      ");
        assert!(blank.is_empty());
    }

    #[test]
    fn long_cells_grow_the_buffer() {
        let long = "x".repeat(10_000);
        let text = format!("\"{long}\",{long}\n");
        let recs = records(&text);
        assert_eq!(recs[0][0].0, long);
        assert_eq!(recs[0][1].2, 10_004);
    }
}
