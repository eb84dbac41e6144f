//! Source positions inside YAML text. The YAML parser gives values but not
//! where they were written; this index recovers the line and column of keys
//! and list items from the text, so findings can point at them.
//!
//! It understands the block style people write front matter in: `key: value`
//! lines, nested keys by indentation, and `- item` lists; and, for the items
//! of lists ([`YamlIndex::items`], [`YamlIndex::sub_items`], at any depth),
//! flow collections (`[{id: A, children: [...]}]`, see `flow`). Anything it
//! cannot place falls back to the nearest enclosing key.

use crate::diag::Pos;

/// One line of the text; text and key are byte ranges into `YamlIndex::text`
/// (one copy of the text per document, not one string per line).
#[derive(Debug, Clone)]
struct Line {
    indent: usize,
    /// `- ` starts the line (after indentation).
    dash: bool,
    /// Key on this line (after an optional dash), with its column (0-based chars).
    key: Option<(std::ops::Range<u32>, usize)>,
    text: std::ops::Range<u32>,
}

/// One item of a list (see [`YamlIndex::list_items`], [`YamlIndex::items`]):
/// its lines and the column its content starts at; for an item written
/// in flow style (`{id: A}` in `[...]`, or a block item `- {id: A}`), the
/// byte range of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    first: usize,
    end: usize,
    col: usize,
    flow: Option<(u32, u32)>,
}

/// Positions of keys and items in one YAML text.
#[derive(Debug, Clone, Default)]
pub struct YamlIndex {
    text: String,
    /// The lines, made on first use; [`YamlIndex::compact`] drops them.
    lines: std::sync::OnceLock<Vec<Line>>,
    /// File line of the YAML text's first line (1-based).
    first_line: usize,
}

impl YamlIndex {
    /// Indexes `text`, whose first line is line `first_line` of its file.
    pub fn new(text: &str, first_line: usize) -> YamlIndex {
        YamlIndex {
            text: text.to_string(),
            lines: std::sync::OnceLock::from(index_lines(text)),
            first_line,
        }
    }

    /// Drops the line table, kept only while positions are looked up in
    /// bulk (a document's are, once, as it is typed); a later lookup, for
    /// a finding, makes it again. Ten thousand documents' tables were
    /// about a tenth of a build's peak memory.
    pub fn compact(&mut self) {
        self.lines = std::sync::OnceLock::new();
    }

    fn lines(&self) -> &[Line] {
        self.lines.get_or_init(|| index_lines(&self.text))
    }

    /// The text of line `i`.
    fn line(&self, i: usize) -> &str {
        let r = &self.lines()[i].text;
        &self.text[r.start as usize..r.end as usize]
    }

    /// The key on line `i` and its column.
    fn key_at(&self, i: usize) -> Option<(&str, usize)> {
        let (r, col) = self.lines()[i].key.as_ref()?;
        Some((&self.text[r.start as usize..r.end as usize], *col))
    }

    fn pos(&self, i: usize, col0: usize) -> Pos {
        Pos::new(self.first_line + i, col0 + 1)
    }

    /// Index of the line holding top-level key `key`.
    fn top_key_line(&self, key: &str) -> Option<usize> {
        let lines = self.lines();
        let top = lines
            .iter()
            .filter(|l| l.key.is_some() || l.dash)
            .map(|l| l.indent)
            .min()?;
        (0..lines.len()).find(|&i| {
            let l = &lines[i];
            l.indent == top && !l.dash && self.key_at(i).is_some_and(|(k, _)| k == key)
        })
    }

    /// Lines belonging to the block under the line `at` (deeper indented or list items).
    fn block(&self, at: usize) -> std::ops::Range<usize> {
        let lines = self.lines();
        let base = lines[at].indent;
        let base_key_col = lines[at].key.as_ref().map(|(_, c)| *c).unwrap_or(base);
        let mut end = at + 1;
        while end < lines.len() {
            let l = &lines[end];
            let text = self.line(end);
            let blank = text.trim().is_empty() || text.trim_start().starts_with('#');
            if !blank {
                let col = l.indent;
                // A sibling or parent key ends the block; a list item at the same
                // indentation as a top-level key still belongs to it.
                if col < base_key_col || (col == base_key_col && !l.dash) {
                    break;
                }
            }
            end += 1;
        }
        at + 1..end
    }

