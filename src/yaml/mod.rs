//! YAML reading: the one place the YAML parser is called, the fast path
//! for flat YAML ([`flat`]), source positions of keys and items
//! ([`pos`]), and the limits that bound what one text may cost. `sms.yaml`,
//! the catalogues, front matter and records are all read through here.

pub mod flat;
mod flow;
pub mod pos;

pub use pos::{Item, YamlIndex};

use yaml_serde::Value;

use crate::diag::Pos;

/// Largest front matter / record / settings file (bytes): YAML is costlier
/// to parse than Markdown.
pub const MAX_YAML: usize = 1024 * 1024;

/// A YAML scalar as text (strings, numbers, booleans); `None` for others.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        _ => None,
    }
}

/// Reads `text` (whose first line is line `first_line` of its file) as a
/// mapping of fields: front matter (`what`: "front matter") or a record.
pub fn parse_mapping(
    text: &str,
    first_line: usize,
    what: &str,
) -> Result<yaml_serde::Mapping, (Pos, String)> {
    // Flat YAML (nearly every front matter and record) has a fast path;
    // anything else, every error included, is yaml_serde's.
    if let Some(m) = flat::parse(text) {
        return Ok(m);
    }
    match parse_yaml(text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Err((
            Pos::new(first_line, 1),
            format!("the {what} is empty; it needs at least `id:` and `title:`"),
        )),
        Ok(Value::Sequence(_)) => Err((
            Pos::new(first_line, 1),
            format!(
                "the {what} is a list; it must be a mapping of fields (`id: ...`, `title: ...`)"
            ),
        )),
        Ok(_) => Err((
            Pos::new(first_line, 1),
            format!(
                "the {what} is a single value; it must be a mapping of fields (`id: ...`, `title: ...`)"
            ),
        )),
        Err((pos, m)) => Err((
            Pos::new(pos.line + first_line - 1, pos.column),
            format!("YAML syntax error in the {what}: {m}"),
        )),
    }
}

/// Most values (scalars, lists, mappings) one YAML text may expand to,
/// counting every copy an alias (`*name`) makes. Without aliases a text
/// within `MAX_YAML` holds far fewer; an alias bomb ("billion laughs") is
/// stopped here, before it is built in memory.
pub const MAX_YAML_VALUES: usize = 500_000;

/// Parses YAML text into a value; errors carry the parser's position within `text`.
pub fn parse_yaml(text: &str) -> Result<Value, (Pos, String)> {
    // A first pass counts the values aliases expand to, without keeping
    // them; a text without `*` has no alias (nearly every text: skipped).
    let count = std::cell::Cell::new(0usize);
    if text.contains('*')
        && let Err(e) = serde::de::DeserializeSeed::deserialize(
            CountValues(&count),
            yaml_serde::Deserializer::from_str(text),
        )
        && count.get() > MAX_YAML_VALUES
    {
        let pos = e
            .location()
            .map(|l| pos_at(text, l.index()))
            .unwrap_or(Pos::START);
        return Err((
            pos,
            format!(
                "the YAML expands to more than {MAX_YAML_VALUES} values through aliases (`*name`) (an alias bomb?); write the values out instead of repeating anchors"
            ),
        ));
    }
    yaml_serde::from_str::<Value>(text).map_err(|e| {
        let mut pos = e
            .location()
            .map(|l| pos_at(text, l.index()))
            .unwrap_or(Pos::START);
        let mut msg = e.to_string();
        // The position is reported separately.
        if let Some(i) = msg.find(" at line ") {
            msg.truncate(i);
        }
        if msg.starts_with("repetition limit exceeded") {
            msg = "aliases (`*name`) are expanded too many times (an alias bomb?); write the values out instead of repeating anchors".into();
        } else if msg.starts_with("recursion limit exceeded") {
            msg = "values are nested too deeply (over 128 levels)".into();
        } else if let Some(i) = msg.find("duplicate entry with key \"") {
            // `path: duplicate entry with key "k"`; the parser points at the
            // mapping: point at the repeated key.
            let path = msg[..i].to_string();
            let key = msg[i + 26..].trim_end_matches('"').to_string();
            if !key.contains('\\')
                && let Some(p) = YamlIndex::new(text, 1).duplicate_key(pos.line, &key)
            {
                pos = p;
            }
            msg = format!("{path}key `{key}` is written twice in the same mapping; keep one");
        }
        (pos, msg)
    })
}

/// Line and column of byte `index` of `text`, counting lines by `\n` as
/// every other position does. The YAML parser's own line numbers also count
/// a lone `\r`, NEL, LS and PS as line breaks, which would put findings on
/// lines the file does not have.
pub fn pos_at(text: &str, index: usize) -> Pos {
    let mut i = index.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    let before = &text[..i];
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    Pos::new(
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Counts every value a YAML text expands to, failing past `MAX_YAML_VALUES`.
struct CountValues<'a>(&'a std::cell::Cell<usize>);

impl CountValues<'_> {
    fn bump<E: serde::de::Error>(&self) -> Result<(), E> {
        let n = self.0.get() + 1;
        self.0.set(n);
        if n > MAX_YAML_VALUES {
            Err(E::custom("too many values"))
        } else {
            Ok(())
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for CountValues<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for CountValues<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.bump()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.bump()
    }
    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<(), E> {
        self.bump()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.bump()
    }
    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<(), E> {
        self.bump()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.bump()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.bump()
    }
    fn visit_bytes<E: serde::de::Error>(self, _: &[u8]) -> Result<(), E> {
        self.bump()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.bump()
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.bump()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.bump()?;
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.bump()?;
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.bump()?;
        while seq.next_element_seed(CountValues(self.0))?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.bump()?;
        while map.next_key_seed(CountValues(self.0))?.is_some() {
            map.next_value_seed(CountValues(self.0))?;
        }
        Ok(())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        self.bump()?;
        let (_, v) = data.variant::<serde::de::IgnoredAny>()?;
        v.newtype_variant_seed(self)
    }
}
