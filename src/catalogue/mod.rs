//! Requirement catalogues: the built-in ISO/IEC 20000-1:2018 one and YAML
//! catalogue files, flattened into one arena of requirements with parent
//! and child links, addressed as `CATALOGUE:ID`.

mod iso20000;

use std::collections::HashMap;

use yaml_serde::Value;

use crate::config::CatalogueRef;
use crate::diag::{Finding, Pos};
use crate::yaml::{Item, scalar};

pub const ISO: &str = "ISO20000-1";

/// One requirement of a catalogue.
#[derive(Debug, Clone)]
pub struct Requirement {
    /// `CATALOGUE:ID`.
    pub key: String,
    pub catalogue: usize,
    pub id: String,
    pub title: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Where it is declared: the catalogue file and line, or `sms.yaml`'s
    /// `requirements:` entry for a built-in catalogue.
    pub file: String,
    pub pos: Pos,
}

impl Requirement {
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }
}

/// A catalogue in force.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub name: String,
    pub title: String,
    pub exclusions_permitted: bool,
    pub builtin: bool,
    pub file: String,
    /// Requirements of this catalogue (indices into `Catalogues::reqs`), in order.
    pub reqs: Vec<usize>,
}

/// A requirement declared again in its catalogue file. The first
/// declaration is the one in force; this one's title is not used and its
/// children are added to the first's (`duplicate-requirement` reports both
/// places).
#[derive(Debug, Clone)]
pub struct Redeclared {
    /// The requirement in force (index into `Catalogues::reqs`).
    pub first: usize,
    /// Where the id is written again.
    pub file: String,
    pub pos: Pos,
    /// Its title, not used.
    pub title: String,
    /// How many children it declares (added to the first's).
    pub children: usize,
}

/// All requirements in force, by key.
#[derive(Debug, Clone, Default)]
pub struct Catalogues {
    pub list: Vec<Catalogue>,
    pub reqs: Vec<Requirement>,
    pub by_key: HashMap<String, usize>,
    /// Requirements declared more than once, each later declaration.
    pub duplicates: Vec<Redeclared>,
}

