//! Taking an attempt: one item a page, saving (form or JSON autosave),
//! the review screen, submit.

use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::item_facts::ItemFacts;
use super::session::{Chrome, CurrentUser};
use super::versions::RenderedVersion;
use super::{AppError, AppState, Result};
use crate::exam::display::{self, DisplayResponse};
use crate::exam::kind::{Kind, ResponseError};
use crate::exam::{Body, Mode, Visibility};
use crate::store::attempts::{self, Attempt, Item, Save, SaveOutcome};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/attempts/{id}", get(resume))
        .route("/attempts/{id}/items/{n}", get(show_item).post(save_item))
        .route("/attempts/{id}/review", get(show_review))
        .route("/attempts/{id}/submit", post(submit))
}

/// Loads the learner's own attempt; someone else's is simply not found.
/// An attempt past its deadline is graded first, as it stands.
pub async fn load_own(state: &AppState, id: Uuid, user: Uuid) -> Result<(Attempt, Vec<Item>)> {
    load_own_items(state, id, user, None).await
}

/// Like [`load_own`], with only the item at `position` (the save path
/// needs no more).
pub async fn load_own_item(state: &AppState, id: Uuid, user: Uuid, position: i32) -> Result<(Attempt, Item)> {
    let (attempt, mut items) = load_own_items(state, id, user, Some(position)).await?;
    let item = items.pop().ok_or(AppError::NotFound)?;
    Ok((attempt, item))
}

async fn load_own_items(state: &AppState, id: Uuid, user: Uuid, position: Option<i32>) -> Result<(Attempt, Vec<Item>)> {
    let (attempt, items) = attempts::load(&state.db, id, user, position).await?.ok_or(AppError::NotFound)?;
    if attempt.is_expired(state.clock.now(), state.grace()) {
        attempts::finish(&state.db, id, Some(user), "expired", state.clock.now()).await?;
        return attempts::load(&state.db, id, user, position).await?.ok_or(AppError::NotFound);
    }
    state.item_facts.remember(&attempt, &items);
    Ok((attempt, items))
}

/// The unchanging facts of the learner's own item: from memory, or read
/// once. Someone else's item is not found.
async fn own_item_facts(state: &AppState, id: Uuid, user: Uuid, position: i32) -> Result<Arc<ItemFacts>> {
    let facts = match state.item_facts.get(id, position) {
        Some(facts) => facts,
        None => {
            let (attempt, item) = load_own_item(state, id, user, position).await?;
            Arc::new(ItemFacts::of(&attempt, &item))
        }
    };
    if facts.user_id != user {
        return Err(AppError::NotFound);
    }
    Ok(facts)
}

/// Grades every attempt past its deadline that no request has touched:
/// the periodic sweep.
pub async fn grade_expired(state: &AppState) -> Result<usize> {
    let now = state.clock.now();
    let due = attempts::expired(&state.db, now, state.grace()).await?;
    for id in &due {
        attempts::finish(&state.db, *id, None, "expired", now).await?;
    }
    Ok(due.len())
}

/// Whole seconds until `deadline`, rounded up (a fresh 130-minute attempt
/// has 7800 left, not 7799), never below zero.
pub fn seconds_left(deadline: OffsetDateTime, now: OffsetDateTime) -> i64 {
    ((deadline - now).whole_milliseconds() as i64 + 999).div_euclid(1000).max(0)
}

/// Time left until `deadline` as the countdown shows it: `130:00`.
pub fn time_left(deadline: OffsetDateTime, now: OffsetDateTime) -> String {
    clock(seconds_left(deadline, now))
}

/// `130:00`-style minutes and seconds.
pub fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{}:{:02}", s / 60, s % 60)
}

const LETTERS: &[u8] = b"ABCDEFGHIJ";

pub struct PaletteEntry {
    pub position: i32,
    pub answered: bool,
    pub flagged: bool,
    pub current: bool,
}

