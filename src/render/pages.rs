//! The site's small pages and static files: the findings of the build,
//! the restricted-document notice, the 404 page, and the theme's static
//! files (`static/`).

use super::site::{Errors, Site};
use super::{Output, RenderError, Sink};
use crate::{address, audience};

/// The family's entry point.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let errs = Errors::default();
    let page = |tpl: &str, path: &str, c: tera::Context| errs.emit(sink, site.page(tpl, path, c));
    let titled = |title: &str| {
        let mut c = tera::Context::new();
        c.insert("title", title);
        c
    };
    page(
        "restricted.html",
        address::RESTRICTED,
        titled(audience::TITLE),
    );
    let mut c = titled("Findings");
    c.insert("findings", site.input.findings);
    page("findings.html", address::FINDINGS, c);
    page("404.html", address::NOT_FOUND, titled("Page not found"));
    for (name, bytes) in &site.theme.statics {
        sink.put(Output {
            path: address::static_file(name),
            bytes: bytes.clone(),
        });
    }
    errs.result()
}
