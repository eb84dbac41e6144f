//! Replays every input kept in `tests/fixtures/fuzz/<target>/` through the
//! checks of that fuzz target (`tests/fuzz_logic/mod.rs`): inputs that once
//! crashed, hung or misplaced a position, found by fuzzing or by hand.

mod common;
mod fuzz_logic;

use std::time::{Duration, Instant};

fn replay(target: &str, f: fn(&[u8])) {
    let dir = common::fixture("fuzz").join(target);
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if e.file_name().to_string_lossy().ends_with(".txt") {
            continue; // notes on what an input was about
        }
        let data = std::fs::read(e.path()).expect("read input");
        let start = Instant::now();
        f(&data);
        // Debug builds are slow; this still catches a hang.
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{} took {:?}",
            e.path().display(),
            start.elapsed()
        );
        n += 1;
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}

#[test]
fn front_matter_inputs() {
    replay("front_matter", fuzz_logic::front_matter);
}

#[test]
fn markdown_inputs() {
    replay("markdown", fuzz_logic::markdown);
}

#[test]
fn yaml_inputs() {
    replay("yaml", fuzz_logic::yaml);
}

#[test]
fn measurements_inputs() {
    replay("measurements", fuzz_logic::measurements);
}
