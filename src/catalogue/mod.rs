//! Requirement catalogues: the built-in ISO/IEC 20000-1:2018 one and YAML
//! catalogue files, flattened into one arena of requirements with parent
//! and child links, addressed as `CATALOGUE:ID`.

mod iso20000;

use std::collections::HashMap;

use yaml_serde::Value;

use crate::config::CatalogueRef;
use crate::diag::{Finding, Pos};
use crate::yaml::scalar;

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

/// All requirements in force, by key.
#[derive(Debug, Clone, Default)]
pub struct Catalogues {
    pub list: Vec<Catalogue>,
    pub reqs: Vec<Requirement>,
    pub by_key: HashMap<String, usize>,
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
    let mut findings = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut search_from = 0usize;
    if let Some(Value::Sequence(items)) = m.get("requirements") {
        add_items(
            cats,
            cat,
            file,
            items,
            None,
            &lines,
            &mut search_from,
            &mut findings,
        );
    } else {
        findings.push(Finding::new(
            "parse-error",
            file,
            index.key_or_start("requirements"),
            "a catalogue needs a `requirements:` list of `{id, title}` entries",
        ));
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(findings)
    }
}

#[allow(clippy::too_many_arguments)]
fn add_items(
    cats: &mut Catalogues,
    cat: usize,
    file: &str,
    items: &[Value],
    parent: Option<usize>,
    lines: &[&str],
    from: &mut usize,
    findings: &mut Vec<Finding>,
) {
    for item in items {
        let Value::Mapping(m) = item else {
            findings.push(Finding::new(
                "parse-error",
                file,
                Pos::new(*from + 1, 1),
                "each requirement is a mapping with `id:` and `title:`",
            ));
            continue;
        };
        let id = m.get("id").and_then(scalar).unwrap_or_default();
        let pos = locate_id(lines, &id, from);
        if id.is_empty() || !crate::model::valid_id(&id) {
            findings.push(Finding::new("parse-error", file, pos, format!("requirement id `{id}` must be non-empty and hold only letters, digits, `-`, `_` and `.`")));
            continue;
        }
        let key = format!("{}:{}", cats.list[cat].name, id);
        if cats.by_key.contains_key(&key) {
            findings.push(Finding::new(
                "parse-error",
                file,
                pos,
                format!(
                    "requirement `{key}` is declared twice; each id is unique within its catalogue"
                ),
            ));
            continue;
        }
        let title = m.get("title").and_then(scalar).unwrap_or_default();
        let i = cats.push(cat, id, title, parent, file, pos);
        if let Some(Value::Sequence(children)) = m.get("children") {
            add_items(cats, cat, file, children, Some(i), lines, from, findings);
        }
    }
}

/// Line of `id: <id>` at or after line `*from` (0-based); advances `*from`.
fn locate_id(lines: &[&str], id: &str, from: &mut usize) -> Pos {
    for (i, l) in lines.iter().enumerate().skip(*from) {
        if let Some(c) = l.find("id:") {
            let v = l[c + 3..].trim().trim_matches(|c| c == '"' || c == '\'');
            let v = v
                .split([',', '}', ' '])
                .next()
                .unwrap_or("")
                .trim_matches(|c| c == '"' || c == '\'');
            let before = l[..c].trim_start_matches([' ', '-', '{']);
            if v == id && (before.is_empty() || before.ends_with(", ") || before.ends_with(',')) {
                *from = i + 1;
                let col = l[..c].chars().count() + 1;
                let dash = l.find('-').filter(|&d| d < c);
                return Pos::new(
                    i + 1,
                    dash.map(|d| l[..d].chars().count() + 1).unwrap_or(col),
                );
            }
        }
    }
    Pos::new(*from + 1, 1)
}
