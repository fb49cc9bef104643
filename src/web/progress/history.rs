//! The history table of `/me`: one row per attempt, sorted by any column.

use uuid::Uuid;

use crate::exam::Mode;
use crate::store::progress::Attempted;
use crate::web::format;

/// One row of the history table.
pub(super) struct HistoryRow {
    pub id: Uuid,
    pub started: String,
    pub started_at: time::OffsetDateTime,
    pub mode: Mode,
    pub items: i64,
    pub duration: Option<time::Duration>,
    pub duration_text: String,
    /// Finished attempts only.
    pub weighted: Option<f64>,
    /// Only where the estimate holds (see the rule).
    pub scaled: Option<u32>,
    pub passed: Option<bool>,
    pub finished: bool,
}

impl HistoryRow {
    pub(super) fn of(a: &Attempted) -> Self {
        let duration = a.finished_at.map(|f| f - a.started_at);
        let estimate = a.score.as_ref().filter(|s| s.supports_estimate(a.mode));
        HistoryRow {
            id: a.id,
            started: format::utc_minute(a.started_at),
            started_at: a.started_at,
            mode: a.mode,
            items: a.items.into(),
            duration,
            duration_text: duration.map(format::duration).unwrap_or_else(|| "in progress".into()),
            weighted: a.score.as_ref().map(|s| s.weighted_percent),
            scaled: estimate.map(|s| s.scaled),
            passed: estimate.map(|s| s.passed),
            finished: a.finished_at.is_some(),
        }
    }

    pub fn weighted_text(&self) -> String {
        self.weighted.map(|w| format!("{w:.0}%")).unwrap_or_else(|| "—".into())
    }
}

/// The columns the history sorts by.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SortKey {
    Date,
    Mode,
    Items,
    Duration,
    Score,
}

impl SortKey {
    pub(super) const ALL: [(SortKey, &'static str, &'static str); 5] = [
        (SortKey::Date, "date", "Date"),
        (SortKey::Mode, "mode", "Mode"),
        (SortKey::Items, "items", "Items"),
        (SortKey::Duration, "duration", "Duration"),
        (SortKey::Score, "score", "Score"),
    ];

    pub(super) fn as_str(self) -> &'static str {
        Self::ALL.iter().find(|(k, _, _)| *k == self).map_or("date", |(_, word, _)| word)
    }

    pub(super) fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, word, _)| *word == s).map(|(k, _, _)| *k)
    }
}

/// Sorts rows by a column, newest or largest first when `descending`;
/// ties and missing values keep date order.
pub(super) fn sort_rows(rows: &mut [HistoryRow], key: SortKey, descending: bool) {
    rows.sort_by(|a, b| {
        let order = match key {
            SortKey::Date => a.started_at.cmp(&b.started_at),
            SortKey::Mode => a.mode.as_str().cmp(b.mode.as_str()),
            SortKey::Items => a.items.cmp(&b.items),
            SortKey::Duration => a.duration.cmp(&b.duration),
            SortKey::Score => a.weighted.partial_cmp(&b.weighted).unwrap_or(std::cmp::Ordering::Equal),
        };
        let order = order.then(a.started_at.cmp(&b.started_at));
        if descending { order.reverse() } else { order }
    });
}

/// A column header of the history: its link sorts by it, and says how.
pub(super) struct SortLink {
    pub label: &'static str,
    pub href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub aria: &'static str,
}

pub(super) fn sort_links(exam: &str, mode: &str, key: SortKey, descending: bool) -> Vec<SortLink> {
    SortKey::ALL
        .iter()
        .map(|(k, word, label)| {
            let active = *k == key;
            // A click on the active column flips it; a new column starts
            // with the largest or newest first.
            let dir = if active && descending { "asc" } else { "desc" };
            SortLink {
                label,
                href: format!("/me?exam={exam}&mode={mode}&sort={word}&dir={dir}#history"),
                aria: match (active, descending) {
                    (false, _) => "none",
                    (true, true) => "descending",
                    (true, false) => "ascending",
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn row(minute: u8, mode: Mode, weighted: Option<f64>) -> HistoryRow {
        HistoryRow {
            id: Uuid::nil(),
            started: String::new(),
            started_at: datetime!(2026-11-01 10:00 UTC) + time::Duration::minutes(minute.into()),
            mode,
            items: 10,
            duration: None,
            duration_text: String::new(),
            weighted,
            scaled: None,
            passed: None,
            finished: weighted.is_some(),
        }
    }

    #[test]
    fn the_history_sorts_by_any_column_with_date_breaking_ties() {
        let mut rows =
            vec![row(1, Mode::Practice, Some(50.0)), row(2, Mode::Exam, None), row(3, Mode::Exam, Some(80.0))];
        sort_rows(&mut rows, SortKey::Date, true);
        assert_eq!(rows.iter().map(|r| r.started_at.minute()).collect::<Vec<_>>(), [3, 2, 1]);
        sort_rows(&mut rows, SortKey::Score, true);
        assert_eq!(rows.iter().map(|r| r.started_at.minute()).collect::<Vec<_>>(), [3, 1, 2], "unscored last");
        sort_rows(&mut rows, SortKey::Mode, false);
        assert_eq!(rows.iter().map(|r| r.started_at.minute()).collect::<Vec<_>>(), [2, 3, 1], "exam before practice");
    }

    #[test]
    fn a_header_link_flips_only_its_own_column() {
        let links = sort_links("mla-c01", "", SortKey::Score, true);
        let score = links.iter().find(|l| l.label == "Score").unwrap();
        assert_eq!(score.aria, "descending");
        assert!(score.href.contains("sort=score&dir=asc"), "{}", score.href);
        let date = links.iter().find(|l| l.label == "Date").unwrap();
        assert_eq!(date.aria, "none");
        assert!(date.href.contains("sort=date&dir=desc"));
    }
}