impl Catalogues {
    pub fn get(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    /// The leaves beneath (or equal to) requirement `r`.
    /// How many ancestors requirement `q` has (0 for a top-level one).
    pub fn depth(&self, mut q: usize) -> usize {
        let mut d = 0;
        while let Some(p) = self.reqs[q].parent {
            q = p;
            d += 1;
        }
        d
    }

    pub fn leaves(&self, r: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![r];
        while let Some(i) = stack.pop() {
            if self.reqs[i].children.is_empty() {
                out.push(i);
            } else {
                stack.extend(self.reqs[i].children.iter().rev());
            }
        }
        out
    }

    fn push(
        &mut self,
        cat: usize,
        id: String,
        title: String,
        parent: Option<usize>,
        file: &str,
        pos: Pos,
    ) -> usize {
        let key = format!("{}:{}", self.list[cat].name, id);
        let i = self.reqs.len();
        self.reqs.push(Requirement {
            key: key.clone(),
            catalogue: cat,
            id,
            title,
            parent,
            children: Vec::new(),
            file: file.to_string(),
            pos,
        });
        if let Some(p) = parent {
            self.reqs[p].children.push(i);
        }
        self.by_key.insert(key, i);
        self.list[cat].reqs.push(i);
        i
    }
}

/// Reads the catalogues named in `sms.yaml`. `read` fetches a catalogue
/// file's text by its repository-relative path.
pub fn load(
    refs: &[CatalogueRef],
    read: &dyn Fn(&str) -> Result<String, String>,
) -> (Catalogues, Vec<Finding>) {
    let mut cats = Catalogues::default();
    let mut findings = Vec::new();
    for r in refs {
        if r.name == ISO {
            add_iso(&mut cats, r.pos);
            continue;
        }
        if !r.name.ends_with(".yaml") && !r.name.ends_with(".yml") {
            findings.push(Finding::new(
                "parse-error",
                crate::config::FILE,
                r.pos,
                format!(
                    "`{}` is neither a built-in catalogue (ISO20000-1) nor a catalogue file (`requirements/name.yaml`){}",
                    r.name,
                    crate::diag::did_you_mean(&r.name, [ISO])
                ),
            ));
            continue;
        }
        match read(&r.name) {
            Ok(text) => {
                if let Err(f) = add_yaml(&mut cats, &r.name, &text) {
                    findings.extend(f);
                }
            }
            Err(e) => findings.push(Finding::new(
                "parse-error",
                crate::config::FILE,
                r.pos,
                format!("cannot read catalogue file `{}`: {e}", r.name),
            )),
        }
    }
    (cats, findings)
}

fn add_iso(cats: &mut Catalogues, pos: Pos) {
    if cats.list.iter().any(|c| c.name == ISO) {
        return;
    }
    let cat = cats.list.len();
    cats.list.push(Catalogue {
        name: ISO.into(),
        title: "ISO/IEC 20000-1:2018 Service management system requirements".into(),
        exclusions_permitted: false,
        builtin: true,
        file: crate::config::FILE.into(),
        reqs: Vec::new(),
    });
    for (n, title) in iso20000::CLAUSES {
        let parent = iso20000::parent(n).and_then(|p| cats.get(&format!("{ISO}:{p}")));
        cats.push(
            cat,
            n.to_string(),
            title.to_string(),
            parent,
            crate::config::FILE,
            pos,
        );
    }
}

fn add_yaml(cats: &mut Catalogues, file: &str, text: &str) -> Result<(), Vec<Finding>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bad = |pos: Pos, m: String| vec![Finding::new("parse-error", file, pos, m)];
    let root = crate::yaml::parse_yaml(text)
        .map_err(|(pos, m)| bad(pos, format!("catalogue is not valid YAML: {m}")))?;
    let Value::Mapping(m) = root else {
        return Err(bad(
            Pos::START,
            "a catalogue is a mapping with `catalogue:`, `title:` and `requirements:`".into(),
        ));
    };
    let index = crate::yaml::YamlIndex::new(text, 1);
    let Some(name) = m.get("catalogue").and_then(scalar) else {
        return Err(bad(Pos::START, "a catalogue needs `catalogue: PREFIX` (the prefix of its references, e.g. CORP for CORP:SEC-1)".into()));
    };
    if !crate::model::valid_id(&name) {
        return Err(bad(
            index.key_or_start("catalogue"),
            format!("catalogue name `{name}` may only hold letters, digits, `-`, `_` and `.`"),
        ));
    }
    if cats.list.iter().any(|c| c.name == name) {
        return Err(bad(
            index.key_or_start("catalogue"),
            format!("catalogue `{name}` is already in force; give this catalogue another name"),
        ));
    }
    let exclusions_permitted =
        m.get("exclusions").and_then(scalar).as_deref() != Some("not-permitted");
    let cat = cats.list.len();
    cats.list.push(Catalogue {
        name: name.clone(),
        title: m
            .get("title")
            .and_then(scalar)
            .unwrap_or_else(|| name.clone()),
        exclusions_permitted,
        builtin: false,
        file: file.to_string(),
        reqs: Vec::new(),
    });
    let mut read = Reader {
        cats,
        cat,
        file,
        index: &index,
        findings: Vec::new(),
    };
    match m.get("requirements") {
        Some(Value::Sequence(items)) => {
            let spans = index.items("requirements");
            read.items(items, &spans, None, index.key_or_start("requirements"));
        }
        _ => read.findings.push(Finding::new(
            "parse-error",
            file,
            index.key_or_start("requirements"),
            "a catalogue needs a `requirements:` list of `{id, title}` entries",
        )),
    }
    if read.findings.is_empty() {
        Ok(())
    } else {
        Err(read.findings)
    }
}

/// Reads the requirements of one catalogue file into the arena, each at
/// the place its `id:` is written.
struct Reader<'a> {
    cats: &'a mut Catalogues,
    cat: usize,
    file: &'a str,
    index: &'a crate::yaml::YamlIndex,
    findings: Vec<Finding>,
}

