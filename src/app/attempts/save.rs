//! Saving a response (and, in practice modes, checking it): the hottest
//! request of exam day. With the item's facts in memory it is one guarded
//! statement that decides ownership, time, order and locks at once.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{own_item_facts, version};
use crate::app::accounts::{self, session_limits};
use crate::app::{App, Error, Result};
use crate::exam::display::{self, DisplayResponse};
use crate::exam::kind::{Kind, ResponseError};
use crate::progress::Confidence;
use crate::store::attempts::{self, Owner, Save};

/// The largest `seq` a save may send: 2^53 − 1, the largest integer a
/// JavaScript number (the page's script, many JSON clients) holds exactly.
/// Without a bound a save at `i64::MAX` was stored, and no later save of
/// the item could be newer.
pub const MAX_SEQ: i64 = (1 << 53) - 1;

/// A save as the page's script, the item form and the API send it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct SaveRequest {
    /// Higher than the last save of this item; an older save arriving late
    /// (two tabs, a retry) is refused as stale. At most 2^53 − 1.
    #[schema(maximum = 9007199254740991_i64)]
    pub seq: i64,
    #[serde(default)]
    pub response: DisplayResponse,
    #[serde(default)]
    pub flagged: Option<bool>,
    #[serde(default)]
    pub struck: Option<Vec<i32>>,
    /// How sure the learner is of this answer. Absent or null keeps the
    /// stored mark. Taken in practice, drill and review, and in a mock exam
    /// started with `confidence: true`; any other mock refuses it (422,
    /// nothing saved). Final once a practice answer is checked, like the
    /// answer itself.
    #[serde(default, deserialize_with = "confidence_field")]
    pub confidence: Option<Confidence>,
    /// Practice modes: lock the answer and show its feedback.
    #[serde(default)]
    pub check: bool,
    /// When the page showing the item was made (unix seconds, the page's
    /// `shown_at` field): the time since then, or since the previous save
    /// from the same page, is added to the item's time (each step at most
    /// 30 minutes). Absent: no time is counted.
    #[serde(default)]
    pub shown_at: Option<i64>,
}

/// `confidence` as JSON sends it: "sure", "unsure", or null. Any other
/// value is refused naming the field, whatever the parser around it
/// reports of where it failed.
fn confidence_field<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Confidence>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => Confidence::parse(&s)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("`confidence` must be \"sure\" or \"unsure\", not {s:?}"))),
    }
}

/// What a save came to. Every variant but `Saved` left the item as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved {
        seq: i64,
    },
    /// More options chosen than the question takes.
    TooManyChoices {
        allowed: usize,
    },
    /// A response naming options the question does not have.
    DoesNotFit,
    /// An ordering that gives two steps the same place.
    RepeatedPlace,
    /// A `seq` above [`MAX_SEQ`].
    SeqTooLarge,
    /// A check with nothing answered.
    NothingToCheck,
    /// A confidence mark for a mock exam started without them.
    ConfidenceNotOffered,
    /// Past the deadline and its grace: the attempt is graded without it.
    TimeUp {
        seq: i64,
    },
    /// The attempt was already submitted.
    Finished {
        seq: i64,
    },
    /// A checked practice answer cannot change (its flag and strikes can).
    Locked {
        seq: i64,
    },
    /// A newer save of this item is already stored.
    Stale {
        seq: i64,
    },
}

/// The one list of save statuses, shared by the JSON replies (the page's
/// script and the API) and the OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SaveStatus {
    Saved,
    Invalid,
    TimeUp,
    Finished,
    Locked,
    Stale,
}

impl SaveStatus {
    pub const ALL: [SaveStatus; 6] =
        [Self::Saved, Self::Invalid, Self::TimeUp, Self::Finished, Self::Locked, Self::Stale];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Saved => "saved",
            Self::Invalid => "invalid",
            Self::TimeUp => "time_up",
            Self::Finished => "finished",
            Self::Locked => "locked",
            Self::Stale => "stale",
        }
    }

    /// The attempt is over: no later save can land.
    pub fn ends_attempt(self) -> bool {
        matches!(self, Self::TimeUp | Self::Finished)
    }
}

impl SaveOutcome {
    pub fn status(self) -> SaveStatus {
        match self {
            Self::Saved { .. } => SaveStatus::Saved,
            Self::TooManyChoices { .. }
            | Self::DoesNotFit
            | Self::RepeatedPlace
            | Self::SeqTooLarge
            | Self::NothingToCheck
            | Self::ConfidenceNotOffered => SaveStatus::Invalid,
            Self::TimeUp { .. } => SaveStatus::TimeUp,
            Self::Finished { .. } => SaveStatus::Finished,
            Self::Locked { .. } => SaveStatus::Locked,
            Self::Stale { .. } => SaveStatus::Stale,
        }
    }

    /// The item's stored seq; None when the save was refused before
    /// reaching the item (an invalid response).
    pub fn seq(self) -> Option<i64> {
        match self {
            Self::Saved { seq }
            | Self::TimeUp { seq }
            | Self::Finished { seq }
            | Self::Locked { seq }
            | Self::Stale { seq } => Some(seq),
            Self::TooManyChoices { .. }
            | Self::DoesNotFit
            | Self::RepeatedPlace
            | Self::SeqTooLarge
            | Self::NothingToCheck
            | Self::ConfidenceNotOffered => None,
        }
    }
}