/// Every item's cell in the palette; `current` marks the item on screen.
fn palette(items: &[Item], current: Option<i32>) -> Vec<PaletteEntry> {
    items
        .iter()
        .map(|i| PaletteEntry {
            position: i.position,
            answered: i.answered,
            flagged: i.flagged,
            current: Some(i.position) == current,
        })
        .collect()
}

/// An option, step or matching answer as shown.
pub struct ChoiceView {
    pub pos: usize,
    pub letter: char,
    pub html: String,
    /// The text without markup, for places that take no HTML (`<option>`).
    pub plain: String,
    pub selected: bool,
    pub struck: bool,
    /// Ordering: the position the learner gave this step (1-based).
    pub rank: Option<usize>,
    /// After feedback: whether this one is (part of) the key, and why.
    pub keyed: bool,
    pub rationale: Option<String>,
}

pub struct PromptView {
    pub index: usize,
    pub html: String,
    pub chosen: Option<usize>,
    /// After feedback: the right answer's text and why.
    pub answer: Option<String>,
    pub rationale: Option<String>,
    pub right: bool,
}

/// One item as a page shows it, built from the item and its version;
/// feedback is filled in only when [`Visibility`] allows.
pub struct ItemView {
    pub position: i32,
    pub kind: &'static str,
    pub domain: Option<String>,
    pub case_title: Option<String>,
    pub case_scenario: Option<String>,
    pub stem: String,
    pub select_count: Option<usize>,
    pub choices: Vec<ChoiceView>,
    pub prompts: Vec<PromptView>,
    pub rank_options: Vec<usize>,
    pub flagged: bool,
    pub answered: bool,
    pub scored: bool,
    pub visibility: Visibility,
    pub correct: Option<bool>,
    pub explanation: Option<String>,
    /// Ordering, after feedback: the steps in the right order.
    pub key_order: Vec<String>,
}

impl ChoiceView {
    pub fn rank_is(&self, r: &usize) -> bool {
        self.rank == Some(*r)
    }
}

impl PromptView {
    pub fn chosen_is(&self, pos: &usize) -> bool {
        self.chosen == Some(*pos)
    }
}

/// Text content of sanitized HTML: drops tags, keeps entities (which the
/// template escapes again, so they show as typed).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

