//! Measured values: plain decimal numbers with `.` as the decimal mark.

/// Reads a measured value: an optional sign, digits, and an optional `.`
/// with more digits (`99.95`, `-3`, `.5`). No exponent, no thousands
/// separator, no unit; never NaN or infinite. The error says what to write.
pub fn parse(text: &str) -> Result<f64, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("`value` is empty; write the measured number, e.g. `99.95`".into());
    }
    if !plain_decimal(s) {
        return Err(not_a_number(s));
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "`{s}` is too large a number to compare; write the measured value"
        )),
    }
}

/// `[+-]? (digits [. digits?] | . digits)`.
fn plain_decimal(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    (!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac)
}

/// The message for a value that is not a plain decimal number, naming the
/// number meant when it is recognisable.
fn not_a_number(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    if [
        "nan",
        "inf",
        "+inf",
        "-inf",
        "infinity",
        "+infinity",
        "-infinity",
    ]
    .contains(&lower.as_str())
    {
        return format!("`{s}` is not a measured number; write a finite number, e.g. `99.95`");
    }
    if let Some((int, frac)) = s.split_once(',')
        && plain_decimal(int)
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
    {
        if frac.len() == 3 {
            return format!(
                "`{s}` has a comma; numbers use `.` as the decimal mark and no thousands separator: write `{int}.{frac}` or `{int}{frac}`"
            );
        }
        return format!("`{s}` uses a comma as the decimal mark; use a dot: `{int}.{frac}`");
    }
    let without: String = s.chars().filter(|c| *c != ',' && *c != ' ').collect();
    if s.contains(',') && plain_decimal(&without) {
        return format!(
            "`{s}` has thousands separators; write the number without them: `{without}`"
        );
    }
    if let Some(n) = leading_number(s) {
        return format!(
            "`{s}` is not a number; write the number alone, `{n}` (the unit is the target's)"
        );
    }
    if s.contains(['e', 'E']) && s.parse::<f64>().is_ok_and(f64::is_finite) {
        return format!(
            "`{s}` is written with an exponent; write the number in full, with `.` as the decimal mark"
        );
    }
    format!(
        "`{s}` is not a number; write the measured value with `.` as the decimal mark, e.g. `99.95`"
    )
}

/// The plain number that starts `s` when the rest is a unit (`99.5 %`,
/// `12min`): letters, `%` and spaces.
fn leading_number(s: &str) -> Option<&str> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (n, rest) = s.split_at(end);
    let unit = rest.trim();
    (plain_decimal(n)
        && !unit.is_empty()
        && unit
            .chars()
            .all(|c| c.is_alphabetic() || c == '%' || c == ' ' || c == '/'))
    .then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_are_read() {
        assert_eq!(parse("99.95"), Ok(99.95));
        assert_eq!(parse(" 12 "), Ok(12.0));
        assert_eq!(parse("-3"), Ok(-3.0));
        assert_eq!(parse("+0.5"), Ok(0.5));
        assert_eq!(parse(".5"), Ok(0.5));
        assert_eq!(parse("5."), Ok(5.0));
    }

    #[test]
    fn other_numbers_are_refused_with_the_fix() {
        let e = parse("99,5").unwrap_err();
        assert!(
            e.contains("comma as the decimal mark") && e.ends_with("`99.5`"),
            "{e}"
        );
        let e = parse("1,234.5").unwrap_err();
        assert!(
            e.contains("thousands separators") && e.ends_with("`1234.5`"),
            "{e}"
        );
        let e = parse("1,234").unwrap_err();
        assert!(e.contains("`1.234` or `1234`"), "{e}");
        let e = parse("99.5 %").unwrap_err();
        assert!(e.contains("write the number alone, `99.5`"), "{e}");
        assert!(parse("12min").unwrap_err().contains("`12`"));
        for bad in ["NaN", "inf", "-Infinity"] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains("finite number"), "{bad}: {e}");
        }
        assert!(parse("1e3").unwrap_err().contains("exponent"));
        assert!(parse("").unwrap_err().contains("empty"));
        assert!(parse(".").unwrap_err().contains("not a number"));
        assert!(parse("-").is_err());
        assert!(
            parse("abc")
                .unwrap_err()
                .contains("`.` as the decimal mark")
        );
        let huge = "9".repeat(400);
        assert!(parse(&huge).unwrap_err().contains("too large"));
    }
}
