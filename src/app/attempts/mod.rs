//! Taking an attempt: start, read, save (and check), submit, and the
//! grading of attempts whose deadline passed.
//!
//! An attempt past its deadline is graded as it stood by [`expire_if_due`],
//! an explicit step that every read here takes before it answers, and by
//! the periodic sweep ([`grade_expired`]) for attempts nobody touches.

mod finish;
mod read;
mod save;
mod start;

pub use finish::{SubmitOutcome, grade, grade_expired, score, submit};
pub use read::{
    AttemptResult, ItemPage, ItemPageOutcome, ResultOutcome, item_page, open, open_item, result, version_of,
};
pub use save::{ItemShape, MAX_SEQ, SaveOutcome, SaveRequest, SaveStatus, Saver, save, shape};
pub use start::{MAX_COUNT, StartOutcome, StartRefusal, StartRequest, start};

use std::sync::Arc;

use uuid::Uuid;

use super::item_facts::ItemFacts;
use super::versions::RenderedVersion;
use super::{App, Error, Result};
use crate::exam::FinishReason;
use crate::store::attempts::{self, Attempt, Item};

/// The learner's own attempt with its items (all, or only the one at
/// `position`); someone else's is simply not found. Nothing is graded here:
/// callers take [`expire_if_due`] themselves.
async fn load_own(app: &App, id: Uuid, user: Uuid, position: Option<i32>) -> Result<(Attempt, Vec<Item>)> {
    attempts::load(&app.db, id, user, position).await?.ok_or(Error::NotFound)
}

/// Grades an attempt whose deadline (and grace) has passed, as it stands,
/// and returns it as it now is; any other attempt comes back unchanged.
pub async fn expire_if_due(
    app: &App,
    (attempt, items): (Attempt, Vec<Item>),
    position: Option<i32>,
) -> Result<(Attempt, Vec<Item>)> {
    if !attempt.is_expired(app.clock.now(), app.grace()) {
        app.item_facts.remember(&attempt, &items);
        return Ok((attempt, items));
    }
    grade(app, attempt.id, Some(attempt.user_id), FinishReason::Expired).await?;
    load_own(app, attempt.id, attempt.user_id, position).await
}

/// A question version, rendered; from memory after its first use.
async fn version(app: &App, id: Uuid) -> Result<Arc<RenderedVersion>> {
    app.versions
        .get(&app.db, id)
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("question version {id} missing")))
}

/// The learner's attempts, newest first.
pub async fn list(app: &App, user: Uuid, limit: i64) -> Result<Vec<attempts::Summary>> {
    Ok(attempts::list(&app.db, user, limit).await?)
}

/// The unchanging facts of the learner's own item: from memory, or read
/// once. Someone else's item is not found.
async fn own_item_facts(app: &App, id: Uuid, user: Uuid, position: i32) -> Result<Arc<ItemFacts>> {
    let facts = match app.item_facts.get(id, position) {
        Some(facts) => facts,
        None => {
            let (attempt, item, _) = open_item(app, user, id, position).await?;
            Arc::new(ItemFacts::of(&attempt, &item))
        }
    };
    if facts.user_id != user {
        return Err(Error::NotFound);
    }
    Ok(facts)
}