impl ItemView {
    pub fn new(item: &Item, v: &RenderedVersion, visibility: Visibility) -> ItemView {
        let body = &v.content.question.body;
        let shown = display::to_display(body, &item.option_order, item.response.as_ref());
        let chosen = shown.choice.clone().unwrap_or_default();
        let ranks = shown.ranks.clone().unwrap_or_default();
        let key = body.key();
        let keyed = |canonical: usize| match &key {
            crate::exam::Response::Single(k) => *k == canonical,
            crate::exam::Response::Multiple(ks) => ks.contains(&canonical),
            _ => false,
        };
        let feedback = visibility.feedback;
        let is_matching = body.kind() == Kind::Matching;
        let choices = item
            .option_order
            .iter()
            .enumerate()
            .map(|(pos, &c)| {
                let c = c as usize;
                ChoiceView {
                    pos,
                    letter: LETTERS.get(pos).map_or('?', |&b| b as char),
                    html: v.choices[c].clone(),
                    plain: strip_tags(&v.choices[c]),
                    selected: chosen.contains(&pos),
                    struck: item.struck.contains(&(pos as i32)),
                    rank: ranks.get(pos).copied().flatten().map(|r| r + 1),
                    keyed: feedback && keyed(c),
                    rationale: (feedback && !is_matching).then(|| v.rationales[c].clone()),
                }
            })
            .collect();
        let prompts = match body {
            Body::Matching { pairs, .. } => {
                let answers = body.answers();
                let matches = shown.matches.clone().unwrap_or_default();
                let crate::exam::Response::Matching(key) = &key else { unreachable!("matching keys are matching") };
                pairs
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let chosen = matches.get(i).copied().flatten();
                        let right_pos = key[i].and_then(|k| item.option_order.iter().position(|&o| o as usize == k));
                        PromptView {
                            index: i,
                            html: v.prompts[i].clone(),
                            chosen,
                            answer: feedback.then(|| {
                                let k = answers.iter().position(|a| *a == p.answer).unwrap_or(0);
                                v.choices[k].clone()
                            }),
                            rationale: feedback.then(|| v.rationales[i].clone()),
                            right: feedback && chosen.is_some() && chosen == right_pos,
                        }
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let key_order = match body {
            Body::Ordering { .. } if feedback => (0..v.choices.len())
                .map(|i| format!("{} <span class=\"why\">— {}</span>", v.choices[i], v.rationales[i]))
                .collect(),
            _ => Vec::new(),
        };
        ItemView {
            position: item.position,
            kind: body.kind().as_str(),
            domain: visibility.domain.then(|| item.domain.clone()),
            case_title: v.case_title.clone(),
            case_scenario: v.case_scenario.clone(),
            stem: v.stem.clone(),
            select_count: body.select_count(),
            choices,
            prompts,
            rank_options: (1..=item.option_order.len()).collect(),
            flagged: item.flagged,
            answered: item.answered,
            scored: item.scored,
            visibility,
            correct: if feedback { Some(body.is_correct(item.response.as_ref())) } else { None },
            explanation: feedback.then(|| v.explanation.clone()),
            key_order,
        }
    }

    pub fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }

    pub fn struck_list(&self) -> String {
        self.choices.iter().filter(|c| c.struck).map(|c| c.pos.to_string()).collect::<Vec<_>>().join(",")
    }
}

#[derive(Template)]
#[template(path = "attempts/item.html")]
struct ItemPage {
    chrome: Chrome,
    attempt_id: Uuid,
    exam_title: String,
    mode: Mode,
    total: usize,
    item: ItemView,
    palette: Vec<PaletteEntry>,
    time_left: Option<String>,
    deadline_ms: Option<i64>,
    now_ms: i64,
    next_seq: i64,
    message: Option<String>,
    answered_count: usize,
}

fn millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

async fn resume(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let (attempt, items) = load_own(&state, id, session.user.id.0).await?;
    if attempt.is_finished() {
        return Ok(Redirect::to(&format!("/attempts/{id}/result")).into_response());
    }
    let first_open = items.iter().find(|i| !i.answered).map_or(1, |i| i.position);
    Ok(Redirect::to(&format!("/attempts/{id}/items/{first_open}")).into_response())
}

async fn show_item(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path((id, n)): Path<(Uuid, i32)>,
) -> Result<Response> {
    render_item(&state, session.user.id.0, chrome, id, n, None, StatusCode::OK).await
}

async fn render_item(
    state: &AppState,
    user: Uuid,
    chrome: Chrome,
    id: Uuid,
    n: i32,
    message: Option<String>,
    status: StatusCode,
) -> Result<Response> {
    let (attempt, items) = load_own(state, id, user).await?;
    if attempt.is_finished() {
        return Ok(Redirect::to(&format!("/attempts/{id}/result#item-{n}")).into_response());
    }
    let item = items.iter().find(|i| i.position == n).ok_or(AppError::NotFound)?;
    let version = version_of(state, item).await?;
    let visibility = Visibility::of(attempt.mode, false, item.checked);
    let now = state.clock.now();
    let page = ItemPage {
        chrome,
        attempt_id: id,
        exam_title: attempt.blueprint.title.clone(),
        mode: attempt.mode,
        total: items.len(),
        item: ItemView::new(item, &version, visibility),
        palette: palette(&items, Some(n)),
        time_left: attempt.deadline.map(|d| time_left(d, now)),
        deadline_ms: attempt.deadline.map(millis),
        now_ms: millis(now),
        next_seq: item.seq + 1,
        message,
        answered_count: items.iter().filter(|i| i.answered).count(),
    };
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(page.render()?)).into_response())
}

