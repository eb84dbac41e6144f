//! Heading anchors: GitHub-style slugs, unique on a page.

/// GitHub-style heading slugs: lower case, spaces to `-`, punctuation
/// dropped; a repeated slug gets `-1`, `-2`, …, skipping any suffix a
/// heading already took (`A-1`, `A`, `A` → `a-1`, `a`, `a-2`), so anchors
/// on one page are always unique.
#[derive(Default)]
pub struct Slugger {
    /// Each base slug and the next number to try after it.
    next: crate::FastMap<String, usize>,
    used: crate::FastSet<String>,
}

impl Slugger {
    pub fn slug(&mut self, text: &str) -> String {
        let base = slug(text);
        let n = self.next.entry(base.clone()).or_insert(0);
        loop {
            let out = if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            if self.used.insert(out.clone()) {
                return out;
            }
        }
    }
}

pub fn slug(text: &str) -> String {
    let text = text.trim();
    let mut s = String::with_capacity(text.len());
    if text.is_ascii() {
        for &c in text.as_bytes() {
            if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
                s.push(char::from(c.to_ascii_lowercase()));
            } else if c == b' ' {
                s.push('-');
            }
        }
        return s;
    }
    for c in text.chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            s.extend(c.to_lowercase());
        } else if c == ' ' {
            s.push('-');
        }
    }
    s
}

#[cfg(test)]
mod slugs {
    use super::*;

    /// The definition `Slugger` implements.
    fn reference(texts: &[String]) -> Vec<String> {
        let mut next = std::collections::HashMap::new();
        let mut used = std::collections::HashSet::new();
        texts
            .iter()
            .map(|t| {
                let base = slug(t);
                let n = next.entry(base.clone()).or_insert(0);
                loop {
                    let out = if *n == 0 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    };
                    *n += 1;
                    if used.insert(out.clone()) {
                        return out;
                    }
                }
            })
            .collect()
    }

    /// The general definition of `slug`, which its ASCII path must match.
    fn slug_reference(text: &str) -> String {
        let mut s = String::new();
        for c in text.trim().chars() {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                s.extend(c.to_lowercase());
            } else if c == ' ' {
                s.push('-');
            }
        }
        s
    }

    #[test]
    fn numbers_skip_taken_suffixes() {
        let mut s = Slugger::default();
        let got: Vec<String> = ["A-1", "A", "A", "A"].iter().map(|t| s.slug(t)).collect();
        assert_eq!(got, ["a-1", "a", "a-2", "a-3"]);
    }

    proptest::proptest! {
        #[test]
        fn slugger_matches_its_definition(texts in proptest::collection::vec("(A|a|A-1|a-2|B|b c|É|_)( A| 1|-1|-2){0,2}", 0..60)) {
            let mut s = Slugger::default();
            let got: Vec<String> = texts.iter().map(|t| s.slug(t)).collect();
            proptest::prop_assert_eq!(got, reference(&texts));
        }

        #[test]
        fn slug_matches_its_definition(text in "[ a-zA-Z0-9_.,:!-]{0,30}|.{0,20}") {
            proptest::prop_assert_eq!(slug(&text), slug_reference(&text));
        }
    }
}
