//! The item analysis's data: finished mocks counted into tallies by
//! question and score band (see migrations/0011_item_tallies.sql), the
//! tallies read back, and the responses of mocks finished in a date range.

use std::collections::HashMap;

use sqlx::types::Json;
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::analysis::{ItemResponse, Tallies, Tally};
use crate::exam::Response;
use crate::exam::credit::Credit;

/// A tally row's key: exam, cohort, question, band.
type RowKey = (Uuid, Uuid, Uuid, i16);

/// The cohort of everyone: tallies of every mock of the exam.
pub const EVERYONE: Uuid = Uuid::nil();

/// Counts up to `limit` finished mocks not yet counted (of `exam`, or of
/// every exam) into the tallies of everyone and of each of their cohorts,
/// and marks them counted, in one transaction. Returns how many it counted.
///
/// The mocks are claimed with `FOR UPDATE SKIP LOCKED`, so two servers (or
/// the sweep and a page) tallying at once never count a mock twice, and
/// the tally rows are written in key order, so they cannot deadlock.
pub async fn tally_pending(db: &PgPool, exam: Option<Uuid>, limit: i64) -> sqlx::Result<usize> {
    let mut tx = db.begin().await?;
    let claimed = sqlx::query!(
        r#"SELECT id, exam_id FROM attempts
           WHERE finished_at IS NOT NULL AND NOT tallied AND mode = 'exam'
             AND ($1::uuid IS NULL OR exam_id = $1)
           ORDER BY finished_at LIMIT $2
           FOR UPDATE SKIP LOCKED"#,
        exam,
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = claimed.iter().map(|a| a.id).collect();
    let responses = scored_responses(&mut *tx, &ids).await?;
    let mut cohorts: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in sqlx::query!("SELECT attempt_id, group_id FROM attempt_cohorts WHERE attempt_id = ANY($1)", &ids)
        .fetch_all(&mut *tx)
        .await?
    {
        cohorts.entry(row.attempt_id).or_default().push(row.group_id);
    }

    let mut by_attempt: HashMap<Uuid, Vec<ItemResponse>> = HashMap::new();
    for r in responses {
        by_attempt.entry(r.attempt).or_default().push(r);
    }
    // One set of tallies per exam and cohort, counted in memory first.
    let mut tallies: HashMap<(Uuid, Uuid), Tallies> = HashMap::new();
    for attempt in &claimed {
        let Some(responses) = by_attempt.get(&attempt.id) else { continue };
        let total: Credit = responses.iter().map(|r| r.credit).sum();
        let max = Credit::points(responses.len() as u32);
        let groups = cohorts.get(&attempt.id).map(Vec::as_slice).unwrap_or_default();
        for cohort in std::iter::once(&EVERYONE).chain(groups) {
            tallies.entry((attempt.exam_id, *cohort)).or_default().add_attempt(total, max, responses);
        }
    }
    let mut rows: Vec<(RowKey, Tally)> = tallies
        .into_iter()
        .flat_map(|((exam, cohort), t)| {
            t.rows.into_iter().map(move |((question, band), tally)| ((exam, cohort, question, band), tally))
        })
        .collect();
    rows.sort_by_key(|(key, _)| *key);
    add_rows(&mut *tx, &rows).await?;
    sqlx::query!("UPDATE attempts SET tallied = true WHERE id = ANY($1)", &ids).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(ids.len())
}

/// Adds `rows` (in key order) to the tallies in one statement; `chosen`
/// is summed option by option.
async fn add_rows(db: impl PgExecutor<'_>, rows: &[(RowKey, Tally)]) -> sqlx::Result<()> {
    let column = |f: fn(&Tally) -> i64| rows.iter().map(|(_, t)| f(t)).collect::<Vec<i64>>();
    let key = |f: fn(&RowKey) -> Uuid| rows.iter().map(|(k, _)| f(k)).collect::<Vec<Uuid>>();
    let bands: Vec<i16> = rows.iter().map(|((_, _, _, b), _)| *b).collect();
    let responses: Vec<i32> = rows.iter().map(|(_, t)| t.responses).collect();
    let timed: Vec<i32> = rows.iter().map(|(_, t)| t.timed).collect();
    // Arrays of arrays of different lengths do not fit a Postgres array:
    // each row's counts go as the text of an int[].
    let chosen: Vec<String> = rows
        .iter()
        .map(|(_, t)| format!("{{{}}}", t.chosen.iter().map(i32::to_string).collect::<Vec<_>>().join(",")))
        .collect();
    sqlx::query!(
        r#"INSERT INTO item_tallies AS t
               (exam_id, cohort, question_id, band, responses, credit, credit_sq, rest, rest_sq, credit_rest,
                seconds, timed, chosen)
           SELECT e, c, q, b, n, x, xx, y, yy, xy, s, st, ch::int[]
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::smallint[], $5::int[], $6::bigint[], $7::bigint[],
                       $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::int[], $13::text[])
                AS r(e, c, q, b, n, x, xx, y, yy, xy, s, st, ch)
           ORDER BY e, c, q, b
           ON CONFLICT (exam_id, cohort, question_id, band) DO UPDATE SET
               responses = t.responses + EXCLUDED.responses,
               credit = t.credit + EXCLUDED.credit,
               credit_sq = t.credit_sq + EXCLUDED.credit_sq,
               rest = t.rest + EXCLUDED.rest,
               rest_sq = t.rest_sq + EXCLUDED.rest_sq,
               credit_rest = t.credit_rest + EXCLUDED.credit_rest,
               seconds = t.seconds + EXCLUDED.seconds,
               timed = t.timed + EXCLUDED.timed,
               chosen = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)
                              FROM unnest(t.chosen, EXCLUDED.chosen) AS u(a, b))"#,
        &key(|k| k.0),
        &key(|k| k.1),
        &key(|k| k.2),
        &bands,
        &responses,
        &column(|t| t.credit),
        &column(|t| t.credit_sq),
        &column(|t| t.rest),
        &column(|t| t.rest_sq),
        &column(|t| t.credit_rest),
        &column(|t| t.seconds),
        &timed,
        &chosen
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The scored responses of `attempts`, with the question each version is
/// of (so every version of a question counts for it).
async fn scored_responses(db: impl PgExecutor<'_>, attempts: &[Uuid]) -> sqlx::Result<Vec<ItemResponse>> {
    let rows = sqlx::query!(
        r#"SELECT i.attempt_id, v.question_id, i.credit, i.response AS "response: Json<Response>", i.seconds
           FROM items i JOIN question_versions v ON v.id = i.version_id
           WHERE i.attempt_id = ANY($1) AND i.scored"#,
        attempts
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ItemResponse {
            attempt: r.attempt_id,
            question: r.question_id,
            credit: Credit::from_parts(r.credit.unwrap_or(0).max(0) as u64),
            chosen: ItemResponse::chosen_of(r.response.as_ref().map(|j| &j.0)),
            seconds: r.seconds.map(|s| s.max(0) as u32),
        })
        .collect())
}

