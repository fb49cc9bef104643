//! Starting an attempt: what each mode draws, for how long, and the one
//! transaction that writes the attempt with its items.

use std::collections::HashMap;

use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::{App, Result, progress};
use crate::exam::draw::{self, Request};
use crate::exam::{Blueprint, ExtraTime, Mode};
use crate::store::attempts::{self, NewAttempt, NewItem, Settings};
use crate::store::exams::{self, Exam};

/// The most questions one practice, drill or review may draw.
pub const MAX_COUNT: u32 = crate::exam::blueprint::MAX_QUESTION_COUNT;
/// How many a practice, drill or review draws when not told.
const DEFAULT_COUNT: u32 = 10;

/// What a learner asks for when starting.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct StartRequest {
    pub mode: Mode,
    #[serde(default)]
    pub count: Option<u32>,
    /// Practice: the domains to draw from (all when empty). Drill: one.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Drill: a tag instead of a domain.
    #[serde(default)]
    pub tag: Option<String>,
    /// Practice and drill: run a countdown at the exam's pace.
    #[serde(default)]
    pub timed: bool,
    /// Mock exam: mix in the exam's unscored items.
    #[serde(default)]
    pub real_conditions: bool,
    /// Mock exam: mark how sure you are of each answer ("sure" or "not
    /// sure"). Practice, drill and review always offer the mark.
    #[serde(default)]
    pub confidence: bool,
    /// Mock exam: extra time, as real exams grant it.
    #[serde(default)]
    pub extra_time: ExtraTime,
}

/// Why an attempt was not started; the learner can fix each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartRefusal {
    UnknownDomain(String),
    /// A drill names neither one domain nor one tag, or both.
    DrillNeedsOneFocus,
    CountOutOfRange,
    /// Review mode, and nothing is due: the next question comes due then
    /// (None: the learner has nothing in the queue).
    NothingToReview {
        next_due: Option<OffsetDateTime>,
    },
    NothingToDraw,
}

pub enum StartOutcome {
    Started(Uuid),
    Refused(StartRefusal),
}

/// What one mode draws: how many, from which domains, timed or not, with
/// how many unscored items.
struct Plan {
    count: u32,
    domains: Vec<String>,
    tag: Option<String>,
    timed: bool,
    unscored: u32,
}

fn plan(b: &Blueprint, req: &StartRequest) -> Result<Plan, StartRefusal> {
    if let Some(d) = req.domains.iter().find(|d| b.domain(d).is_none()) {
        return Err(StartRefusal::UnknownDomain(d.clone()));
    }
    let all_domains = || b.domains.iter().map(|d| d.code.clone()).collect::<Vec<_>>();
    let tag = req.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(String::from);
    let count = req.count.unwrap_or(DEFAULT_COUNT);
    let plan = match req.mode {
        Mode::Exam => Plan {
            count: b.question_count,
            domains: all_domains(),
            tag: None,
            timed: true,
            unscored: if req.real_conditions { b.unscored_count } else { 0 },
        },
        Mode::Practice | Mode::Review => Plan {
            count,
            domains: if req.domains.is_empty() { all_domains() } else { req.domains.clone() },
            tag: None,
            timed: req.timed,
            unscored: 0,
        },
        Mode::Drill => match (req.domains.as_slice(), tag) {
            ([one], None) => Plan { count, domains: vec![one.clone()], tag: None, timed: req.timed, unscored: 0 },
            ([], Some(tag)) => Plan { count, domains: all_domains(), tag: Some(tag), timed: req.timed, unscored: 0 },
            _ => return Err(StartRefusal::DrillNeedsOneFocus),
        },
    };
    if plan.count == 0 || plan.count > MAX_COUNT {
        return Err(StartRefusal::CountOutOfRange);
    }
    Ok(plan)
}