pub async fn version_of(state: &AppState, item: &Item) -> Result<Arc<RenderedVersion>> {
    version(state, item.version_id).await
}

async fn version(state: &AppState, id: Uuid) -> Result<Arc<RenderedVersion>> {
    state
        .versions
        .get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("question version {id} missing")))
}

/// A save as the JSON autosave and the API send it.
#[derive(Debug, Deserialize, Serialize)]
pub struct SaveRequest {
    pub seq: i64,
    #[serde(default)]
    pub response: DisplayResponse,
    #[serde(default)]
    pub flagged: Option<bool>,
    #[serde(default)]
    pub struck: Option<Vec<i32>>,
    /// Practice modes: lock the answer and show its feedback.
    #[serde(default)]
    pub check: bool,
}

#[derive(Debug, Serialize)]
pub struct SaveReply {
    pub status: &'static str,
    /// The stored seq; None when the save was refused before reaching the
    /// item (an invalid response).
    pub seq: Option<i64>,
    pub message: String,
}

/// What a save came to, for the learner.
pub enum Saved {
    Ok(i64),
    Refused(StatusCode, &'static str, String, Option<i64>),
}

/// Validates and saves one item: the shared core of the form post, the
/// JSON autosave and the API. With the item's facts in memory this is one
/// statement: the guarded upsert decides ownership, time, order and locks.
pub async fn save_response(state: &AppState, user: Uuid, id: Uuid, n: i32, req: &SaveRequest) -> Result<Saved> {
    let facts = own_item_facts(state, id, user, n).await?;
    let version = version(state, facts.version_id).await?;
    let body = &version.content.question.body;
    let invalid = |message: String| Ok(Saved::Refused(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message, None));
    let response = match display::to_canonical(body, &facts.option_order, &req.response) {
        Ok(r) => r,
        Err(ResponseError::TooMany { allowed }) => {
            return invalid(format!("Choose at most {allowed} options; your previous answer is kept."));
        }
        Err(ResponseError::OutOfRange) => {
            return Err(AppError::Invalid("That answer does not fit this question.".into()));
        }
    };
    let check = (req.check && facts.mode.immediate_feedback()).then(|| body.is_correct(response.as_ref()));
    if check.is_some() && response.is_none() {
        return invalid("Answer the question before checking it.".into());
    }
    let struck: Option<Vec<i32>> = req.struck.as_ref().map(|s| {
        let mut s: Vec<i32> =
            s.iter().copied().filter(|&p| p >= 0 && (p as usize) < facts.option_order.len()).collect();
        s.sort_unstable();
        s.dedup();
        s
    });
    let outcome = attempts::save(
        &state.db,
        &Save {
            attempt: id,
            user,
            position: n,
            seq: req.seq,
            response: response.as_ref(),
            flagged: req.flagged,
            struck: struck.as_deref(),
            check,
            now: state.clock.now(),
            grace: state.grace(),
        },
    )
    .await?;
    Ok(match outcome {
        SaveOutcome::Saved { seq } => Saved::Ok(seq),
        SaveOutcome::NotFound => return Err(AppError::NotFound),
        SaveOutcome::Finished { expired: true, seq } => time_up(seq),
        SaveOutcome::Finished { expired: false, seq } => Saved::Refused(
            StatusCode::CONFLICT,
            "finished",
            "This attempt was already submitted; answers can no longer change.".into(),
            Some(seq),
        ),
        SaveOutcome::TimeUp { seq } => {
            attempts::finish(&state.db, id, Some(user), "expired", state.clock.now()).await?;
            time_up(seq)
        }
        // A form with the answer fieldset disabled sends no answer at all,
        // so this is a real attempt to change a checked practice answer.
        SaveOutcome::Locked { seq } => Saved::Refused(
            StatusCode::CONFLICT,
            "locked",
            "This answer was already checked and can no longer change.".into(),
            Some(seq),
        ),
        SaveOutcome::Stale { seq } => Saved::Refused(
            StatusCode::CONFLICT,
            "stale",
            "A newer answer to this question was saved (another tab or a retry); reload to see it.".into(),
            Some(seq),
        ),
    })
}

fn time_up(seq: i64) -> Saved {
    Saved::Refused(
        StatusCode::CONFLICT,
        "time_up",
        "Time is up: this answer arrived after the deadline and was not saved. Every answer saved before it counts."
            .into(),
        Some(seq),
    )
}

/// The JSON answer to a save, the same for the autosave script and the API:
/// the refusal's status code with its reason, or 200 with the stored seq.
pub fn save_reply(saved: Saved) -> Response {
    match saved {
        Saved::Ok(seq) => Json(SaveReply { status: "saved", seq: Some(seq), message: "Saved".into() }).into_response(),
        Saved::Refused(code, status, message, seq) => (code, Json(SaveReply { status, seq, message })).into_response(),
    }
}

/// The item form as browsers send it (fields may repeat).
struct ItemForm {
    save: SaveRequest,
    action: String,
}

fn parse_item_form(body: &[u8], kind: Kind, shown: usize, prompts: usize) -> ItemForm {
    let mut choice = Vec::new();
    let mut ranks = vec![None; shown];
    let mut matches = vec![None; prompts];
    let mut seq = 0;
    let mut flagged = None;
    let mut struck: Vec<i32> = Vec::new();
    let mut action = String::from("save");
    for (k, v) in form_urlencoded::parse(body) {
        let number = |s: &str| s.trim().parse::<usize>().ok();
        match &*k {
            "choice" => choice.extend(number(&v)),
            "seq" => seq = v.parse().unwrap_or(0),
            "flagged" => flagged = Some(v == "true"),
            "struck" => struck = v.split(',').filter_map(|p| p.trim().parse().ok()).collect(),
            "action" => action = v.into_owned(),
            _ => {
                if let Some(p) = k.strip_prefix("rank-").and_then(number).filter(|&p| p < shown) {
                    ranks[p] = number(&v).filter(|&r| r >= 1).map(|r| r - 1);
                } else if let Some(p) = k.strip_prefix("match-").and_then(number).filter(|&p| p < prompts) {
                    matches[p] = number(&v);
                }
            }
        }
    }
    let response = match kind {
        Kind::Single | Kind::Multiple => DisplayResponse { choice: Some(choice), ..Default::default() },
        Kind::Ordering => DisplayResponse { ranks: Some(ranks), ..Default::default() },
        Kind::Matching => DisplayResponse { matches: Some(matches), ..Default::default() },
    };
    if action == "flag" {
        flagged = Some(!flagged.unwrap_or(false));
    }
    if let Some(p) = action.strip_prefix("strike-").and_then(|p| p.parse::<i32>().ok()) {
        match struck.iter().position(|&s| s == p) {
            Some(i) => {
                struck.remove(i);
            }
            None => struck.push(p),
        }
    }
    let check = action == "check";
    ItemForm { save: SaveRequest { seq, response, flagged, struck: Some(struck), check }, action }
}

async fn save_item(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path((id, n)): Path<(Uuid, i32)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let user = session.user.id.0;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        let req: SaveRequest =
            serde_json::from_slice(&body).map_err(|e| AppError::Invalid(format!("The save could not be read: {e}")))?;
        return Ok(save_reply(save_response(&state, user, id, n, &req).await?));
    }