    /// Where the top-level key `key` is written.
    pub fn key(&self, key: &str) -> Option<Pos> {
        let i = self.top_key_line(key)?;
        let col = self.lines()[i].key.as_ref().map(|(_, c)| *c).unwrap_or(0);
        Some(self.pos(i, col))
    }

    /// Where `key` is, or the start of the text when it is absent.
    pub fn key_or_start(&self, key: &str) -> Pos {
        self.key(key).unwrap_or(Pos::new(self.first_line, 1))
    }

    /// Where the `n`-th list item (0-based) under top-level `key` is written;
    /// for an inline list, where `value` appears on the key's line; else the key.
    pub fn item(&self, key: &str, n: usize, value: Option<&str>) -> Option<Pos> {
        let at = self.top_key_line(key)?;
        let block = self.block(at);
        let lines = self.lines();
        let items: Vec<usize> = {
            let min_dash = block
                .clone()
                .filter(|&i| lines[i].dash)
                .map(|i| lines[i].indent)
                .min();
            match min_dash {
                Some(d) => block
                    .filter(|&i| lines[i].dash && lines[i].indent == d)
                    .collect(),
                None => Vec::new(),
            }
        };
        if let Some(&i) = items.get(n) {
            let col = lines[i].indent + 2;
            return Some(self.pos(i, col));
        }
        let key_pos = self.key(key)?;
        if let Some(v) = value {
            let line = self.line(at);
            if let Some(b) = find_token(line, v) {
                return Some(self.pos(at, line[..b].chars().count()));
            }
        }
        Some(key_pos)
    }

    /// The items of the block list under top-level `key` (`- ...` lines at
    /// its first dash indentation), each with its lines: for the positions
    /// of what each item holds ([`YamlIndex::item_key`]). Empty for a flow
    /// list (`key: [a, b]`) or no list.
    pub fn list_items(&self, key: &str) -> Vec<Item> {
        let Some(at) = self.top_key_line(key) else {
            return Vec::new();
        };
        let block = self.block(at);
        let lines = self.lines();
        let Some(d) = block
            .clone()
            .filter(|&i| lines[i].dash)
            .map(|i| lines[i].indent)
            .min()
        else {
            return Vec::new();
        };
        let starts: Vec<usize> = block
            .clone()
            .filter(|&i| lines[i].dash && lines[i].indent == d)
            .collect();
        let ends = starts.iter().skip(1).copied().chain([block.end]);
        starts
            .iter()
            .zip(ends)
            .map(|(&first, end)| self.block_item(first, end))
            .collect()
    }

    /// The items of the list under top-level `key`, written in block style
    /// (as [`YamlIndex::list_items`]) or in flow style (`key: [a, {b: c}]`,
    /// on one line or more).
    pub fn items(&self, key: &str) -> Vec<Item> {
        let Some(at) = self.top_key_line(key) else {
            return Vec::new();
        };
        match self.flow_value(at, self.lines().len()) {
            Some(open) => self.flow_items(open),
            None => self.list_items(key),
        }
    }

    /// The items of the list under key `sub` of item `it` (`children:` of a
    /// requirement), block or flow style: nested lists at any depth are
    /// found by calling this on their items in turn. Empty when the item
    /// has no such key or its value is no list.
    pub fn sub_items(&self, it: &Item, sub: &str) -> Vec<Item> {
        if let Some((start, end)) = it.flow {
            let text = &self.text[..end as usize];
            let (entries, _) = super::flow::entries(text, start as usize);
            if !text[start as usize..].starts_with('{') {
                return Vec::new();
            }
            return entries
                .into_iter()
                .filter_map(|e| super::flow::key_value(text, e))
                .find(|(k, _, _)| *k == sub)
                .filter(|(_, _, v)| text[*v..].starts_with('['))
                .map_or_else(Vec::new, |(_, _, v)| self.flow_items(v));
        }
        let lines = self.lines();
        let end = it.end.min(lines.len());
        let Some(at) = (it.first..end).find(|&i| self.key_at(i) == Some((sub, it.col))) else {
            return Vec::new();
        };
        if let Some(open) = self.flow_value(at, end) {
            return self.flow_items(open);
        }
        // A block list: its items' dashes at the first dash's indentation
        // (at or right of the key), up to a line left of them.
        let significant = |i: &usize| {
            let t = self.line(*i).trim_start();
            !t.is_empty() && !t.starts_with('#')
        };
        let Some(j) = (at + 1..end).find(significant) else {
            return Vec::new();
        };
        let d = lines[j].indent;
        if !lines[j].dash || d < it.col {
            return Vec::new();
        }
        let stop = (j..end)
            .filter(significant)
            .find(|&i| lines[i].indent < d || (lines[i].indent == d && !lines[i].dash))
            .unwrap_or(end);
        let starts: Vec<usize> = (j..stop)
            .filter(|&i| lines[i].dash && lines[i].indent == d)
            .collect();
        let ends = starts.iter().skip(1).copied().chain([stop]);
        starts
            .iter()
            .zip(ends)
            .map(|(&first, end)| self.block_item(first, end))
            .collect()
    }