/// Draws and writes a new attempt of `exam` for `user`.
pub async fn start(app: &App, user: Uuid, exam: &Exam, req: &StartRequest) -> Result<StartOutcome> {
    let b = &exam.blueprint;
    let plan = match plan(b, req) {
        Ok(plan) => plan,
        Err(refusal) => return Ok(StartOutcome::Refused(refusal)),
    };
    let due = if req.mode == Mode::Review { Some(progress::due_for_review(app, user, exam.id).await?) } else { None };
    // One connection from here to the write: a start holds its candidates
    // and draw in memory only while it has a connection, so a burst of
    // thousands of starts waits in the pool's queue as requests alone
    // (a burst of 5,000 raised the server's RSS by 170 MB, BENCHMARKS.md).
    let mut db = app.db.acquire().await?;
    let candidates = exams::candidates(&mut *db, exam.id, user, plan.tag.as_deref()).await?;
    let seed: i64 = rand::random();
    let (pool, drawn): (Vec<&exams::Candidate>, Vec<draw::Drawn>) = if let Some((due, next_due)) = due {
        // The questions due, in the queue's own order (misconceptions
        // first), not a weighted draw: what is most urgent comes first.
        let by_question: HashMap<Uuid, &exams::Candidate> = candidates.iter().map(|c| (c.question_id, c)).collect();
        let pool: Vec<_> = due
            .iter()
            .filter_map(|q| by_question.get(q).copied())
            .filter(|c| plan.domains.contains(&c.domain))
            .take(plan.count as usize)
            .collect();
        if pool.is_empty() {
            return Ok(StartOutcome::Refused(StartRefusal::NothingToReview { next_due }));
        }
        let drawn = (0..pool.len()).map(|candidate| draw::Drawn { candidate, scored: true }).collect();
        (pool, drawn)
    } else {
        if candidates.is_empty() {
            return Ok(StartOutcome::Refused(StartRefusal::NothingToDraw));
        }
        let draw_candidates: Vec<draw::Candidate> = candidates
            .iter()
            .map(|c| draw::Candidate {
                domain: c.domain.clone(),
                case: c.case_key.clone(),
                // Never seen first, then the least recently seen.
                priority: c.last_seen.map_or(i64::MIN, |t| t.unix_timestamp()),
            })
            .collect();
        let weighted: Vec<(String, u32)> =
            plan.domains.iter().map(|d| (d.clone(), b.domain(d).map_or(1, |x| x.weight))).collect();
        let request = Request { count: plan.count, domains: &weighted, unscored: plan.unscored, seed: seed as u64 };
        (candidates.iter().collect(), draw::draw(&draw_candidates, &request))
    };
    let drawn_versions: Vec<Uuid> = drawn.iter().map(|d| pool[d.candidate].version_id).collect();
    let versions = app.versions.get_many(&mut *db, &drawn_versions).await?;
    let items = drawn
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let c = pool[d.candidate];
            let item_seed = (seed as u64).wrapping_add((i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let version = versions.get(&c.version_id).ok_or_else(|| {
                crate::app::Error::Internal(anyhow::anyhow!("question version {} missing", c.version_id))
            })?;
            let shuffled_len = version.content.question.body.shuffled_len();
            Ok(NewItem {
                version_id: c.version_id,
                domain: c.domain.clone(),
                scored: d.scored,
                option_order: draw::shuffled_order(shuffled_len, item_seed).into_iter().map(|o| o as i32).collect(),
            })
        })
        .collect::<Result<Vec<NewItem>>>()?;
    let now = app.clock.now();
    let extra_time = if req.mode == Mode::Exam { req.extra_time } else { ExtraTime::None };
    let minutes = if req.mode == Mode::Exam {
        i64::from(extra_time.minutes(b.time_limit_minutes))
    } else {
        // The exam's pace, rounded up to whole minutes.
        (u64::from(b.time_limit_minutes) * items.len() as u64).div_ceil(u64::from(b.question_count.max(1))) as i64
    };
    let new = NewAttempt {
        user_id: user,
        exam_id: exam.id,
        mode: req.mode,
        blueprint: b.clone(),
        settings: Settings {
            count: plan.count,
            domains: plan.domains,
            tag: plan.tag,
            timed: plan.timed,
            real_conditions: req.mode == Mode::Exam && req.real_conditions,
            confidence: req.mode == Mode::Exam && req.confidence,
            extra_time,
        },
        seed,
        started_at: now,
        deadline: plan.timed.then(|| now + time::Duration::minutes(minutes)),
        items,
    };
    Ok(StartOutcome::Started(attempts::create(&mut db, &new).await?))
}
