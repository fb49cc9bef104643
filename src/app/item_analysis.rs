//! Item analysis per exam for its editors: the statistics of every question
//! over the finished mocks (mode `exam`, scored items only), of everyone or
//! of one of the actor's groups, from the stored tallies, or over the mocks
//! finished in a date range, from their responses. The tallying itself
//! ([`tally_pending`]) runs in the sweep and before each analysis, so the
//! numbers are always current and a submit never waits for it.

use std::time::{Duration, Instant};

use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use super::exams::{self, Actor};
use super::{App, Result, groups};
use crate::analysis::{Attempt, Flag, ItemKey, ItemStats, analyse};
use crate::store::exams::Exam;
use crate::store::groups::Listed;
use crate::store::item_tallies::{self, Analysed, EVERYONE};

/// Mocks counted in one transaction: small enough to hold briefly.
pub const TALLY_BATCH: i64 = 500;

/// How long the sweep keeps tallying before leaving the rest for the next.
pub const SWEEP_BUDGET: Duration = Duration::from_secs(20);

/// Counts finished mocks (of `exam`, or of every exam) into the tallies in
/// batches until none is left or `budget` has passed. Returns how many.
pub async fn tally_pending(app: &App, exam: Option<Uuid>, budget: Duration) -> Result<usize> {
    let started = Instant::now();
    let mut counted = 0;
    loop {
        let n = item_tallies::tally_pending(&app.db, exam, TALLY_BATCH).await?;
        counted += n;
        if (n as i64) < TALLY_BATCH || started.elapsed() >= budget {
            return Ok(counted);
        }
    }
}

/// What to analyse: one of the actor's groups (None: everyone) and the
/// days the mocks finished in (UTC, both ends included; None: all of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filters {
    pub group: Option<Uuid>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Filters {
    fn range(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
}

/// One question and its statistics.
pub struct AnalysedItem {
    pub question: Analysed,
    pub stats: ItemStats,
    /// Problem reports still open or acknowledged.
    pub open_reports: i64,
}

impl AnalysedItem {
    /// Flags that say something about the question: every flag but "too
    /// few responses", which says only that there is too little data.
    pub fn flagged(&self) -> bool {
        self.stats.flags.iter().any(|f| !matches!(f, Flag::TooFewResponses { .. }))
    }
}

pub struct ItemAnalysis {
    pub exam: Exam,
    /// The groups the actor may filter by.
    pub groups: Vec<Listed>,
    /// The mocks counted.
    pub attempts: usize,
    /// Flagged questions first, then the rest, each by question id.
    pub items: Vec<AnalysedItem>,
}

impl ItemAnalysis {
    pub fn flagged(&self) -> usize {
        self.items.iter().filter(|i| i.flagged()).count()
    }
}

/// The item analysis of exam `slug` for `actor`, who must be able to edit
/// it; a group that is not the actor's is not found.
pub async fn analysis(app: &App, actor: &Actor, slug: &str, filters: &Filters) -> Result<ItemAnalysis> {
    let exam = exams::editable(app, actor, slug).await?;
    let cohort = match filters.group {
        Some(id) => groups::managed(app, actor, id).await?.id,
        None => EVERYONE,
    };
    let questions = item_tallies::questions(&app.db, exam.id).await?;
    let keys: Vec<ItemKey> = questions.iter().map(|q| ItemKey::of(q.id, &q.content.question.body)).collect();
    let (attempts, stats) = if filters.range() {
        let from = filters.from.map_or(OffsetDateTime::UNIX_EPOCH, start_of);
        // The `to` day is included: up to the start of the next.
        let to = filters.to.and_then(Date::next_day).map_or(app.clock.now() + time::Duration::DAY, start_of);
        let responses = item_tallies::responses_between(&app.db, exam.id, cohort, from, to).await?;
        let attempts = Attempt::totals(&responses);
        (attempts.len(), analyse(&keys, &attempts, &responses))
    } else {
        // Whatever finished since the sweep last ran, so the page is
        // current; a later request finds them counted.
        tally_pending(app, Some(exam.id), SWEEP_BUDGET).await?;
        let tallies = item_tallies::read(&app.db, exam.id, cohort).await?;
        let attempts = item_tallies::counted(&app.db, exam.id, cohort).await? as usize;
        (attempts, keys.iter().map(|k| tallies.stats(k)).collect())
    };
    let reports = item_tallies::open_reports(&app.db, exam.id).await?;
    let mut items: Vec<AnalysedItem> = questions
        .into_iter()
        .zip(stats)
        // A retired question stays in the analysis while mocks have it.
        .filter(|(q, s)| !q.retired || s.responses > 0)
        .map(|(question, stats)| AnalysedItem {
            open_reports: reports.get(&question.id).copied().unwrap_or(0),
            question,
            stats,
        })
        .collect();
    // The questions come by id; a stable sort keeps that within each part.
    items.sort_by_key(|i| !i.flagged());
    let groups = groups::list(app, actor).await?;
    Ok(ItemAnalysis { exam, groups, attempts, items })
}

fn start_of(day: Date) -> OffsetDateTime {
    day.with_time(Time::MIDNIGHT).assume_utc()
}
