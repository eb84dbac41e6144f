//! Flow collections (`[a, b]`, `{id: A, title: B}`) in YAML text, for
//! [`super::YamlIndex`]: where each entry of a collection is written, and
//! where a flow mapping's key and value are. Byte offsets into the text;
//! quoted scalars, nested collections and comments are stepped over, so a
//! comma or bracket inside them never ends an entry.

use std::ops::Range;

/// The entries of the flow collection whose opening bracket (`[` or `{`)
/// is at byte `open` of `text`, each trimmed of spaces and comments, and
/// the byte just past its closing bracket (the text's end when unclosed).
pub(super) fn entries(text: &str, open: usize) -> (Vec<Range<usize>>, usize) {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    let mut last = open + 1;
    // The last byte that is not a space: a quote opens a scalar only
    // where a scalar may start (not inside a word: `don't`).
    let mut prev = b.get(open).copied().unwrap_or(b'[');
    let mut i = open + 1;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' | b'\'' if matches!(prev, b'[' | b'{' | b',' | b':' | b'?' | b'-') => {
                let end = quoted_end(b, i);
                start.get_or_insert(i);
                last = end;
                prev = c;
                i = end;
                continue;
            }
            b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                start.get_or_insert(i);
                last = i + 1;
            }
            b']' | b'}' if depth == 0 => {
                if let Some(s) = start.take() {
                    out.push(s..last);
                }
                return (out, i + 1);
            }
            b']' | b'}' => {
                depth -= 1;
                last = i + 1;
            }
            b',' if depth == 0 => {
                if let Some(s) = start.take() {
                    out.push(s..last);
                }
            }
            _ => {
                start.get_or_insert(i);
                last = i + 1;
            }
        }
        prev = c;
        i += 1;
    }
    if let Some(s) = start {
        out.push(s..last);
    }
    (out, b.len())
}

/// The byte just past the quoted scalar opening at `i` (`"..."` with `\`
/// escapes, `'...'` with `''`); the text's end when it is not closed.
fn quoted_end(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let mut j = i + 1;
    while let Some(&c) = b.get(j) {
        if q == b'"' && c == b'\\' {
            j += 2;
            continue;
        }
        if c == q {
            if q == b'\'' && b.get(j + 1) == Some(&b'\'') {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

/// A `key: value` entry of a flow mapping (`entry`, a range of `text`):
/// its key (unquoted, as written), where the key starts (its opening
/// quote, if quoted) and where its value starts (the entry's end when it
/// has none). `None` when the entry is not a `key: value` pair.
pub(super) fn key_value(text: &str, entry: Range<usize>) -> Option<(&str, usize, usize)> {
    let b = text.as_bytes();
    let s = entry.start;
    let (key, after) = match b.get(s) {
        Some(b'"' | b'\'') => {
            let end = quoted_end(b, s).min(entry.end);
            (text.get(s + 1..end.saturating_sub(1).max(s + 1))?, end)
        }
        _ => {
            let mut j = s;
            loop {
                match b.get(j) {
                    Some(b':')
                        if j + 1 >= entry.end
                            || matches!(
                                b.get(j + 1),
                                Some(b' ' | b'\t' | b'\n' | b'\r' | b',')
                            ) =>
                    {
                        break;
                    }
                    Some(_) if j < entry.end => j += 1,
                    _ => return None,
                }
            }
            (text.get(s..j)?.trim_end(), j)
        }
    };
    let rest = text.get(after..entry.end)?;
    let colon = rest.len() - rest.trim_start().len();
    if !rest[colon..].starts_with(':') {
        return None;
    }
    let v = after + colon + 1;
    let value = text.get(v..entry.end).unwrap_or("");
    let value_start = v + (value.len() - value.trim_start().len());
    Some((key, s, value_start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str, open: usize) -> Vec<&str> {
        entries(t, open).0.into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn entries_step_over_quotes_nesting_and_comments() {
        let t = "x: [ {id: A, t: 'a, b]'}, \"c}\" , don't, [1, 2] # c, d\n , e ]\ny: 1";
        let open = t.find('[').unwrap_or(0);
        assert_eq!(
            texts(t, open),
            ["{id: A, t: 'a, b]'}", "\"c}\"", "don't", "[1, 2]", "e"]
        );
        let (_, end) = entries(t, open);
        assert_eq!(&t[end..], "\ny: 1");
        // Unclosed: to the end of the text.
        assert_eq!(texts("[a, {b", 0), ["a", "{b"]);
        assert_eq!(texts("[]", 0), Vec::<&str>::new());
    }

    #[test]
    fn keys_and_values_of_a_flow_mapping() {
        let t = "{id: \"A B\", 'title': it's, children: [{id: C}], url: http://x}";
        let (es, _) = entries(t, 0);
        let kv: Vec<(&str, &str)> = es
            .into_iter()
            .filter_map(|e| {
                let end = e.end;
                key_value(t, e).map(|(k, _, v)| (k, &t[v..end]))
            })
            .collect();
        assert_eq!(
            kv,
            [
                ("id", "\"A B\""),
                ("title", "it's"),
                ("children", "[{id: C}]"),
                ("url", "http://x")
            ]
        );
    }
}
