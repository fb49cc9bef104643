//! Attempts and their items: start, read, save, grade.
//!
//! It stays whole: these are the statements of one aggregate, and the save
//! and the grade lock the same rows, so their comments must be read together.

use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{Connection, PgConnection, PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::sessions::{Limits, hash_token};
use crate::exam::credit;
use crate::exam::scoring::{self, Score};
use crate::exam::{Blueprint, Body, ExtraTime, FinishReason, Mode, Response};
use crate::progress::Confidence;

/// What the learner asked for when starting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub count: u32,
    pub domains: Vec<String>,
    pub tag: Option<String>,
    pub timed: bool,
    pub real_conditions: bool,
    /// Mock exam: the learner asked to mark how sure they are of each
    /// answer. Absent from attempts stored before it existed: false.
    #[serde(default)]
    pub confidence: bool,
    /// Mock exam: the extra time the learner chose. Absent from attempts
    /// stored before it existed: none.
    #[serde(default)]
    pub extra_time: ExtraTime,
}

pub struct NewItem {
    pub version_id: Uuid,
    pub domain: String,
    pub scored: bool,
    pub option_order: Vec<i32>,
}

pub struct NewAttempt {
    pub user_id: Uuid,
    pub exam_id: Uuid,
    pub mode: Mode,
    pub blueprint: Blueprint,
    pub settings: Settings,
    pub seed: i64,
    pub started_at: OffsetDateTime,
    pub deadline: Option<OffsetDateTime>,
    pub items: Vec<NewItem>,
}

#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: Uuid,
    pub user_id: Uuid,
    pub mode: Mode,
    pub blueprint: Blueprint,
    pub settings: Settings,
    pub item_count: i32,
    pub started_at: OffsetDateTime,
    pub deadline: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
    pub finished_reason: Option<FinishReason>,
    pub score: Option<Score>,
}

impl Attempt {
    pub fn is_finished(&self) -> bool {
        self.finished_at.is_some()
    }

    /// Past its deadline and the grace for saves in flight: due for grading.
    pub fn is_expired(&self, now: OffsetDateTime, grace: time::Duration) -> bool {
        !self.is_finished() && self.deadline.is_some_and(|d| now > d + grace)
    }