impl Reader<'_> {
    /// Reads the requirements `values` (written at `spans`; `fallback` when
    /// their places are not known) as children of `parent`.
    fn items(&mut self, values: &[Value], spans: &[Item], parent: Option<usize>, fallback: Pos) {
        for (n, value) in values.iter().enumerate() {
            let span = spans.get(n);
            let start = span.map_or(fallback, |it| self.index.item_start(it));
            let Value::Mapping(m) = value else {
                self.bad(
                    start,
                    "each requirement is a mapping with `id:` and `title:`".into(),
                );
                continue;
            };
            let id = m.get("id").and_then(scalar).unwrap_or_default();
            let at = span
                .and_then(|it| self.index.item_key(it, "id"))
                .unwrap_or(start);
            let key = format!("{}:{}", self.cats.list[self.cat].name, id);
            let title = m.get("title").and_then(scalar).unwrap_or_default();
            // The requirement the item's children go under.
            let under = if id.is_empty() {
                self.bad(at, "this requirement has no `id:`; give it one, unique in its catalogue (e.g. `id: SEC-1`)".into());
                parent
            } else if !valid_req_id(&id) {
                self.bad(at, format!("requirement id `{id}` may only hold letters, digits, `-`, `_`, `.`, `(` and `)`, and not start with `.`, `(` or `)`; write e.g. `{}`", suggest_req_id(&id)));
                parent
            } else if let Some(first) = self.cats.get(&key) {
                let children = match m.get("children") {
                    Some(Value::Sequence(c)) => c.len(),
                    _ => 0,
                };
                self.cats.duplicates.push(Redeclared {
                    first,
                    file: self.file.to_string(),
                    pos: at,
                    title,
                    children,
                });
                Some(first)
            } else {
                Some(self.cats.push(self.cat, id, title, parent, self.file, at))
            };
            match m.get("children") {
                None | Some(Value::Null) => {}
                Some(Value::Sequence(children)) => {
                    let spans =
                        span.map_or_else(Vec::new, |it| self.index.sub_items(it, "children"));
                    let at = span
                        .and_then(|it| self.index.item_key(it, "children"))
                        .unwrap_or(start);
                    self.items(children, &spans, under, at);
                }
                Some(_) => {
                    let at = span
                        .and_then(|it| self.index.item_key(it, "children"))
                        .unwrap_or(start);
                    self.bad(
                        at,
                        "`children:` is a list of requirements, each `{id, title}`".into(),
                    );
                }
            }
        }
    }

    fn bad(&mut self, pos: Pos, message: String) {
        self.findings
            .push(Finding::new("parse-error", self.file, pos, message));
    }
}

/// Requirement ids: letters, digits, `-`, `_`, `.`, and the parentheses
/// of catalogues such as NIST SP 800-53 (`AC-2(1)`) and HIPAA
/// (`164.308(a)(1)(i)`); not starting with `.`, `(` or `)`. They become
/// file names of the site (`req/CATALOGUE/ID.html`) and parts of URLs,
/// which all of these are valid in.
pub fn valid_req_id(s: &str) -> bool {
    !s.starts_with(['.', '(', ')'])
        && !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'))
}

/// A valid requirement id close to `id`: each run of other characters
/// (spaces, slashes, ...) made one `-` (`CIS Safeguard 4.6` →
/// `CIS-Safeguard-4.6`).
pub fn suggest_req_id(id: &str) -> String {
    let mut s = String::with_capacity(id.len());
    for c in id.trim().chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')') {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    // No leading `.`, `(`, `)` or `-`, and no `)` left without its `(`.
    let mut open = 0usize;
    let s: String = s
        .trim_start_matches(['.', '(', ')', '-'])
        .chars()
        .filter(|&c| match c {
            '(' => {
                open += 1;
                true
            }
            ')' if open == 0 => false,
            ')' => {
                open -= 1;
                true
            }
            _ => true,
        })
        .collect();
    if s.is_empty() { "REQ-1".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_ids_and_suggestions() {
        for ok in ["AC-2(1)", "164.308(a)(1)(i)", "A-1", "8.3.3", "x_y"] {
            assert!(valid_req_id(ok), "{ok}");
        }
        for bad in [
            "",
            "(1)",
            ".a",
            ")a",
            "CIS Safeguard 4.6",
            "a/b",
            "é",
            "a:b",
        ] {
            assert!(!valid_req_id(bad), "{bad}");
        }
        for (id, want) in [
            ("CIS Safeguard 4.6", "CIS-Safeguard-4.6"),
            ("(1)", "1"),
            ("  ", "REQ-1"),
            ("A / B", "A-B"),
        ] {
            assert_eq!(suggest_req_id(id), want);
            assert!(valid_req_id(&suggest_req_id(id)));
        }
    }
}