    /// The block item whose `- ` is on line `first`, up to line `end`: its
    /// content's column (after the dash and its spaces, or the next line's
    /// indentation after a bare `-`), and its flow text when written `- {...}`.
    fn block_item(&self, first: usize, end: usize) -> Item {
        let lines = self.lines();
        let l = &lines[first];
        let line = self.line(first);
        let after = &line[l.indent + 1..];
        let content = after.trim_start();
        let at = l.indent + 1 + (after.len() - content.len());
        if content.is_empty() || content.starts_with('#') {
            // The content starts on the next line that holds any.
            let next = (first + 1..end.min(lines.len())).find(|&i| {
                let t = self.line(i).trim_start();
                !t.is_empty() && !t.starts_with('#')
            });
            return Item {
                first: next.unwrap_or(first),
                end,
                col: next.map_or(l.indent + 2, |i| lines[i].indent),
                flow: None,
            };
        }
        let flow = content.starts_with('{').then(|| {
            let open = l.text.start as usize + at;
            let (_, close) = super::flow::entries(&self.text, open);
            (open as u32, close as u32)
        });
        Item {
            first,
            end,
            col: line[..at].chars().count(),
            flow,
        }
    }

    /// The byte of the `[` that opens the value of the key on line `at`
    /// (on its line or a later one before `end`), when it is a flow list.
    fn flow_value(&self, at: usize, end: usize) -> Option<usize> {
        let (r, _) = self.lines()[at].key.as_ref()?;
        let key_end = r.end as usize;
        let line_end = self.lines()[at].text.end as usize;
        let colon = key_end + self.text[key_end..line_end].find(':')? + 1;
        let rest = self.text[colon..line_end].trim_start();
        if rest.starts_with('[') {
            return Some(line_end - rest.len());
        }
        if !rest.is_empty() && !rest.starts_with('#') {
            return None;
        }
        let next = (at + 1..end.min(self.lines().len())).find(|&i| {
            let t = self.line(i).trim_start();
            !t.is_empty() && !t.starts_with('#')
        })?;
        let key_col = self.lines()[at].key.as_ref().map_or(0, |(_, c)| *c);
        let l = &self.lines()[next];
        let t = self.line(next);
        (t.trim_start().starts_with('[') && l.indent > key_col)
            .then(|| l.text.start as usize + (t.len() - t.trim_start().len()))
    }

    /// The items of the flow list opening at byte `open`.
    fn flow_items(&self, open: usize) -> Vec<Item> {
        let (entries, _) = super::flow::entries(&self.text, open);
        entries
            .into_iter()
            .map(|e| {
                let first = self.line_of(e.start);
                let last = self.line_of(e.end.saturating_sub(1).max(e.start));
                let start = self.lines()[first].text.start as usize;
                Item {
                    first,
                    end: last + 1,
                    col: self.text[start..e.start.max(start)].chars().count(),
                    flow: Some((e.start as u32, e.end as u32)),
                }
            })
            .collect()
    }

    /// The line holding byte `b` of the text.
    fn line_of(&self, b: usize) -> usize {
        self.lines()
            .partition_point(|l| l.text.start as usize <= b)
            .saturating_sub(1)
    }

    /// Where byte `b` of the text is.
    fn pos_of(&self, b: usize) -> Pos {
        let i = self.line_of(b);
        let start = self.lines().get(i).map_or(0, |l| l.text.start as usize);
        let col = self
            .text
            .get(start..b.max(start))
            .map_or(0, |s| s.chars().count());
        self.pos(i, col)
    }

    /// Where item `it`'s content starts (after its `- `; a flow item's
    /// first character).
    pub fn item_start(&self, it: &Item) -> Pos {
        self.pos(it.first, it.col)
    }

