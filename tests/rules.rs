//! Every rule fires on a fixture made to break it, at the right file and
//! line, and stays quiet on its fixed twin (`tests/fixtures/rules/<rule>/`).

mod common;

use common::*;

#[test]
fn every_rule_fixture_reports_exactly_what_it_expects() {
    let base = fixture("rules");
    let mut rules: Vec<_> = std::fs::read_dir(&base)
        .expect("fixtures")
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    rules.sort_by_key(|e| e.file_name());
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in rules {
        let mut cases: Vec<_> = std::fs::read_dir(rule.path())
            .expect("cases")
            .flatten()
            .filter(|e| e.path().join("expected.json").exists())
            .collect();
        cases.sort_by_key(|e| e.file_name());
        assert!(
            cases.iter().any(|c| c.file_name() == "good"),
            "{:?} has no good/ fixture",
            rule.file_name()
        );
        assert!(
            cases
                .iter()
                .any(|c| c.file_name().to_string_lossy().starts_with("bad")),
            "{:?} has no bad fixture",
            rule.file_name()
        );
        for case in cases {
            let dir = case.path();
            let (d, want, _distinct) = expected(&dir);
            // A case with a history (`_commits/`) is replayed into a git
            // repository of its own and checked with it.
            let got = if dir.join("_commits").is_dir() {
                let repo = replay(&dir);
                let checked = smsite::check(repo.path(), &options(&d, true)).expect("loads");
                assert!(
                    checked.control.notes.is_empty(),
                    "{:?}",
                    checked.control.notes
                );
                keys(&checked.findings)
            } else {
                keys(&check(&dir, &d).findings)
            };
            checked += 1;
            if got != want {
                failures.push(format!(
                    "{}:\n  missing: {:?}\n  unexpected: {:?}",
                    dir.strip_prefix(&base).unwrap_or(&dir).display(),
                    want.difference(&got).collect::<Vec<_>>(),
                    got.difference(&want).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(checked >= 26, "only {checked} fixtures found");
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn bad_fixtures_fail_with_exit_1_and_good_ones_pass() {
    for (case, code) in [
        ("rules/broken-reference/bad", 1),
        ("rules/broken-reference/good", 0),
        ("rules/review-overdue/bad", 0),
    ] {
        let out = smsite(&[
            "check",
            fixture(case).to_str().unwrap_or_default(),
            "--date",
            "2026-12-01",
        ]);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{case}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // --strict turns warnings into failures.
    let out = smsite(&[
        "check",
        fixture("rules/review-overdue/bad")
            .to_str()
            .unwrap_or_default(),
        "--date",
        "2026-12-01",
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(1));
}
