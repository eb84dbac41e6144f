//! A fast reader for flat YAML: the front matter and records nearly every
//! repository is made of (`key: value` lines, `- item` lists, `[a, b]`,
//! `{k: v}`, a literal `body: |` block). It reads that subset in one pass
//! over the lines and gives up (`None`) on anything else, which
//! `yaml_serde` then reads: its event-by-event parser costs about five
//! times more, and front matter and records are most of what a build parses.
//!
//! The subset is chosen so that every value is one `yaml_serde` would give
//! the same text (a string, a list of strings, or null): a plain value
//! must start with a letter (or be a `YYYY-MM-DD` date), so it is never a
//! number, and the words YAML reads as null or booleans are left to
//! `yaml_serde`. Anything that could mean something else (comments,
//! quotes with escapes, flow mappings, anchors, tags, continuation lines,
//! tabs, CR, odd indentation, duplicate keys, errors) is not read here.
//! The tests compare the two readers on every text the fast one accepts.

use yaml_serde::{Mapping, Value};

/// Reads `text` if it is flat YAML (see the module docs); `None` otherwise.
pub fn parse(text: &str) -> Option<Mapping> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut map = Mapping::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line.is_empty() {
            continue;
        }
        let (key, rest) = key_of(line)?;
        let value = match rest {
            "" => {
                // A list on the lines below, or nothing (null).
                match lines.get(i).and_then(|l| item_indent(l)) {
                    Some(indent) => {
                        let mut items = Vec::new();
                        while let Some(l) = lines.get(i) {
                            match l.strip_prefix(indent).and_then(|l| l.strip_prefix("- ")) {
                                Some(item) if !item.starts_with(' ') => {
                                    items.push(inline(item)?);
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        Value::Sequence(items)
                    }
                    None => Value::Null,
                }
            }
            "|" | "|-" => {
                let (body, next) = literal(&lines, i, rest == "|")?;
                i = next;
                Value::String(body)
            }
            v => inline(v)?,
        };
        // The line after an entry starts the next one (or is empty): an
        // indented line would continue the value.
        if lines.get(i).is_some_and(|l| l.starts_with([' ', '\t'])) {
            return None;
        }
        if map.insert(Value::String(key.to_string()), value).is_some() {
            return None; // a duplicate key: `yaml_serde` reports it
        }
    }
    if map.is_empty() { None } else { Some(map) }
}

/// A value written on its line: `[a, b]`, `{k: v}` or a scalar.
fn inline(v: &str) -> Option<Value> {
    match v.as_bytes().first() {
        Some(b'[') => flow_list(v).map(Value::Sequence),
        Some(b'{') => flow_map(v),
        _ => scalar(v).map(|s| Value::String(s.to_string())),
    }
}

/// `key: rest` (or `key:` and an empty rest) at the start of a line.
fn key_of(line: &str) -> Option<(&str, &str)> {
    let end = line
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    let (key, after) = line.split_at(end);
    let first = key.bytes().next()?;
    if !(first.is_ascii_alphabetic() || first == b'_') || special(key) {
        return None;
    }
    let rest = after.strip_prefix(':')?;
    if rest.is_empty() {
        return Some((key, ""));
    }
    let rest = rest.strip_prefix(' ')?;
    if rest.is_empty() || rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((key, rest))
}

/// Words YAML reads as null or booleans (left to `yaml_serde`).
fn special(s: &str) -> bool {
    matches!(
        s,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// The indentation of a list item line (`  - x`): at least one space.
fn item_indent(line: &str) -> Option<&str> {
    let n = line.bytes().take_while(|&b| b == b' ').count();
    (n > 0 && line[n..].starts_with("- ")).then(|| &line[..n])
}

/// A value on one line: plain, or quoted without escapes. The text it
/// stands for.
fn scalar(v: &str) -> Option<&str> {
    if v.ends_with([' ', '\t']) || !all_printable(v, false) {
        return None;
    }
    for quote in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(quote) {
            let inner = inner.strip_suffix(quote)?;
            return (!inner.contains([quote, '\\'])).then_some(inner);
        }
    }
    let first = v.chars().next()?;
    let starts_well = if first.is_ascii() {
        first.is_ascii_alphabetic() || is_date(v)
    } else {
        true // not an indicator, not a digit, not a space
    };
    if !starts_well
        || special(v)
        || v.contains(": ")
        || v.ends_with(':')
        || v.contains(" #")
        || v.contains('\t')
    {
        return None;
    }
    Some(v)
}

/// `YYYY-MM-DD`: a string to `yaml_serde` (it has no date type).
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(k, c)| match k {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// `[a, b]` of plain values (see `flow_word`).
fn flow_list(v: &str) -> Option<Vec<Value>> {
    let inner = v.strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim_matches(' ').is_empty() {
        return inner.is_empty().then(Vec::new);
    }
    inner
        .split(',')
        .map(|item| flow_word(item.trim_matches(' ')).map(|w| Value::String(w.to_string())))
        .collect()
}

/// A plain value inside `[...]` or `{...}`: a `YYYY-MM-DD` date, or it
/// starts with a letter; letters, digits, single spaces and `-_./:` (a `:`
/// between two letters or digits only: `a:` or `a: b` would be a mapping).
fn flow_word(w: &str) -> Option<&str> {
    if is_date(w) {
        return Some(w);
    }
    let b = w.as_bytes();
    let ok = b.first().is_some_and(u8::is_ascii_alphabetic)
        && !special(w)
        && b.iter().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'/' | b' ' | b':')
        })
        && w.match_indices(':').all(|(k, _)| {
            k > 0
                && b[k - 1].is_ascii_alphanumeric()
                && b.get(k + 1).is_some_and(u8::is_ascii_alphanumeric)
        })
        && !w.contains("  ")
        && !w.ends_with(' ');
    ok.then_some(w)
}