    /// Whether its items take a confidence mark with the answer.
    pub fn offers_confidence(&self) -> bool {
        self.mode.offers_confidence(self.settings.confidence)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Item {
    pub position: i32,
    pub version_id: Uuid,
    pub domain: String,
    pub scored: bool,
    pub option_order: Vec<i32>,
    pub response: Option<Response>,
    pub answered: bool,
    pub flagged: bool,
    pub struck: Vec<i32>,
    pub seq: i64,
    pub checked: bool,
    pub correct: Option<bool>,
    /// How sure the learner said they were; None when not marked.
    pub confidence: Option<Confidence>,
}

/// Writes the attempt and all its items in one transaction.
pub async fn create(db: &mut PgConnection, new: &NewAttempt) -> sqlx::Result<Uuid> {
    let id = Uuid::new_v4();
    let mut tx = db.begin().await?;
    sqlx::query!(
        r#"INSERT INTO attempts (id, user_id, exam_id, mode, blueprint, settings, seed, started_at, deadline, item_count)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
        id,
        new.user_id,
        new.exam_id,
        new.mode.as_str(),
        Json(&new.blueprint) as _,
        Json(&new.settings) as _,
        new.seed,
        new.started_at,
        new.deadline,
        new.items.len() as i32
    )
    .execute(&mut *tx)
    .await?;
    let positions: Vec<i32> = (1..=new.items.len() as i32).collect();
    let versions: Vec<Uuid> = new.items.iter().map(|i| i.version_id).collect();
    let domains: Vec<String> = new.items.iter().map(|i| i.domain.clone()).collect();
    let scored: Vec<bool> = new.items.iter().map(|i| i.scored).collect();
    // Arrays of arrays cannot be unnested directly; orders travel as JSON.
    let orders: Vec<Json<&Vec<i32>>> = new.items.iter().map(|i| Json(&i.option_order)).collect();
    sqlx::query!(
        r#"INSERT INTO items (attempt_id, position, version_id, domain, scored, option_order)
           SELECT $1, p, v, d, s, ARRAY(SELECT jsonb_array_elements_text(o)::int)
           FROM unnest($2::int[], $3::uuid[], $4::text[], $5::bool[], $6::jsonb[]) AS t(p, v, d, s, o)"#,
        id,
        &positions,
        &versions,
        &domains,
        &scored,
        &orders as _
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The attempt with its items (all, or only the one at `position`), if it
/// exists and belongs to `user`; one query.
pub async fn load(
    db: impl PgExecutor<'_>,
    attempt: Uuid,
    user: Uuid,
    position: Option<i32>,
) -> sqlx::Result<Option<(Attempt, Vec<Item>)>> {
    // One row: the attempt once, its items aggregated as JSON. (A plain join
    // would repeat and decode the blueprint for each of 65 items.)
    let row = sqlx::query!(
        r#"SELECT a.id, a.user_id, a.mode, a.blueprint AS "blueprint: Json<Blueprint>",
                  a.settings AS "settings: Json<Settings>", a.item_count, a.started_at, a.deadline, a.finished_at,
                  a.finished_reason, a.score AS "score: Json<Score>",
                  (SELECT COALESCE(json_agg(item_state(i) ORDER BY i.position), '[]')
                   FROM items i WHERE i.attempt_id = a.id AND ($3::int IS NULL OR i.position = $3))
                  AS "items!: Json<Vec<Item>>"
           FROM attempts a
           WHERE a.id = $1 AND a.user_id = $2"#,
        attempt,
        user,
        position
    )
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some((attempt_from_row!(row), row.items.0)))
}

/// An [`Attempt`] from a row that selects the attempt's columns by their
/// names (`query!` rows are each their own type).
macro_rules! attempt_from_row {
    ($row:expr) => {
        Attempt {
            id: $row.id,
            user_id: $row.user_id,
            mode: Mode::parse(&$row.mode).expect("the attempts.mode check admits only known modes"),
            blueprint: $row.blueprint.0,
            settings: $row.settings.0,
            item_count: $row.item_count,
            started_at: $row.started_at,
            deadline: $row.deadline,
            finished_at: $row.finished_at,
            finished_reason: $row.finished_reason.as_deref().and_then(FinishReason::parse),
            score: $row.score.map(|s| s.0),
        }
    };
}
pub(crate) use attempt_from_row;

/// Whose attempt a save may change.
pub enum Owner<'a> {
    User(Uuid),
    /// The user of this live session, checked by the save's own statement:
    /// the autosave's one round trip.
    Session {
        token: &'a str,
        limits: &'a Limits,
    },
}

/// One save of an item.
pub struct Save<'a> {
    pub attempt: Uuid,
    pub owner: Owner<'a>,
    pub position: i32,
    pub seq: i64,
    pub response: Option<&'a Response>,
    /// None keeps the stored value.
    pub flagged: Option<bool>,
    pub struck: Option<&'a [i32]>,
    /// None keeps the stored value. Stored under the response's rules: once
    /// the item is checked it is final like the answer.
    pub confidence: Option<Confidence>,
    /// Practice: lock the item and record its credit. Once an item is
    /// checked, saves change only its flag and strikes.
    pub check: Option<bool>,
    /// When the page that saves was shown; None counts no time.
    pub shown_at: Option<OffsetDateTime>,
    pub now: OffsetDateTime,
    /// How long after the deadline a save in flight is still taken.
    pub grace: time::Duration,
}

/// What a save came to; `seq` is the item's stored sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved {
        seq: i64,
    },
    NotFound,
    /// Submitted, or graded when its time ran out (`expired`).
    Finished {
        expired: bool,
        seq: i64,
    },
    /// Past the deadline and its grace, not yet graded.
    TimeUp {
        seq: i64,
    },
    /// A checked practice answer (or its confidence mark) cannot change;
    /// its flag and strikes can.
    Locked {
        seq: i64,
    },
    /// A newer save (another tab, a later retry) is already stored.
    Stale {
        seq: i64,
    },
}

