//! Afterwards, in the database: every acknowledged save is there (the last
//! one acknowledged per item is what the item holds), every attempt is
//! graded, none is left running.

use std::collections::HashMap;

use mockexam::exam::VersionContent;
use mockexam::exam::display::to_display;
use mockexam::exam::kind::Response;
use sqlx::PgPool;
use sqlx::types::Json;
use uuid::Uuid;

use super::examinee::{Ack, Record};

pub struct Found {
    pub attempts: i64,
    pub acknowledged: usize,
    /// Items with at least one acknowledged save.
    pub items_saved: usize,
    /// Of those, the items holding the last acknowledged save.
    pub found: usize,
    pub lost: usize,
    pub ungraded: i64,
    pub running: i64,
}

impl Found {
    pub fn print(&self) {
        println!(
            "| attempts | acknowledged saves | items saved | found as last acknowledged | lost | ungraded | still running |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|");
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            self.attempts, self.acknowledged, self.items_saved, self.found, self.lost, self.ungraded, self.running
        );
    }

    pub fn holds(&self) -> bool {
        self.lost == 0 && self.ungraded == 0 && self.running == 0
    }
}

pub async fn check(pool: &PgPool, records: &[Record]) -> anyhow::Result<Found> {
    let (attempts, ungraded, running): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE score IS NULL), count(*) FILTER (WHERE finished_at IS NULL)
         FROM attempts",
    )
    .fetch_one(pool)
    .await?;

    // The last acknowledged save of each item.
    let mut last: HashMap<(Uuid, i32), &Ack> = HashMap::new();
    let mut acknowledged = 0;
    for record in records {
        let Some(attempt) = record.attempt else { continue };
        for ack in &record.acks {
            acknowledged += 1;
            let slot = last.entry((attempt, ack.position)).or_insert(ack);
            if ack.seq > slot.seq {
                *slot = ack;
            }
        }
    }

    let versions: HashMap<Uuid, Json<VersionContent>> =
        sqlx::query_as("SELECT id, content FROM question_versions").fetch_all(pool).await?.into_iter().collect();
    let attempt_ids: Vec<Uuid> = records.iter().filter_map(|r| r.attempt).collect();
    let mut found = 0;
    // A thousand attempts at a time: 65,000 rows, not 650,000 at once.
    for chunk in attempt_ids.chunks(1000) {
        let rows = sqlx::query_as::<_, (Uuid, i32, Uuid, i64, bool, Vec<i32>, Option<Json<Response>>)>(
            "SELECT attempt_id, position, version_id, seq, flagged, option_order, response
             FROM items WHERE attempt_id = ANY($1)",
        )
        .bind(chunk)
        .fetch_all(pool)
        .await?;
        for (attempt, position, version, seq, flagged, order, response) in rows {
            let Some(ack) = last.get(&(attempt, position)) else { continue };
            let body = &versions[&version].0.question.body;
            let stored = to_display(body, &order, response.as_ref().map(|r| &r.0));
            if seq == ack.seq && flagged == ack.flagged && stored == ack.response {
                found += 1;
            }
        }
    }
    Ok(Found { attempts, acknowledged, items_saved: last.len(), found, lost: last.len() - found, ungraded, running })
}
