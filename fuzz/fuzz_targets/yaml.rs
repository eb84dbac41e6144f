//! YAML: sms.yaml, catalogue files, records and source positions. The checks live in
//! `tests/fuzz_logic/mod.rs`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

#[path = "../../tests/fuzz_logic/mod.rs"]
mod logic;

libfuzzer_sys::fuzz_target!(|data: &[u8]| logic::yaml(data));