/// `{k: v, k: "v", k: [a, b]}`: keys as at the start of a line, values
/// plain as in a flow list, double-quoted without escapes, or a flow list.
fn flow_map(v: &str) -> Option<Value> {
    let mut rest = v.strip_prefix('{')?.strip_suffix('}')?;
    let mut map = Mapping::new();
    loop {
        rest = rest.trim_start_matches(' ');
        let (key, after) = key_of(rest)?;
        if after.is_empty() {
            return None;
        }
        let (value, after) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"')?;
            let value = &q[..end];
            if value.contains('\\') || !all_printable(value, false) {
                return None;
            }
            (Value::String(value.to_string()), &q[end + 1..])
        } else if after.starts_with('[') {
            let end = after.find(']')? + 1;
            (Value::Sequence(flow_list(&after[..end])?), &after[end..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            let word = flow_word(after[..end].trim_end_matches(' '))?;
            (Value::String(word.to_string()), &after[end..])
        };
        if map.insert(Value::String(key.to_string()), value).is_some() {
            return None;
        }
        let after = after.trim_start_matches(' ');
        if after.is_empty() {
            break;
        }
        rest = after.strip_prefix(',')?;
    }
    Some(Value::Mapping(map))
}

/// A literal block (`|`, or `|-` without its last line break) starting at
/// line `start`: its text and the line after it.
fn literal(lines: &[&str], start: usize, keep_last_break: bool) -> Option<(String, usize)> {
    let first = lines[start..].iter().position(|l| !l.is_empty())? + start;
    let indent = lines[first].bytes().take_while(|&b| b == b' ').count();
    if indent == 0 {
        return None;
    }
    let pad = &lines[first][..indent];
    let mut body = String::new();
    // Empty lines are kept once a line follows them.
    let mut empty = first - start;
    let mut end = first;
    let mut last_break = true;
    for (k, line) in lines.iter().enumerate().skip(first) {
        if line.is_empty() {
            empty += 1;
            continue;
        }
        let Some(content) = line.strip_prefix(pad) else {
            if line.starts_with([' ', '\t']) {
                return None; // less indented, not a new entry
            }
            break;
        };
        // (A tab where indentation could be is an error to `yaml_serde`.)
        if content.trim_start_matches([' ', '\t']).is_empty()
            || content.starts_with('\t')
            || !all_printable(content, true)
        {
            return None;
        }
        for _ in 0..empty {
            body.push('\n');
        }
        empty = 0;
        body.push_str(content);
        body.push('\n');
        end = k + 1;
        last_break = k + 1 < lines.len();
    }
    if !last_break || !keep_last_break {
        body.pop();
    }
    // Trailing empty lines belong to nothing (clipped).
    let next = (end..lines.len())
        .find(|&k| !lines[k].is_empty())
        .unwrap_or(lines.len());
    Some((body, next))
}

/// Whether every character of `s` is [`printable`] (or, with `tabs`, a
/// tab). ASCII text, nearly all of it, is checked byte by byte without
/// decoding.
fn all_printable(s: &str, tabs: bool) -> bool {
    if s.is_ascii() {
        s.bytes()
            .all(|b| (b' '..=b'~').contains(&b) || (tabs && b == b'\t'))
    } else {
        s.chars().all(|c| (tabs && c == '\t') || printable(c))
    }
}

/// A character YAML takes as it is inside a value: printable, not a line
/// break of its own (NEL, LS, PS) and not a byte-order mark.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast reader accepts `text` and agrees with `yaml_serde`, key
    /// order included.
    fn same(text: &str) {
        let fast = parse(text).unwrap_or_else(|| panic!("not read: {text:?}"));
        let slow: Mapping = yaml_serde::from_str(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(fast, slow, "{text:?}");
        let keys = |m: &Mapping| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&fast), keys(&slow), "{text:?}");
    }

    /// Left to `yaml_serde`.
    fn declined(text: &str) {
        assert!(parse(text).is_none(), "read, but should not be: {text:?}");
    }

    #[test]
    fn reads_usual_front_matter_as_yaml_serde_does() {
        same(
            "id: POL-008\ntitle: Acceptable use policy\nowner: Identity Lead\nversion: \"1.9\"\nstatus: approved\napproved_on: 2026-10-17\nsatisfies:\n  - ISO20000-1:7.3\n  - CORP:PAT-1\n",
        );
        same(
            "id: SVC-1\nsatisfies: [ISO20000-1:9.1, CORP:PAT-1]\nsuppliers: [SUP-059, SUP-074]\nservices: []\ncustomers:\n  - Operations\n  - Customs team\n",
        );
        same("id: X\nnote:\ntitle: T\n");
        same(
            "id: X\nsatisfies:\n  - {req: CORP:PAT-1, note: \"Evidence kept in PAT-1, see: x.\"}\n  - ISO20000-1:8.6.1\n  - { req: A , note: plain words }\nmap: {a: b, c: d e}\n",
        );
        same("id: X\ntitle: 'Quoted: with colon'\nother: \"a # b\"\n");
        same("id: X\ntitle: C# and F#, [draft] {x} 50% a:b\n");
        same("id: X\ntitle: Ålesund — Göteborg\n_private: y\nyes: no\n");
        same("id: X\n\n\ntitle: T");
        same("id: X\ntitle: Infinity\nother: nan\n");
        same("id: X\nempty: \"\"\nalso: ''\nspaced: \" a \"\n");
        same("id: X\ntitle: \u{a0}nbsp first\nlist: [ Customs team , x.y/z ]\n");
        // Actions, audit results: dates and lists inside flow mappings.
        same(
            "id: X\nactions:\n  - {action: Fix it, owner: SMS manager, due_by: 2026-11-30, done_on: 2026-11-20}\n  - {action: \"Say: why\", owner: A, due_by: 2027-01-31}\nwhen: [2026-01-01, later]\n",
        );
        same(
            "id: X\nresults:\n  - {req: ISO20000-1:8.5, result: conforming, evidence: [PRC-A, PRC-B], note: \"3 of 40\"}\n  - {req: CORP:R-1, evidence: [], result: observation}\n  - {evidence: [ A ,B ] , req: X}\neffectiveness: {verified_by: Priya Natarajan, verified_on: 2026-12-01, result: effective}\n",
        );
    }

    #[test]
    fn reads_literal_blocks_as_yaml_serde_does() {
        same("id: X\nbody: |\n  ## Head\n\n  text\n    indented\n  | a | b |\n\n\nnext: x1\n");
        same("id: X\nbody: |-\n  one\n  two\n");
        same("id: X\nbody: |\n\n\n  after empty lines\n");
        same("id: X\nbody: |\n  no final break");
        same("id: X\nbody: |-\n  no final break");
        same("id: X\nbody: |\n  trailing\n\n\n");
        same("body: |\n    deeper\n    # not a comment\n    tab\tinside\nid: X\n");
    }

    #[test]
    fn leaves_everything_else_to_yaml_serde() {
        for text in [
            "",
            "\n\n",
            "# comment\nid: X\n",
            "id: X # comment\n",
            "id: 42\n",
            "id: 1.5\n",
            "id: 2026-1-1\n",
            "id: true\n",
            "id: ~\n",
            "id: null\n",
            "true: x\n",
            "id: X\nid: Y\n",
            "id: X\ntitle: a\n  continued\n",
            "id: X\ntitle: a: b\n",
            "id: X\ntitle: trailing \n",
            "id: X\r\ntitle: T\r\n",
            "id: \"esc\\\"aped\"\n",
            "id: 'it''s'\n",
            "id: &a X\n",
            "id: *a\n",
            "id: !tag X\n",
            "id: -5\n",
            "id: [a, 'b']\n",
            "id: [a: b]\n",
            "id: [a:]\n",
            "id: [a:, b]\n",
            "id: [a :b]\n",
            "id: [a,]\n",
            "id: {a: 1}\n",
            "id: {a: b, a: c}\n",
            "id: {a: b,}\n",
            "id: {a: \"x\\\"y\"}\n",
            "id: {a: 'b'}\n",
            "id: {a:b}\n",
            "id: {}\n",
            "satisfies:\n  - {req: X, note: n: m}\n",
            "id: {a: [b, c}\n",
            "id: {a: [b, [c]]}\n",
            "id: {a: [b] c}\n",
            "id: {a: [b],}\n",
            "id: {a: 2026-01-1}\n",
            "id: [2026-01-01x]\n",
            "satisfies:\n  - req: X\n    note: n\n",
            "satisfies:\n- a\n",
            "satisfies:\n  - a\n   - b\n",
            "body: >\n  folded\n",
            "body: |2\n  x\n",
            "body: |\n  a\n b\n",
            "body: |\n  a\n   \n  b\n",
            "body: |\n\tx\n",
            "body: |\n \t\n",
            "body: |\n  a\n  \tb\n",
            "body: |\n",
            "body: |\nid: X\n",
            "---\nid: X\n",
            "id:X\n",
            "id : X\n",
            "\"id\": X\n",
            "id: X\u{85}Y\n",
            "id: X\u{2028}Y\n",
            "id: \u{feff}X\n",
            "id: a\tb\n",
        ] {
            declined(text);
        }
    }
}
