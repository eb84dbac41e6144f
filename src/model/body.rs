//! Where a body's text sits in its file: body offsets (of references,
//! links, code) turned into file lines and columns for findings.

use crate::diag::Pos;

/// Where a body's text sits in its file, to turn body offsets into file positions.
#[derive(Debug, Clone, Default)]
pub struct BodyMap {
    /// File line of the body's first line.
    pub first_line: usize,
    /// Columns to add (a YAML block scalar's indentation).
    pub indent: usize,
    /// Position to report when the body's lines do not map onto the file (folded or quoted YAML).
    pub fixed: Option<Pos>,
    /// Made on the first position asked for: only findings ask, so most
    /// bodies never pay for it (10,000 documents: about 5 MB and 1 % of a build).
    lines: std::sync::OnceLock<BodyLines>,
}

/// A body's line starts and character-count marks.
#[derive(Debug, Clone, Default)]
struct BodyLines {
    starts: Vec<usize>,
    /// (byte offset, characters before it) every `MARK` bytes or so, so a
    /// column is found without counting a whole (possibly multi-megabyte) line.
    marks: Vec<(usize, usize)>,
}

/// Distance in bytes between two `BodyMap` character-count marks.
const MARK: usize = 1024;

impl BodyLines {
    fn new(body: &str) -> BodyLines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1));
        let mut marks = vec![(0, 0)];
        let mut next = MARK;
        for (n, (b, _)) in body.char_indices().enumerate() {
            if b >= next {
                marks.push((b, n));
                next = b + MARK;
            }
        }
        BodyLines { starts, marks }
    }

    /// Characters of `body` before byte `offset` (clamped to a char boundary).
    fn chars_before(&self, body: &str, offset: usize) -> usize {
        let mut x = offset.min(body.len());
        while !body.is_char_boundary(x) {
            x -= 1;
        }
        let i = self
            .marks
            .partition_point(|&(b, _)| b <= x)
            .saturating_sub(1);
        let (b, n) = self.marks.get(i).copied().unwrap_or((0, 0));
        n + body
            .get(b.min(x)..x)
            .map(|s| s.chars().count())
            .unwrap_or(0)
    }
}

impl BodyMap {
    pub fn new(first_line: usize, indent: usize, fixed: Option<Pos>) -> BodyMap {
        BodyMap {
            first_line,
            indent,
            fixed,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// File position of byte `offset` of `body` (the body this map was made for).
    pub fn pos(&self, body: &str, offset: usize) -> Pos {
        if let Some(p) = self.fixed {
            return p;
        }
        let lines = self.lines.get_or_init(|| BodyLines::new(body));
        let line = lines
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = lines.starts.get(line).copied().unwrap_or(0);
        let col = lines
            .chars_before(body, offset)
            .saturating_sub(lines.chars_before(body, start));
        Pos::new(self.first_line + line, self.indent + col + 1)
    }
}
