//! Reading an attempt: the whole of it, one item, or its result.

use std::collections::HashMap;
use std::sync::Arc;

use uuid::Uuid;

use super::{expire_if_due, grade, load_own, version};
use crate::account::Display;
use crate::app::accounts::session_limits;
use crate::app::versions::RenderedVersion;
use crate::app::{App, Error, Result};
use crate::exam::FinishReason;
use crate::exam::scoring::Score;
use crate::progress::confidence::{self, ConfidenceGroups};
use crate::store::attempts::{Attempt, Item};
use crate::store::item_page::{self, Cell};
use crate::store::sessions;
use crate::store::users::User;

/// The learner's own attempt with every item, graded first if its deadline
/// has passed.
pub async fn open(app: &App, user: Uuid, id: Uuid) -> Result<(Attempt, Vec<Item>)> {
    let loaded = load_own(app, id, user, None).await?;
    expire_if_due(app, loaded, None).await
}

/// One item of the learner's own attempt, with the question version it
/// shows; graded first if the deadline has passed.
pub async fn open_item(
    app: &App,
    user: Uuid,
    id: Uuid,
    position: i32,
) -> Result<(Attempt, Item, Arc<RenderedVersion>)> {
    let loaded = load_own(app, id, user, Some(position)).await?;
    let (attempt, mut items) = expire_if_due(app, loaded, Some(position)).await?;
    let item = items.pop().ok_or(Error::NotFound)?;
    let version = version_of(app, &item).await?;
    Ok((attempt, item, version))
}

/// What the item page shows.
pub enum ItemPageOutcome {
    /// The session cookie is not a live session: log in first.
    LoggedOut,
    /// The attempt is over (maybe graded just now, its time up): its result
    /// shows the item.
    Finished,
    Shown(Box<ItemPage>),
}

pub struct ItemPage {
    pub user: User,
    pub display: Display,
    pub attempt: Attempt,
    pub item: Item,
    pub version: Arc<RenderedVersion>,
    /// Every item's palette state, in position order.
    pub cells: Vec<Cell>,
}

/// The item at `position` of the attempt of the session `token`'s user,
/// read with the session in one statement (see `store::item_page`); graded
/// first if its deadline has passed. Someone else's attempt is not found.
pub async fn item_page(app: &App, token: &str, id: Uuid, position: i32) -> Result<ItemPageOutcome> {
    let now = app.clock.now();
    let Some(page) = item_page::read(&app.db, token, &session_limits(app), id, position, now).await? else {
        return Ok(ItemPageOutcome::LoggedOut);
    };
    if page.session_stale {
        sessions::touch(&app.db, token, now).await?;
    }
    let at = page.attempt.ok_or(Error::NotFound)?;
    if at.attempt.is_expired(now, app.grace()) {
        grade(app, id, Some(page.user.id.0), FinishReason::Expired).await?;
        return Ok(ItemPageOutcome::Finished);
    }
    if at.attempt.is_finished() {
        return Ok(ItemPageOutcome::Finished);
    }
    let item = at.item.ok_or(Error::NotFound)?;
    app.item_facts.remember(&at.attempt, std::slice::from_ref(&item));
    let version = version_of(app, &item).await?;
    Ok(ItemPageOutcome::Shown(Box::new(ItemPage {
        user: page.user,
        display: page.display,
        attempt: at.attempt,
        item,
        version,
        cells: at.cells,
    })))
}

/// The question version an item shows, rendered.
pub async fn version_of(app: &App, item: &Item) -> Result<Arc<RenderedVersion>> {
    version(app, item.version_id).await
}

/// A finished attempt with everything its review shows.
pub struct AttemptResult {
    pub attempt: Attempt,
    pub score: Score,
    pub items: Vec<Item>,
    pub versions: HashMap<Uuid, Arc<RenderedVersion>>,
    /// Every item by right or wrong and how sure the learner said they were.
    pub confidence: ConfidenceGroups,
}

impl AttemptResult {
    pub fn version(&self, item: &Item) -> Result<&Arc<RenderedVersion>> {
        self.versions
            .get(&item.version_id)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("question version {} missing", item.version_id)))
    }
}

pub enum ResultOutcome {
    Finished(Box<AttemptResult>),
    /// Still running: there is no result yet.
    Running,
}

/// The result of the learner's own attempt, once it is finished.
pub async fn result(app: &App, user: Uuid, id: Uuid) -> Result<ResultOutcome> {
    let (attempt, items) = open(app, user, id).await?;
    if !attempt.is_finished() {
        return Ok(ResultOutcome::Running);
    }
    let score =
        attempt.score.clone().ok_or_else(|| Error::Internal(anyhow::anyhow!("finished attempt {id} has no score")))?;
    let ids: Vec<Uuid> = items.iter().map(|i| i.version_id).collect();
    let versions = app.versions.get_many(&app.db, &ids).await?;
    let confidence = confidence::groups(items.iter().map(|i| (i.correct == Some(true), i.confidence)));
    Ok(ResultOutcome::Finished(Box::new(AttemptResult { attempt, score, items, versions, confidence })))
}