/// The tallies of `exam` for `cohort` ([`EVERYONE`] or a group id).
pub async fn read(db: impl PgExecutor<'_>, exam: Uuid, cohort: Uuid) -> sqlx::Result<Tallies> {
    let rows = sqlx::query!(
        r#"SELECT question_id, band, responses, credit, credit_sq, rest, rest_sq, credit_rest, seconds, timed, chosen
           FROM item_tallies WHERE exam_id = $1 AND cohort = $2"#,
        exam,
        cohort
    )
    .fetch_all(db)
    .await?;
    let mut tallies = Tallies::default();
    for r in rows {
        let tally = Tally {
            responses: r.responses,
            credit: r.credit,
            credit_sq: r.credit_sq,
            rest: r.rest,
            rest_sq: r.rest_sq,
            credit_rest: r.credit_rest,
            seconds: r.seconds,
            timed: r.timed,
            chosen: r.chosen,
        };
        tallies.rows.insert((r.question_id, r.band), tally);
    }
    Ok(tallies)
}

/// How many counted mocks of `exam` the tallies of `cohort` hold.
pub async fn counted(db: impl PgExecutor<'_>, exam: Uuid, cohort: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM attempts a
           WHERE a.exam_id = $1 AND a.mode = 'exam' AND a.finished_at IS NOT NULL AND a.tallied
             AND ($2 = $3::uuid OR EXISTS (SELECT 1 FROM attempt_cohorts c WHERE c.attempt_id = a.id AND c.group_id = $2))"#,
        exam,
        cohort,
        EVERYONE
    )
    .fetch_one(db)
    .await
}

/// The scored responses of the mocks of `exam` finished in `[from, to)`,
/// of `cohort` ([`EVERYONE`] or a group id).
pub async fn responses_between(
    db: &PgPool,
    exam: Uuid,
    cohort: Uuid,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> sqlx::Result<Vec<ItemResponse>> {
    let ids = sqlx::query_scalar!(
        r#"SELECT a.id FROM attempts a
           WHERE a.exam_id = $1 AND a.mode = 'exam' AND a.finished_at >= $2 AND a.finished_at < $3
             AND ($4 = $5::uuid OR EXISTS (SELECT 1 FROM attempt_cohorts c WHERE c.attempt_id = a.id AND c.group_id = $4))"#,
        exam,
        from,
        to,
        cohort,
        EVERYONE
    )
    .fetch_all(db)
    .await?;
    scored_responses(db, &ids).await
}

/// Problems learners reported and nobody has closed (open or acknowledged),
/// per question of `exam`.
pub async fn open_reports(db: impl PgExecutor<'_>, exam: Uuid) -> sqlx::Result<HashMap<Uuid, i64>> {
    let rows = sqlx::query!(
        r#"SELECT r.question_id, count(*) AS "n!" FROM problem_reports r JOIN questions q ON q.id = r.question_id
           WHERE q.exam_id = $1 AND r.status IN ('open', 'acknowledged')
           GROUP BY r.question_id"#,
        exam
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.question_id, r.n)).collect())
}

/// A question of the exam as the analysis lists it: its current version.
pub struct Analysed {
    pub id: Uuid,
    pub key: String,
    pub retired: bool,
    pub content: crate::exam::VersionContent,
}

/// Every question of `exam` with its current version, by id.
pub async fn questions(db: impl PgExecutor<'_>, exam: Uuid) -> sqlx::Result<Vec<Analysed>> {
    let rows = sqlx::query!(
        r#"SELECT q.id, q.key, q.retired, v.content AS "content: Json<crate::exam::VersionContent>"
           FROM questions q JOIN question_versions v ON v.id = q.current_version
           WHERE q.exam_id = $1 ORDER BY q.key"#,
        exam
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| Analysed { id: r.id, key: r.key, retired: r.retired, content: r.content.0 }).collect())
}
