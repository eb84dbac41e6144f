//! The guidance marker: how a scaffolded draft tells the scaffold's
//! guidance from the organisation's own text. Guidance is a Markdown
//! quote block whose first line starts with [`LABEL`]:
//!
//! ```markdown
//! > **Guidance:** Say who may approve changes, and how urgent ones are
//! > handled. Delete this block once the section is written.
//! ```
//!
//! It survives every editor and Markdown renderer (GitHub, GitLab, VS
//! Code's preview, the site), reads as a labelled note on the rendered
//! draft page, and is found with one substring search per body. The rule
//! `template-text` reports an approved document that still holds one.

/// What a guidance block's first line starts with, after `>` and spaces.
pub const LABEL: &str = "**Guidance:**";

/// The byte offsets in `body` of every guidance block's label (the `>`
/// that opens it), outside fenced code blocks: a line starting (after up
/// to three spaces) with `>`, spaces, then [`LABEL`], that does not follow
/// another line of the same quote.
pub fn find(body: &str) -> Vec<usize> {
    let mut out = Vec::new();
    // Most bodies hold no label at all: one search, nothing else.
    if memchr::memmem::find(body.as_bytes(), LABEL.as_bytes()).is_none() {
        return out;
    }
    let mut fence: Option<(u8, usize)> = None;
    let mut in_quote = false;
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let t = line.trim_start_matches(' ').trim_end_matches(['\n', '\r']);
        if let Some(f) = fence_of(t) {
            match fence {
                None if indent < 4 => fence = Some(f),
                Some((c, n)) if f.0 == c && f.1 >= n && t.trim_end().len() == f.1 => fence = None,
                _ => {}
            }
            in_quote = false;
            continue;
        }
        if fence.is_some() || indent >= 4 {
            continue;
        }
        let Some(quoted) = t.strip_prefix('>') else {
            in_quote = false;
            continue;
        };
        if !in_quote && quoted.trim_start().starts_with(LABEL) {
            out.push(start + indent);
        }
        in_quote = true;
    }
    out
}

/// A fence line's character and length (three or more backticks or tildes).
fn fence_of(t: &str) -> Option<(u8, usize)> {
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == c).count();
    (n >= 3).then_some((c, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_block_once_outside_code() {
        let body = "# A\n\n> **Guidance:** write this.\n> More guidance.\n\nText.\n\n   >  **Guidance:** again\n\n```\n> **Guidance:** in code\n```\n\n    > **Guidance:** indented code\n\n> Quoted **Guidance:** not at the start\n";
        let found = find(body);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(&body[found[0]..found[0] + 15], "> **Guidance:**");
        assert!(body[found[1]..].starts_with(">  **Guidance:** again"));
    }

    #[test]
    fn a_body_without_the_label_has_none() {
        assert!(find("> a quote\n\nGuidance: plain words\n").is_empty());
    }

    #[test]
    fn a_tilde_fence_is_closed_only_by_tildes() {
        let body = "~~~\n```\n> **Guidance:** still code\n~~~\n> **Guidance:** out\n";
        assert_eq!(find(body).len(), 1);
    }
}