    // A form post: save, then go where the learner asked.
    let facts = own_item_facts(&state, id, user, n).await?;
    let version = version(&state, facts.version_id).await?;
    let form =
        parse_item_form(&body, version.content.question.body.kind(), facts.option_order.len(), version.prompts.len());
    let total = facts.item_count;
    match save_response(&state, user, id, n, &form.save).await? {
        // Navigation goes on even when the answer itself was not taken.
        Saved::Ok(_) | Saved::Refused(_, "stale" | "locked", _, _) => {}
        Saved::Refused(_, "time_up" | "finished", _, _) => {
            return Ok(Redirect::to(&format!("/attempts/{id}/result?notice=time-up")).into_response());
        }
        Saved::Refused(code, _, message, _) => {
            return render_item(&state, user, chrome, id, n, Some(message), code).await;
        }
    }
    let target = match form.action.as_str() {
        "next" if n < total => format!("/attempts/{id}/items/{}", n + 1),
        "next" | "review" => format!("/attempts/{id}/review"),
        "prev" if n > 1 => format!("/attempts/{id}/items/{}", n - 1),
        a => match a.strip_prefix("goto-").and_then(|k| k.parse::<i32>().ok()).filter(|k| (1..=total).contains(k)) {
            Some(k) => format!("/attempts/{id}/items/{k}"),
            None => format!("/attempts/{id}/items/{n}#item"),
        },
    };
    Ok(Redirect::to(&target).into_response())
}

