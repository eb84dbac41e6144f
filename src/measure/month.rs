//! Calendar months, `YYYY-MM`: the period of a measurement.

use std::fmt;

/// A calendar month of a year from 0000 to 9999. Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
}

const NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl Month {
    /// The month `month` (1 to 12) of `year` (0 to 9999); `None` outside.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        let year = u16::try_from(year).ok().filter(|y| *y <= 9999)?;
        let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        Some(Month { year, month })
    }

    /// Months since 0000-01: consecutive months have consecutive indices.
    pub fn index(self) -> u32 {
        u32::from(self.year) * 12 + u32::from(self.month) - 1
    }

    /// The month with index `i` (see [`Month::index`]); `None` past 9999-12.
    pub fn from_index(i: u32) -> Option<Month> {
        Month::new(i32::try_from(i / 12).ok()?, i % 12 + 1)
    }

    /// The month after this one; `None` after 9999-12.
    pub fn next(self) -> Option<Month> {
        Month::from_index(self.index() + 1)
    }

    /// The month before this one; `None` before 0000-01.
    pub fn prev(self) -> Option<Month> {
        Month::from_index(self.index().checked_sub(1)?)
    }

    /// The month `n` months before this one (0: this one), stopping at 0000-01.
    pub fn back(self, n: u32) -> Month {
        Month::from_index(self.index().saturating_sub(n)).unwrap_or(self)
    }

    /// Every month from `from` to `to`, both included (none when `to` is earlier).
    pub fn range(from: Month, to: Month) -> impl Iterator<Item = Month> {
        (from.index()..=to.index()).filter_map(Month::from_index)
    }

    /// Reads `YYYY-MM`. The error says what is wrong and what to write,
    /// with the month meant when the text is recognisably one (`2026-1`,
    /// `Oct 2026`, `10/2026`, `2026-10-15`).
    pub fn parse(text: &str) -> Result<Month, String> {
        let s = text.trim();
        if let Some(m) = strict(s) {
            return m.ok_or_else(|| {
                format!(
                    "`{s}` is not a month: months run from 01 to 12; write the period as YYYY-MM, e.g. `{}-12`",
                    &s[..4]
                )
            });
        }
        if s.is_empty() {
            return Err(
                "`period` is empty; write the month measured as YYYY-MM, e.g. `2026-10`".into(),
            );
        }
        Err(match loose(s) {
            Some((m, true)) => {
                format!("`{s}` is a date, but a period is a month; write `{m}`")
            }
            Some((m, false)) => format!("`{s}` is not written YYYY-MM; write `{m}`"),
            None => format!("`{s}` is not a month; write the period as YYYY-MM, e.g. `2026-10`"),
        })
    }
}

/// `Some(Some(month))` for a valid `YYYY-MM`, `Some(None)` for one with a
/// month outside 01-12, `None` when the text is not shaped `DDDD-DD`.
fn strict(s: &str) -> Option<Option<Month>> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 7 || b[4] != b'-' || !digits(0..4) || !digits(5..7) {
        return None;
    }
    let year = s[..4].parse().ok()?;
    let month = s[5..].parse().ok()?;
    Some(Month::new(year, month))
}

/// The month meant by a period written another way: year and month in
/// either order, separated by `-`, `/`, `.` or spaces, the month as a
/// number or an English name (at least its first three letters); or a
/// date `YYYY-MM-DD` (`true`: it was a date).
fn loose(s: &str) -> Option<(Month, bool)> {
    let parts: Vec<&str> = s
        .split(['-', '/', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [a, b] => year_of(a)
            .and_then(|y| Month::new(y, month_of(b)?))
            .or_else(|| Month::new(year_of(b)?, month_of(a)?))
            .map(|m| (m, false)),
        [y, m, d] if d.len() <= 2 && d.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d)) => {
            Some((Month::new(year_of(y)?, month_of(m)?)?, true))
        }
        _ => None,
    }
}

fn year_of(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn month_of(s: &str) -> Option<u32> {
    if s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok().filter(|m| (1..=12).contains(m));
    }
    let lower = s.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let i = NAMES.iter().position(|n| n.starts_with(&lower))?;
    u32::try_from(i + 1).ok()
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for Month {
    type Err = String;
    fn from_str(s: &str) -> Result<Month, String> {
        Month::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(year: i32, month: u32) -> Month {
        Month::new(year, month).unwrap()
    }

    #[test]
    fn parses_and_displays_yyyy_mm() {
        assert_eq!(Month::parse("2026-10"), Ok(m(2026, 10)));
        assert_eq!(Month::parse(" 0999-01 "), Ok(m(999, 1)));
        assert_eq!(m(2026, 3).to_string(), "2026-03");
        assert_eq!("2026-12".parse::<Month>(), Ok(m(2026, 12)));
    }

    #[test]
    fn order_next_prev_and_range() {
        assert!(m(2025, 12) < m(2026, 1));
        assert_eq!(m(2025, 12).next(), Some(m(2026, 1)));
        assert_eq!(m(2026, 1).prev(), Some(m(2025, 12)));
        assert_eq!(m(9999, 12).next(), None);
        assert_eq!(m(0, 1).prev(), None);
        assert_eq!(m(2026, 2).back(3), m(2025, 11));
        assert_eq!(m(0, 2).back(5), m(0, 1));
        let r: Vec<String> = Month::range(m(2025, 11), m(2026, 2))
            .map(|x| x.to_string())
            .collect();
        assert_eq!(r, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(Month::range(m(2026, 2), m(2026, 1)).count(), 0);
        assert_eq!(Month::from_index(m(2026, 7).index()), Some(m(2026, 7)));
    }

    #[test]
    fn bad_periods_say_what_to_write() {
        let e = Month::parse("2026-13").unwrap_err();
        assert!(
            e.contains("`2026-13` is not a month") && e.contains("01 to 12"),
            "{e}"
        );
        assert!(Month::parse("2026-00").is_err());
        let e = Month::parse("2026-1").unwrap_err();
        assert!(e.ends_with("write `2026-01`"), "{e}");
        let e = Month::parse("Oct 2026").unwrap_err();
        assert!(e.ends_with("write `2026-10`"), "{e}");
        assert!(
            Month::parse("October 2026")
                .unwrap_err()
                .ends_with("`2026-10`")
        );
        assert!(Month::parse("10/2026").unwrap_err().ends_with("`2026-10`"));
        assert!(Month::parse("2026/9").unwrap_err().ends_with("`2026-09`"));
        let e = Month::parse("2026-10-15").unwrap_err();
        assert!(e.contains("is a date") && e.ends_with("`2026-10`"), "{e}");
        let e = Month::parse("soon").unwrap_err();
        assert!(e.contains("YYYY-MM"), "{e}");
        let e = Month::parse("").unwrap_err();
        assert!(e.contains("empty"), "{e}");
        assert!(Month::parse("2026-13-01").unwrap_err().contains("YYYY-MM"));
        // Non-ASCII text never panics on the byte slicing.
        assert!(Month::parse("2026-é").is_err());
        assert!(Month::parse("éééé-01").is_err());
    }
}
