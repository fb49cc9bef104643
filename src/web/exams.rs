//! Exams: the start page where a learner picks a mode, and starting an
//! attempt (shared with the API).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use uuid::Uuid;

use super::session::{Chrome, CurrentUser};
use super::{AppError, AppState, Result};
use crate::exam::draw::{self, Request};
use crate::exam::{Blueprint, Mode};
use crate::store::attempts::{self, NewAttempt, NewItem, Settings, Summary};
use crate::store::exams::{self, Exam};

pub fn router() -> Router<AppState> {
    Router::new().route("/exams/{slug}", get(show_exam)).route("/exams/{slug}/attempts", axum::routing::post(start))
}

/// What a learner asks for when starting.
#[derive(Debug, Clone, Deserialize)]
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
}

pub async fn exam_by_slug(state: &AppState, slug: &str) -> Result<Exam> {
    exams::by_slug(&state.db, slug).await?.ok_or(AppError::NotFound)
}

/// Draws and writes a new attempt; the error names what was wrong.
pub async fn start_attempt(state: &AppState, user: Uuid, exam: &Exam, req: &StartRequest) -> Result<Uuid> {
    let b = &exam.blueprint;
    let invalid = |m: String| Err(AppError::Invalid(m));
    let tag = req.tag.as_deref().map(str::trim).filter(|t| !t.is_empty());
    for d in &req.domains {
        if b.domain(d).is_none() {
            return invalid(format!("This exam has no domain {d}."));
        }
    }
    let (count, domains, timed, unscored) = match req.mode {
        Mode::Exam => (b.question_count, all_domains(b), true, if req.real_conditions { b.unscored_count } else { 0 }),
        Mode::Practice | Mode::Review => {
            let domains = if req.domains.is_empty() { all_domains(b) } else { req.domains.clone() };
            (req.count.unwrap_or(10), domains, req.timed, 0)
        }
        Mode::Drill => match (req.domains.as_slice(), tag) {
            ([one], None) => (req.count.unwrap_or(10), vec![one.clone()], req.timed, 0),
            ([], Some(_)) => (req.count.unwrap_or(10), all_domains(b), req.timed, 0),
            _ => return invalid("A drill is on one domain or one tag: choose one of them.".into()),
        },
    };
    if count == 0 || count > 200 {
        return invalid("Choose between 1 and 200 questions.".into());
    }

    let candidates =
        exams::candidates(&state.db, exam.id, user, if req.mode == Mode::Drill { tag } else { None }).await?;
    let review = req.mode == Mode::Review;
    let pool: Vec<&exams::Candidate> = candidates.iter().filter(|c| !review || c.last_missed.is_some()).collect();
    if pool.is_empty() {
        return invalid(if review {
            "You have no missed questions to review yet. Take a mock or a practice first.".into()
        } else {
            "There are no questions to draw for that choice.".into()
        });
    }
    let draw_candidates: Vec<draw::Candidate> = pool
        .iter()
        .map(|c| draw::Candidate {
            domain: c.domain.clone(),
            case: c.case_key.clone(),
            priority: if review {
                // Most recently missed first.
                -c.last_missed.map_or(0, |t| t.unix_timestamp())
            } else {
                c.last_seen.map_or(i64::MIN, |t| t.unix_timestamp())
            },
        })
        .collect();
    let weighted: Vec<(String, u32)> =
        domains.iter().map(|d| (d.clone(), b.domain(d).map_or(1, |x| x.weight))).collect();
    let seed: i64 = rand::random();
    let drawn = draw::draw(
        &draw_candidates,
        &Request { count, domains: &weighted, unscored, keep_order: review, seed: seed as u64 },
    );
    let items: Vec<NewItem> = drawn
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let c = pool[d.candidate];
            let item_seed = (seed as u64).wrapping_add((i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            NewItem {
                version_id: c.version_id,
                domain: c.domain.clone(),
                scored: d.scored,
                option_order: draw::shuffled_order(c.shuffled_len, item_seed).into_iter().map(|o| o as i32).collect(),
            }
        })
        .collect();
    let now = state.clock.now();
    let minutes = if req.mode == Mode::Exam {
        i64::from(b.time_limit_minutes)
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
            count,
            domains,
            tag: tag.map(String::from),
            timed,
            real_conditions: req.mode == Mode::Exam && req.real_conditions,
        },
        seed,
        started_at: now,
        deadline: timed.then(|| now + time::Duration::minutes(minutes)),
        items,
    };
    Ok(attempts::create(&state.db, &new).await?)
}

fn all_domains(b: &Blueprint) -> Vec<String> {
    b.domains.iter().map(|d| d.code.clone()).collect()
}

#[derive(Template)]
#[template(path = "exams/start.html")]
struct StartPage {
    chrome: Chrome,
    exam: Blueprint,
    tags: Vec<(String, i64)>,
    in_progress: Vec<Summary>,
    error: Option<String>,
}

async fn show_exam(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path(slug): Path<String>,
) -> Result<Response> {
    render_start(&state, session.user.id.0, chrome, &slug, None, StatusCode::OK).await
}

async fn render_start(
    state: &AppState,
    user: Uuid,
    chrome: Chrome,
    slug: &str,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response> {
    let exam = exam_by_slug(state, slug).await?;
    let tags = exams::tags(&state.db, exam.id).await?;
    let in_progress = attempts::list(&state.db, user, 50)
        .await?
        .into_iter()
        .filter(|a| a.exam_slug == slug && a.finished_at.is_none())
        .collect();
    let page = StartPage { chrome, exam: exam.blueprint, tags, in_progress, error };
    Ok((status, Html(page.render()?)).into_response())
}

/// The start form, as browsers send it: `domains` may repeat.
fn parse_start_form(body: &[u8]) -> Result<StartRequest> {
    let mut mode = None;
    let mut req = StartRequest {
        mode: Mode::Exam,
        count: None,
        domains: Vec::new(),
        tag: None,
        timed: false,
        real_conditions: false,
    };
    for (k, v) in form_urlencoded::parse(body) {
        match &*k {
            "mode" => mode = Mode::parse(&v),
            "count" if !v.trim().is_empty() => {
                req.count = Some(
                    v.trim().parse().map_err(|_| AppError::Invalid(format!("“{v}” is not a number of questions.")))?,
                )
            }
            "domains" | "domain" if !v.is_empty() => req.domains.push(v.into_owned()),
            "tag" if !v.is_empty() => req.tag = Some(v.into_owned()),
            "timed" => req.timed = true,
            "real_conditions" => req.real_conditions = true,
            _ => {}
        }
    }
    req.mode = mode.ok_or_else(|| AppError::Invalid("Choose a mode: exam, practice, drill or review.".into()))?;
    Ok(req)
}

async fn start(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path(slug): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response> {
    let exam = exam_by_slug(&state, &slug).await?;
    let started = match parse_start_form(&body) {
        Ok(req) => start_attempt(&state, session.user.id.0, &exam, &req).await,
        Err(e) => Err(e),
    };
    match started {
        Ok(id) => Ok(Redirect::to(&format!("/attempts/{id}/items/1")).into_response()),
        Err(AppError::Invalid(message)) => {
            render_start(&state, session.user.id.0, chrome, &slug, Some(message), StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(e) => Err(e),
    }
}