    /// Where key `sub` of item `it` is written: a `sub:` line of the item
    /// at its content's column (block style; a key of a nested mapping is
    /// not the item's), or `sub:` of its own `{...}` (flow style; not a
    /// key of a mapping nested in it).
    pub fn item_key(&self, it: &Item, sub: &str) -> Option<Pos> {
        if let Some((start, end)) = it.flow {
            let text = &self.text[..end as usize];
            if !text[start as usize..].starts_with('{') {
                return None;
            }
            let (entries, _) = super::flow::entries(text, start as usize);
            return entries
                .into_iter()
                .filter_map(|e| super::flow::key_value(text, e))
                .find(|(k, _, _)| *k == sub)
                .map(|(_, at, _)| self.pos_of(at));
        }
        let lines = self.lines();
        let end = it.end.min(lines.len());
        (it.first..end)
            .filter_map(|i| self.key_at(i).map(|(k, c)| (i, k, c)))
            .find(|(_, k, c)| *k == sub && *c == it.col)
            .map(|(i, _, c)| self.pos(i, c))
    }

    /// Where `value` is written in item `it`'s entry `sub` (on the lines
    /// from `sub:` to the item's end), else where `sub` is.
    pub fn item_value(&self, it: &Item, sub: &str, value: &str) -> Option<Pos> {
        let at = self.item_key(it, sub)?;
        let first = at.line.checked_sub(self.first_line)?;
        let end = it.end.min(self.lines().len());
        for i in first..end {
            let line = self.line(i);
            let from = if i == first {
                let col = line.char_indices().nth(at.column - 1).map_or(0, |(b, _)| b);
                line[col..].find(':').map_or(col, |c| col + c + 1)
            } else {
                0
            };
            if let Some(b) = find_token(&line[from..], value) {
                return Some(self.pos(i, line[..from + b].chars().count()));
            }
        }
        Some(at)
    }

    /// Where `value` is written within the block of top-level `key` (first match), else the key.
    pub fn value_in(&self, key: &str, value: &str) -> Option<Pos> {
        let at = self.top_key_line(key)?;
        let range = at..self.block(at).end;
        for i in range {
            let line = self.line(i);
            let from = if i == at {
                line.find(':').map(|c| c + 1).unwrap_or(0)
            } else {
                0
            };
            if let Some(b) = find_token(&line[from..], value) {
                return Some(self.pos(i, line[..from + b].chars().count()));
            }
        }
        self.key(key)
    }

    /// Where a nested key `sub` is written under top-level `key` (first match).
    pub fn sub_key(&self, key: &str, sub: &str) -> Option<Pos> {
        let at = self.top_key_line(key)?;
        for i in self.block(at) {
            if let Some((k, c)) = self.key_at(i)
                && k == sub
            {
                return Some(self.pos(i, c));
            }
        }
        None
    }

    /// Nested keys directly under top-level `key`, with positions, in order.
    pub fn sub_keys(&self, key: &str) -> Vec<(String, Pos)> {
        let Some(at) = self.top_key_line(key) else {
            return Vec::new();
        };
        let block = self.block(at);
        let lines = self.lines();
        let min = block
            .clone()
            .filter(|&i| lines[i].key.is_some() && !lines[i].dash)
            .map(|i| lines[i].indent)
            .min();
        let Some(min) = min else { return Vec::new() };
        block
            .filter(|&i| !lines[i].dash && lines[i].indent == min)
            .filter_map(|i| {
                let (k, c) = self.key_at(i)?;
                Some((k.to_string(), self.pos(i, c)))
            })
            .collect()
    }

    /// Where `key` is written a second time in the mapping whose first key is
    /// on or after file line `from` (at the indentation of its first `key`).
    pub fn duplicate_key(&self, from: usize, key: &str) -> Option<Pos> {
        let start = from.saturating_sub(self.first_line);
        let mut first: Option<usize> = None;
        for i in start..self.lines().len() {
            let Some((k, col)) = self.key_at(i) else {
                continue;
            };
            match first {
                None if k == key => first = Some(col),
                Some(c) if col == c && k == key => return Some(self.pos(i, col)),
                Some(c) if col < c => return None,
                _ => {}
            }
        }
        None
    }

    /// The text after `key:` on its line (the scalar as written, e.g. `1.10`).
    pub fn raw_scalar(&self, key: &str) -> Option<String> {
        let i = self.top_key_line(key)?;
        let line = self.line(i);
        let colon = line.find(':')?;
        let v = line[colon + 1..].trim();
        let v = v.split(" #").next().unwrap_or(v).trim();
        let v = v.trim_matches(|c| c == '"' || c == '\'');
        (!v.is_empty()).then(|| v.to_string())
    }

