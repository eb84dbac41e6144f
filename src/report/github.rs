//! `--format github`: GitHub Actions workflow commands, one line per
//! finding (`::error file=…,line=…,col=…,title=…::message`), which the
//! runner turns into annotations on the pull request and the run. Values
//! are escaped as GitHub documents: `%`, `\r`, `\n` in the message, and
//! also `:` and `,` in the properties.

use crate::diag::{Finding, Severity};

/// Every finding as a workflow command line; paths are prefixed with
/// `prefix` (the repository root's folder inside the git work tree).
pub fn to_github(findings: &[Finding], prefix: &str) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Warning => "warning",
            _ => "error",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},title={}::{}\n",
            property(&format!("{prefix}{}", f.file)),
            f.line,
            f.column,
            property(&format!("smsite {}", f.rule)),
            data(&f.message)
        ));
    }
    out
}

/// A command's message.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_documents() {
        assert_eq!(data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
