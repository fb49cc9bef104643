//! How times, days and durations read on every page. The server keeps UTC
//! and does not know the learner's zone, so times say "UTC".

use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// `2026-03-01 14:05 UTC`.
pub fn utc_minute(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).unwrap_or_else(|_| utc.to_string())
}

/// `3 Nov 2026`.
pub fn day(d: Date) -> String {
    d.format(format_description!("[day padding:none] [month repr:short] [year]")).unwrap_or_else(|_| d.to_string())
}

/// A length of time as `1 h 05 min`, `22 min 10 s` or `40 s`: never a bare
/// `0:22` that could be minutes or hours.
pub fn duration(d: time::Duration) -> String {
    let s = d.whole_seconds().max(0);
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    match (h, m) {
        (0, 0) => format!("{sec} s"),
        (0, _) => format!("{m} min {sec:02} s"),
        _ => format!("{h} h {m:02} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn times_days_and_durations_read_plainly() {
        assert_eq!(utc_minute(datetime!(2026-03-01 15:05 +1)), "2026-03-01 14:05 UTC");
        assert_eq!(day(date!(2026 - 11 - 03)), "3 Nov 2026");
        assert_eq!(duration(time::Duration::seconds(40)), "40 s");
        assert_eq!(duration(time::Duration::seconds(22 * 60 + 10)), "22 min 10 s");
        assert_eq!(duration(time::Duration::seconds(3600 + 5 * 60 + 59)), "1 h 05 min");
        assert_eq!(duration(time::Duration::seconds(-3)), "0 s");
    }
}
