//! The parts of the page layout that are the same on every page at the
//! same folder depth: the site header (`header.html`), the navigation by
//! kind (`nav.html`) and the footer (`footer.html`). They see only `site`
//! and `root`, so each is rendered once per depth and handed to every page
//! as `parts` (safe HTML), instead of being rendered again on each of
//! 10,000 pages (5 % of such a build's time).

use std::collections::BTreeMap;

/// (key in `parts`, template).
pub const PARTS: [(&str, &str); 3] = [
    ("header", "header.html"),
    ("nav", "nav.html"),
    ("footer", "footer.html"),
];

/// Depths rendered up front (the site's pages are at most two folders
/// deep); a deeper page renders its own parts.
const DEPTHS: usize = 4;

/// The parts, by depth.
pub struct Layout {
    ready: Vec<tera::Value>,
}

impl Layout {
    /// Renders the parts for the usual depths with `tera` from `global`
    /// (the context every page starts from: `site`): a template error
    /// shows here, once, rather than on every page.
    pub fn new(tera: &tera::Tera, global: &tera::Context) -> Result<Self, tera::Error> {
        let ready = (0..DEPTHS)
            .map(|depth| render(tera, global, depth))
            .collect::<Result<_, _>>()?;
        Ok(Layout { ready })
    }

    /// The `parts` of a page `depth` folders deep (rendered with the same
    /// `tera` and `global` as [`Layout::new`] when deeper than usual).
    pub fn parts(
        &self,
        tera: &tera::Tera,
        global: &tera::Context,
        depth: usize,
    ) -> Result<tera::Value, tera::Error> {
        match self.ready.get(depth) {
            Some(v) => Ok(v.clone()), // shared, not copied
            None => render(tera, global, depth),
        }
    }
}

fn render(
    tera: &tera::Tera,
    global: &tera::Context,
    depth: usize,
) -> Result<tera::Value, tera::Error> {
    let mut c = global.clone();
    c.insert("root", &crate::address::up(depth));
    let mut parts = BTreeMap::new();
    for (key, template) in PARTS {
        let mut html = tera.render(template, &c)?;
        // The file's last line break is the file's, not the part's (as in
        // Jinja): the layout places the part on a line of its own.
        if html.ends_with('\n') {
            html.pop();
            if html.ends_with('\r') {
                html.pop();
            }
        }
        parts.insert(key, tera::Value::safe_string(&html));
    }
    Ok(tera::Value::from(parts))
}