/// Saves a response with one guarded statement: only into the learner's
/// own attempt, while it runs, before its deadline (plus grace), never
/// changing a checked answer, and only if no newer save got there first.
/// The reply says why not. A save serializes with [`finish`] through the
/// attempt's row lock, so every save it acknowledges is in the grade, and
/// with other saves of the item through the item's row lock.
pub async fn save(db: impl PgExecutor<'_>, s: &Save<'_>) -> sqlx::Result<SaveOutcome> {
    let answered = s.response.is_some_and(|r| !r.is_empty());
    let cutoff = s.now - s.grace;
    let (user, session) = match s.owner {
        Owner::User(user) => (Some(user), None),
        Owner::Session { token, limits } => (None, Some((token, limits))),
    };
    let row = sqlx::query!(
        r#"WITH target AS (
               SELECT a.id, a.finished_at, a.finished_reason, a.deadline, i.seq,
                      -- When the saving page was shown, kept between the
                      -- attempt's start and now (GREATEST skips a null:
                      -- hence the CASE).
                      CASE WHEN $13::timestamptz IS NOT NULL
                           THEN LEAST($9::timestamptz, GREATEST(a.started_at, $13::timestamptz)) END AS shown,
                      -- A checked answer is final: a save may keep it (or send
                      -- none, from a disabled fieldset) but not change it. So
                      -- is its confidence mark, given with the answer and
                      -- judged with it: no mark added or changed after the
                      -- feedback was seen.
                      (i.checked_at IS NOT NULL
                       AND (($5::jsonb IS NOT NULL AND i.response IS DISTINCT FROM $5::jsonb)
                            OR ($12::text IS NOT NULL AND i.confidence IS DISTINCT FROM $12::text)))
                      AS changes_checked
               FROM attempts a JOIN items i ON i.attempt_id = a.id AND i.position = $3
               WHERE a.id = $1
                 AND a.user_id = COALESCE($2, (SELECT user_id FROM live_session($14, $15, $16)))
               -- Grading holds this row FOR UPDATE: a save waits for a
               -- grade in progress and then sees it finished, and a grade
               -- waits for the saves in progress, so it reads them all.
               FOR SHARE OF a
               -- Two saves of one item in flight together (two tabs, two
               -- servers, a retry): the second waits for the first and then
               -- reads the item as the first left it, so its seq is checked
               -- against the stored one and an older save never wins.
               FOR NO KEY UPDATE OF i
           ), updated AS (
               UPDATE items i SET
                   response = CASE WHEN i.checked_at IS NULL THEN $5 ELSE i.response END,
                   answered = CASE WHEN i.checked_at IS NULL THEN $6 ELSE i.answered END,
                   confidence = CASE WHEN i.checked_at IS NULL THEN COALESCE($12, i.confidence) ELSE i.confidence END,
                   flagged = COALESCE($7, i.flagged), struck = COALESCE($8, i.struck),
                   seq = $4, saved_at = $9::timestamptz,
                   checked_at = COALESCE(i.checked_at, CASE WHEN $11::bool IS NOT NULL THEN $9::timestamptz END),
                   correct = COALESCE(i.correct, $11),
                   -- Time on the item: since the previous save from the
                   -- same page, else since the page was shown; a step of
                   -- more than 30 minutes (a page left open) counts 30.
                   -- In whole seconds, as shown_at is, so steps add up.
                   seconds = CASE WHEN t.shown IS NULL THEN i.seconds ELSE COALESCE(i.seconds, 0)
                       + LEAST(1800, GREATEST(0, EXTRACT(EPOCH FROM date_trunc('second', $9::timestamptz)
                           - date_trunc('second', CASE
                               WHEN i.view_shown_at = t.shown AND i.saved_at IS NOT NULL THEN i.saved_at
                               ELSE t.shown END))))::int END,
                   view_shown_at = COALESCE(t.shown, i.view_shown_at)
               FROM target t
               WHERE i.attempt_id = t.id AND i.position = $3 AND t.finished_at IS NULL
                 AND (t.deadline IS NULL OR t.deadline >= $10) AND t.seq < $4 AND NOT t.changes_checked
               RETURNING i.seq
           )
           SELECT t.finished_at, t.finished_reason, t.deadline, t.seq, t.changes_checked AS "changes_checked!",
                  (SELECT seq FROM updated) AS new_seq
           FROM target t"#,
        s.attempt,
        user,
        s.position,
        s.seq,
        s.response.map(Json) as _,
        answered,
        s.flagged,
        s.struck,
        s.now,
        cutoff,
        s.check,
        s.confidence.map(Confidence::as_str),
        s.shown_at,
        session.map(|(token, _)| hash_token(token)),
        session.map(|(_, limits)| s.now - limits.idle),
        session.map(|(_, limits)| s.now - limits.absolute)
    )
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(SaveOutcome::NotFound) };
    let seq = row.seq;
    Ok(match row.new_seq {
        Some(seq) => SaveOutcome::Saved { seq },
        None if row.finished_at.is_some() => SaveOutcome::Finished {
            expired: row.finished_reason.as_deref() == Some(FinishReason::Expired.as_str()),
            seq,
        },
        None if row.deadline.is_some_and(|d| d < cutoff) => SaveOutcome::TimeUp { seq },
        None if row.changes_checked => SaveOutcome::Locked { seq },
        None => SaveOutcome::Stale { seq },
    })
}