/// What a form for one item holds: its kind, how many options (steps,
/// answers) and prompts it shows, and how many items the attempt has.
pub struct ItemShape {
    pub kind: Kind,
    pub options: usize,
    pub prompts: usize,
    pub item_count: i32,
}

/// The shape of the learner's own item, from memory when it can be.
pub async fn shape(app: &App, user: Uuid, id: Uuid, n: i32) -> Result<ItemShape> {
    let facts = own_item_facts(app, id, user, n).await?;
    let version = version(app, facts.version_id).await?;
    Ok(ItemShape {
        kind: version.content.question.body.kind(),
        options: facts.option_order.len(),
        prompts: version.prompts.len(),
        item_count: facts.item_count,
    })
}

/// Who is saving.
#[derive(Debug, Clone, Copy)]
pub enum Saver<'a> {
    /// A user known already (an API token's owner, a form post's user).
    User(Uuid),
    /// The user of a browser session not yet looked up: the save's own
    /// statement checks it, so the autosave takes one round trip. A session
    /// that is not live, or not the attempt owner's, finds nothing.
    Session(&'a str),
}

/// Validates and saves one item of the learner's own attempt. Every save
/// comes through here, whichever route sent it, so it is counted here.
pub async fn save(app: &App, saver: Saver<'_>, id: Uuid, n: i32, req: &SaveRequest) -> Result<SaveOutcome> {
    let outcome = save_item(app, saver, id, n, req).await;
    if let Ok(outcome) = &outcome {
        app.metrics.saved(outcome.status());
    }
    outcome
}

async fn save_item(app: &App, saver: Saver<'_>, id: Uuid, n: i32, req: &SaveRequest) -> Result<SaveOutcome> {
    let facts = match saver {
        Saver::User(user) => own_item_facts(app, id, user, n).await?,
        Saver::Session(token) => match app.item_facts.get(id, n) {
            Some(facts) => facts,
            None => own_item_facts(app, id, session_owner(app, token).await?, n).await?,
        },
    };
    let owner = facts.user_id;
    let refused = |outcome: SaveOutcome| async move {
        // Facts from memory were not yet checked against the session: a
        // refusal must not tell a stranger about the item.
        if let Saver::Session(token) = saver
            && session_owner(app, token).await? != owner
        {
            return Err(Error::NotFound);
        }
        Ok(outcome)
    };
    if req.seq > MAX_SEQ {
        return refused(SaveOutcome::SeqTooLarge).await;
    }
    // Refused rather than dropped: a save acknowledged as saved stored all
    // it carried.
    if req.confidence.is_some() && !facts.offers_confidence {
        return refused(SaveOutcome::ConfidenceNotOffered).await;
    }
    let version = version(app, facts.version_id).await?;
    let body = &version.content.question.body;
    let response = match display::to_canonical(body, &facts.option_order, &req.response) {
        Ok(r) => r,
        Err(ResponseError::TooMany { allowed }) => return refused(SaveOutcome::TooManyChoices { allowed }).await,
        Err(ResponseError::OutOfRange) => return refused(SaveOutcome::DoesNotFit).await,
        Err(ResponseError::RepeatedPlace) => return refused(SaveOutcome::RepeatedPlace).await,
    };
    // Only the practice modes check an answer as it is given.
    let check = (req.check && facts.mode.immediate_feedback()).then(|| body.is_correct(response.as_ref()));
    if check.is_some() && response.is_none() {
        return refused(SaveOutcome::NothingToCheck).await;
    }
    let struck: Option<Vec<i32>> = req.struck.as_ref().map(|s| {
        let mut s: Vec<i32> =
            s.iter().copied().filter(|&p| p >= 0 && (p as usize) < facts.option_order.len()).collect();
        s.sort_unstable();
        s.dedup();
        s
    });
    let limits = session_limits(app);
    let now = app.clock.now();
    let outcome = attempts::save(
        &app.db,
        &Save {
            attempt: id,
            owner: match saver {
                Saver::User(user) => Owner::User(user),
                Saver::Session(token) => Owner::Session { token, limits: &limits },
            },
            position: n,
            seq: req.seq,
            response: response.as_ref(),
            flagged: req.flagged,
            struck: struck.as_deref(),
            confidence: req.confidence,
            check,
            shown_at: req.shown_at.and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok()),
            now,
            grace: app.grace(),
        },
    )
    .await?;
    Ok(match outcome {
        attempts::SaveOutcome::Saved { seq } => SaveOutcome::Saved { seq },
        attempts::SaveOutcome::NotFound => return Err(crate::app::Error::NotFound),
        attempts::SaveOutcome::Finished { expired: true, seq } => SaveOutcome::TimeUp { seq },
        attempts::SaveOutcome::Finished { expired: false, seq } => SaveOutcome::Finished { seq },
        attempts::SaveOutcome::TimeUp { seq } => {
            // The save found the deadline passed: grading is the next step.
            super::grade(app, id, Some(facts.user_id), crate::exam::FinishReason::Expired).await?;
            SaveOutcome::TimeUp { seq }
        }
        attempts::SaveOutcome::Locked { seq } => SaveOutcome::Locked { seq },
        attempts::SaveOutcome::Stale { seq } => SaveOutcome::Stale { seq },
    })
}

/// The user of a live session; a session that is not live owns nothing.
async fn session_owner(app: &App, token: &str) -> Result<Uuid> {
    accounts::session_user(app, token).await?.map(|(user, _)| user.id.0).ok_or(Error::NotFound)
}
