//! The exam content behind an attempt, read from the database as only a
//! test may: right and wrong answers, the item bodies, what must stay secret.

use sqlx::PgPool;

/// The right answer for item `n`, in display positions, read from the
/// database (as only a test may).
pub async fn key_of(db: &PgPool, attempt: uuid::Uuid, n: i32) -> mockexam::exam::display::DisplayResponse {
    let (order, body) = item_body(db, attempt, n).await;
    mockexam::exam::display::to_display(&body, &order, Some(&body.key()))
}

/// A complete but wrong answer for item `n`.
pub async fn wrong_answer_of(db: &PgPool, attempt: uuid::Uuid, n: i32) -> mockexam::exam::display::DisplayResponse {
    use mockexam::exam::display::DisplayResponse;
    let (order, body) = item_body(db, attempt, n).await;
    let key = mockexam::exam::display::to_display(&body, &order, Some(&body.key()));
    let len = order.len();
    match (key.choice, key.ranks, key.matches) {
        (Some(choice), _, _) => {
            let wrong: Vec<usize> = (0..len).filter(|p| !choice.contains(p)).take(choice.len()).collect();
            DisplayResponse { choice: Some(wrong), ..Default::default() }
        }
        (_, Some(ranks), _) => {
            let mut swapped = ranks.clone();
            swapped.swap(0, 1);
            DisplayResponse { ranks: Some(swapped), ..Default::default() }
        }
        (_, _, Some(matches)) => {
            let mut shifted = matches.clone();
            shifted.rotate_left(1);
            if shifted == matches {
                shifted[0] = Some((matches[0].unwrap_or(0) + 1) % len);
            }
            DisplayResponse { matches: Some(shifted), ..Default::default() }
        }
        _ => unreachable!("a key always has a response"),
    }
}

pub async fn item_body(db: &PgPool, attempt: uuid::Uuid, n: i32) -> (Vec<i32>, mockexam::exam::Body) {
    let (order, content): (Vec<i32>, sqlx::types::Json<mockexam::exam::VersionContent>) = sqlx::query_as(
        "SELECT i.option_order, v.content FROM items i JOIN question_versions v ON v.id = i.version_id
         WHERE i.attempt_id = $1 AND i.position = $2",
    )
    .bind(attempt)
    .bind(n)
    .fetch_one(db)
    .await
    .expect("the item exists");
    (order, content.0.question.body)
}

/// Whether the attempt's first item was answered or the attempt finished:
/// what an intruder must not be able to cause.
pub async fn first_item_touched(db: &PgPool, attempt: uuid::Uuid) -> bool {
    sqlx::query_scalar(
        "SELECT answered OR finished_at IS NOT NULL FROM items JOIN attempts ON id = attempt_id
         WHERE id = $1 AND position = 1",
    )
    .bind(attempt)
    .fetch_one(db)
    .await
    .expect("the attempt has a first item")
}

/// Every explanation and rationale of the questions drawn into `attempt`,
/// as written and as rendered: none may reach the client before the item is
/// final.
pub async fn secrets_of(db: &PgPool, attempt: uuid::Uuid) -> Vec<String> {
    use mockexam::content::markdown::{render, render_inline};
    use mockexam::exam::Body;
    let contents: Vec<sqlx::types::Json<mockexam::exam::VersionContent>> = sqlx::query_scalar(
        "SELECT v.content FROM items i JOIN question_versions v ON v.id = i.version_id WHERE i.attempt_id = $1",
    )
    .bind(attempt)
    .fetch_all(db)
    .await
    .expect("the attempt's questions");
    let mut secrets = Vec::new();
    for c in &contents {
        let q = &c.0.question;
        secrets.push(render(&q.explanation));
        secrets.push(q.explanation.clone());
        let rationales: Vec<&str> = match &q.body {
            Body::Single { options, .. } | Body::Multiple { options, .. } => {
                options.iter().map(|o| o.rationale.as_str()).collect()
            }
            Body::Ordering { steps } => steps.iter().map(|s| s.rationale.as_str()).collect(),
            Body::Matching { pairs, extra_answers } => pairs
                .iter()
                .map(|p| p.rationale.as_str())
                .chain(extra_answers.iter().map(|e| e.rationale.as_str()))
                .collect(),
        };
        // Very short rationales ("Too slow.") could match ordinary text.
        for r in rationales.into_iter().filter(|r| r.len() > 12) {
            secrets.push(r.to_string());
            secrets.push(render_inline(r));
        }
    }
    secrets
}