/// Grades the attempt once: in a transaction holding the attempt's row, so
/// a double submit, two tabs or the sweep racing a learner grade it exactly
/// once. Returns the score (the stored one if already graded), or None if
/// the attempt is not this user's.
pub async fn finish<'b>(
    db: &PgPool,
    attempt: Uuid,
    user: Option<Uuid>,
    reason: FinishReason,
    now: OffsetDateTime,
    body_of: impl Fn(Uuid) -> Option<&'b Body>,
) -> sqlx::Result<Option<Finished>> {
    let mut tx = db.begin().await?;
    let Some(row) = sqlx::query!(
        r#"SELECT blueprint AS "blueprint: Json<Blueprint>", score AS "score: Json<Score>", deadline, finished_at
           FROM attempts WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2) FOR UPDATE"#,
        attempt,
        user
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    if let (Some(_), Some(score)) = (row.finished_at, row.score) {
        return Ok(Some(Finished { score: score.0, graded_now: false }));
    }
    let items = sqlx::query!(
        r#"SELECT i.position, i.domain, i.scored, i.response AS "response: Json<Response>", i.version_id
           FROM items i WHERE i.attempt_id = $1 ORDER BY i.position"#,
        attempt
    )
    .fetch_all(&mut *tx)
    .await?;
    let bodies = items
        .iter()
        .map(|i| {
            body_of(i.version_id)
                .ok_or_else(|| sqlx::Error::Decode(format!("question version {} not given", i.version_id).into()))
        })
        .collect::<sqlx::Result<Vec<&Body>>>()?;
    // The attempt's own blueprint decides the credit rule: the exam's may
    // have changed since it started. An item is `correct` only when fully
    // right; a partial credit lives in the score alone.
    let rule = row.blueprint.0.credit;
    let correct: Vec<bool> =
        items.iter().zip(&bodies).map(|(i, body)| body.is_correct(i.response.as_ref().map(|r| &r.0))).collect();
    let earned: Vec<credit::Credit> = items
        .iter()
        .zip(&bodies)
        .map(|(i, body)| credit::credit(rule, body, i.response.as_ref().map(|r| &r.0)))
        .collect();
    let score = scoring::score_credits(
        &row.blueprint.0,
        items.iter().zip(&earned).filter(|(i, _)| i.scored).map(|(i, c)| (i.domain.as_str(), *c)),
    );
    // Each item's credit in parts, for the item analysis's tallies.
    let credits: Vec<i32> = earned
        .iter()
        .map(|c| i32::try_from(c.parts()).expect("an item earns at most one point: 27,720 parts"))
        .collect();
    let positions: Vec<i32> = items.iter().map(|i| i.position).collect();
    sqlx::query!(
        r#"UPDATE items SET correct = t.c, credit = t.cr FROM unnest($2::int[], $3::bool[], $4::int[]) AS t(p, c, cr)
           WHERE attempt_id = $1 AND position = t.p"#,
        attempt,
        &positions,
        &correct,
        &credits
    )
    .execute(&mut *tx)
    .await?;
    // The groups the learner is in now: the cohorts this attempt counts
    // for in the item analysis, however the groups change later.
    sqlx::query!(
        r#"INSERT INTO attempt_cohorts (attempt_id, group_id)
           SELECT $1, m.group_id FROM group_members m JOIN attempts a ON a.user_id = m.user_id WHERE a.id = $1
           ON CONFLICT DO NOTHING"#,
        attempt
    )
    .execute(&mut *tx)
    .await?;
    // An expired attempt ended at its deadline, whenever it was noticed.
    let finished_at = match (reason, row.deadline) {
        (FinishReason::Expired, Some(deadline)) => deadline.min(now),
        _ => now,
    };
    sqlx::query!(
        "UPDATE attempts SET finished_at = $2, finished_reason = $3, score = $4 WHERE id = $1",
        attempt,
        finished_at,
        reason.as_str(),
        Json(&score) as _
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(Finished { score, graded_now: true }))
}