#[derive(Template)]
#[template(path = "attempts/review.html")]
struct ReviewPage {
    chrome: Chrome,
    attempt_id: Uuid,
    exam_title: String,
    mode: Mode,
    palette: Vec<PaletteEntry>,
    answered: usize,
    unanswered: usize,
    flagged: usize,
    time_left: Option<String>,
    deadline_ms: Option<i64>,
    now_ms: i64,
}

async fn show_review(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let (attempt, items) = load_own(&state, id, session.user.id.0).await?;
    if attempt.is_finished() {
        return Ok(Redirect::to(&format!("/attempts/{id}/result")).into_response());
    }
    let now = state.clock.now();
    let answered = items.iter().filter(|i| i.answered).count();
    let page = ReviewPage {
        chrome,
        attempt_id: id,
        exam_title: attempt.blueprint.title.clone(),
        mode: attempt.mode,
        palette: palette(&items, None),
        answered,
        unanswered: items.len() - answered,
        flagged: items.iter().filter(|i| i.flagged).count(),
        time_left: attempt.deadline.map(|d| time_left(d, now)),
        deadline_ms: attempt.deadline.map(millis),
        now_ms: millis(now),
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(page.render()?)).into_response())
}

/// Grades once, however often it is called: double clicks, two tabs and
/// retries all land on the same result.
async fn submit(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    submit_own(&state, id, session.user.id.0).await?;
    Ok(Redirect::to(&format!("/attempts/{id}/result")).into_response())
}

/// Submits the learner's own attempt, grading it once however often it is
/// called. Loading first grades an attempt already past its deadline as
/// expired: the deadline ended it, not this late submit.
pub async fn submit_own(state: &AppState, id: Uuid, user: Uuid) -> Result<()> {
    let (attempt, _) = load_own(state, id, user).await?;
    if !attempt.is_finished() {
        attempts::finish(&state.db, id, Some(user), "submitted", state.clock.now()).await?.ok_or(AppError::NotFound)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_shows_minutes_past_sixty() {
        assert_eq!(clock(130 * 60), "130:00");
        assert_eq!(clock(61), "1:01");
        assert_eq!(clock(-5), "0:00");
    }

    #[test]
    fn the_item_form_reads_repeated_choices_ranks_and_actions() {
        let f = parse_item_form(b"seq=4&choice=0&choice=3&flagged=false&action=flag&struck=1,2", Kind::Multiple, 5, 0);
        assert_eq!(f.save.seq, 4);
        assert_eq!(f.save.response.choice, Some(vec![0, 3]));
        assert_eq!(f.save.flagged, Some(true), "flag toggles");
        assert_eq!(f.save.struck, Some(vec![1, 2]));
        let f = parse_item_form(b"seq=1&rank-0=2&rank-1=&rank-2=1&action=strike-1", Kind::Ordering, 3, 0);
        assert_eq!(f.save.response.ranks, Some(vec![Some(1), None, Some(0)]));
        assert_eq!(f.save.struck, Some(vec![1]));
    }
}