    /// For a block scalar (`key: |`), the file line of its first content line
    /// and its indentation; `None` for other styles.
    pub fn block_scalar(&self, key: &str) -> Option<(usize, usize)> {
        let i = self.top_key_line(key)?;
        let line = self.line(i);
        let colon = line.find(':')?;
        let style = line[colon + 1..].trim();
        if !style.starts_with('|') {
            return None;
        }
        let lines = self.lines();
        let next = (i + 1..lines.len()).find(|&j| !self.line(j).trim().is_empty())?;
        Some((self.first_line + i + 1, lines[next].indent))
    }
}

/// The key of a `key: value` / `key:` line, if any (quoted keys unquoted).
fn key_of(s: &str) -> Option<&str> {
    if s.starts_with('#') || s.starts_with('{') || s.starts_with('[') {
        return None;
    }
    let (k, rest) = if let Some(q) = s.strip_prefix('"') {
        let end = q.find('"')?;
        (&q[..end], &q[end + 1..])
    } else if let Some(q) = s.strip_prefix('\'') {
        let end = q.find('\'')?;
        (&q[..end], &q[end + 1..])
    } else {
        let colon = crate::find_pair(s, *b": ").or_else(|| s.strip_suffix(':').map(|x| x.len()))?;
        (&s[..colon], &s[colon..])
    };
    if !rest.starts_with(':') || k.is_empty() || k.contains('#') {
        return None;
    }
    Some(k.trim())
}

/// Byte offset of `token` in `line` where it stands alone (not inside a longer word).
fn find_token(line: &str, token: &str) -> Option<usize> {
    if token.is_empty() {
        return None;
    }
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == '.' || c == ':';
    let mut from = 0;
    while let Some(off) = line[from..].find(token) {
        let b = from + off;
        let before = line[..b].chars().next_back();
        let after = line[b + token.len()..].chars().next();
        if !before.is_some_and(word) && !after.is_some_and(|c| word(c) && c != '.' && c != ':') {
            return Some(b);
        }
        from = b + token.len();
    }
    None
}