/// A graded attempt's score, and whether this call graded it (not an
/// earlier one).
#[derive(Debug, Clone)]
pub struct Finished {
    pub score: Score,
    pub graded_now: bool,
}

/// How many timed attempts are under way at `now`: not graded, deadline
/// not passed. Counted on the `attempts_open_deadline` partial index.
pub async fn in_progress(db: impl PgExecutor<'_>, now: OffsetDateTime) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM attempts WHERE finished_at IS NULL AND deadline IS NOT NULL AND deadline > $1"#,
        now
    )
    .fetch_one(db)
    .await
}

/// The question versions an attempt's items show: what grading needs
/// beside the responses. They never change once drawn.
pub async fn versions_of(db: impl PgExecutor<'_>, attempt: Uuid) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!("SELECT version_id FROM items WHERE attempt_id = $1", attempt).fetch_all(db).await
}

/// Attempts past their deadline and grace that nobody has graded yet.
pub async fn expired(db: impl PgExecutor<'_>, now: OffsetDateTime, grace: time::Duration) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "SELECT id FROM attempts WHERE finished_at IS NULL AND deadline IS NOT NULL AND deadline < $1",
        now - grace
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub id: Uuid,
    pub exam_slug: String,
    pub exam_title: String,
    pub mode: Mode,
    pub started_at: OffsetDateTime,
    pub deadline: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
    pub score: Option<Score>,
    pub items: i64,
    pub answered: i64,
}

/// A learner's attempts, newest first.
pub async fn list(db: impl PgExecutor<'_>, user: Uuid, limit: i64) -> sqlx::Result<Vec<Summary>> {
    let rows = sqlx::query!(
        r#"SELECT a.id, e.slug, a.blueprint AS "blueprint: Json<Blueprint>", a.mode, a.started_at, a.deadline,
                  a.finished_at, a.score AS "score: Json<Score>",
                  (SELECT count(*) FROM items i WHERE i.attempt_id = a.id) AS "items!",
                  (SELECT count(*) FROM items i WHERE i.attempt_id = a.id AND i.answered) AS "answered!"
           FROM attempts a JOIN exams e ON e.id = a.exam_id
           WHERE a.user_id = $1 ORDER BY a.started_at DESC LIMIT $2"#,
        user,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Summary {
            id: r.id,
            exam_slug: r.slug,
            exam_title: r.blueprint.0.title,
            mode: Mode::parse(&r.mode).expect("known mode"),
            started_at: r.started_at,
            deadline: r.deadline,
            finished_at: r.finished_at,
            score: r.score.map(|s| s.0),
            items: r.items,
            answered: r.answered,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_stored_before_confidence_marks_read_as_without_them() {
        let stored = r#"{"count": 65, "domains": ["D1"], "tag": null, "timed": true, "real_conditions": false}"#;
        let settings: Settings = serde_json::from_str(stored).expect("old settings still read");
        assert!(!settings.confidence);
    }
}