/// The line table of `text`.
fn index_lines(text: &str) -> Vec<Line> {
    // Texts are at most `yaml::MAX_YAML` bytes; ranges fit in u32.
    let at = |part: &str| {
        let start = part.as_ptr() as usize - text.as_ptr() as usize;
        start as u32..(start + part.len()) as u32
    };
    text.lines()
        .map(|raw| {
            let raw = raw.trim_end_matches('\r');
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let rest = &raw[indent..];
            let (dash, after, key_col) = if let Some(r) = rest.strip_prefix("- ") {
                let extra = r.len() - r.trim_start().len();
                (true, r.trim_start(), indent + 2 + extra)
            } else if rest == "-" {
                (true, "", indent + 1)
            } else {
                (false, rest, indent)
            };
            let key = key_of(after).map(|k| (at(k), raw[..key_col.min(raw.len())].chars().count()));
            Line {
                indent,
                dash,
                key,
                text: at(raw),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_items_and_values() {
        let y = "id: SVC-A\ntitle: A\ndepends_on:\n  - SVC-B\n  - SVC-C\nsuppliers: [SUP-1, SUP-2]\nbody: |\n  Hello\n  [[X]]\n";
        let ix = YamlIndex::new(y, 2);
        assert_eq!(ix.key("id"), Some(Pos::new(2, 1)));
        assert_eq!(
            ix.item("depends_on", 1, Some("SVC-C")),
            Some(Pos::new(6, 5))
        );
        assert_eq!(
            ix.item("suppliers", 1, Some("SUP-2")),
            Some(Pos::new(7, 20))
        );
        assert_eq!(ix.block_scalar("body"), Some((9, 2)));
        assert_eq!(ix.value_in("depends_on", "SVC-B"), Some(Pos::new(5, 5)));
    }

    #[test]
    fn find_pair_is_str_find() {
        for s in [
            "a: b", "a:b: c", "a::", "no colon", "x:", ": y", "a:\tb: c", "", "é: ü", "[[x]]",
            "[a[[", "[ [", "[[",
        ] {
            assert_eq!(crate::find_pair(s, *b": "), s.find(": "), "{s:?}");
            assert_eq!(crate::find_pair(s, *b"[["), s.find("[["), "{s:?}");
        }
    }

    #[test]
    fn keys_and_values_inside_list_items() {
        let y = "id: AUD-1\nresults:\n  - {req: \"ISO20000-1:8.5\", result: conforming}\n  - req: ISO20000-1:8.6.1\n    result: nonconforming\n    evidence: [PRC-A, PRC-B]\n    note: x\n  -   {result: observation, 'req': X}\nscope: [A]\n";
        let ix = YamlIndex::new(y, 2);
        let items = ix.list_items("results");
        assert_eq!(items.len(), 3);
        assert_eq!(ix.item_start(&items[0]), Pos::new(4, 5));
        assert_eq!(ix.item_key(&items[0], "req"), Some(Pos::new(4, 6)));
        assert_eq!(ix.item_key(&items[0], "result"), Some(Pos::new(4, 29)));
        assert_eq!(ix.item_key(&items[1], "req"), Some(Pos::new(5, 5)));
        assert_eq!(ix.item_key(&items[1], "result"), Some(Pos::new(6, 5)));
        assert_eq!(ix.item_key(&items[1], "missing"), None);
        assert_eq!(
            ix.item_value(&items[1], "evidence", "PRC-B"),
            Some(Pos::new(7, 23))
        );
        assert_eq!(
            ix.item_value(&items[1], "evidence", "PRC-Z"),
            Some(Pos::new(7, 5))
        );
        assert_eq!(ix.item_key(&items[2], "req"), Some(Pos::new(9, 29)));
        assert_eq!(ix.item_key(&items[2], "result"), Some(Pos::new(9, 8)));
        assert!(ix.list_items("scope").is_empty());
        assert!(ix.list_items("nothing").is_empty());
    }

    #[test]
    fn nested_lists_in_block_and_flow_style() {
        let y = "catalogue: X\nrequirements:\n- id: A-1\n  title: First\n- title: No id first\n  id: CIS Safeguard 4.6\n  children:\n    - id: AC-2(1)\n      children: [{id: \"B, 1\", title: x}, {title: '{id: no}'}]\n    -\n      title: bare dash\n      id: C\n    - {title: t, children: [{id: D}], id: E}\n";
        let ix = YamlIndex::new(y, 1);
        let top = ix.items("requirements");
        assert_eq!(top.len(), 2);
        assert_eq!(ix.item_key(&top[0], "id"), Some(Pos::new(3, 3)));
        assert_eq!(ix.item_key(&top[1], "id"), Some(Pos::new(6, 3)));
        let kids = ix.sub_items(&top[1], "children");
        assert_eq!(kids.len(), 3, "{kids:?}");
        assert_eq!(ix.item_key(&kids[0], "id"), Some(Pos::new(8, 7)));
        assert_eq!(ix.item_key(&kids[1], "id"), Some(Pos::new(12, 7)));
        assert_eq!(ix.item_start(&kids[1]), Pos::new(11, 7));
        assert_eq!(ix.item_key(&kids[2], "id"), Some(Pos::new(13, 39)));
        let grand = ix.sub_items(&kids[0], "children");
        assert_eq!(grand.len(), 2);
        assert_eq!(ix.item_key(&grand[0], "id"), Some(Pos::new(9, 19)));
        // A key of a nested mapping, or inside a quoted value, is not the item's.
        assert_eq!(ix.item_key(&grand[1], "id"), None);
        assert_eq!(ix.item_start(&grand[1]), Pos::new(9, 42));
        let flow = ix.sub_items(&kids[2], "children");
        assert_eq!(flow.len(), 1);
        assert_eq!(ix.item_key(&flow[0], "id"), Some(Pos::new(13, 30)));
        assert!(ix.sub_items(&kids[1], "children").is_empty());

        let f = "requirements: [\n  {id: A},\n  # note, [x]\n  {title: B, id: 'B'}\n]\n";
        let ix = YamlIndex::new(f, 1);
        let top = ix.items("requirements");
        assert_eq!(top.len(), 2);
        assert_eq!(ix.item_key(&top[0], "id"), Some(Pos::new(2, 4)));
        assert_eq!(ix.item_key(&top[1], "id"), Some(Pos::new(4, 14)));
    }

    #[test]
    fn nested_keys() {
        let y = "name: X\nrules:\n  review-overdue: error\n  mine:\n    every: supplier\n";
        let ix = YamlIndex::new(y, 1);
        let subs = ix.sub_keys("rules");
        assert_eq!(subs.len(), 2);
        assert_eq!(subs[1], ("mine".to_string(), Pos::new(4, 3)));
    }
}
