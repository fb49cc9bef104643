//! A group's assignments on the instructor's side: the assign form, one
//! assignment with every member's status, and deleting one (a confirm
//! page, then the POST), so all of it works without JavaScript.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::assignments::{self, CreateOutcome, Draft};
use crate::app::groups;
use crate::assignments::Status;
use crate::store::assignments::Assignment;
use crate::store::exams::Exam;
use crate::store::groups::{Group, Member};
use crate::web::form::{AppForm, FieldErrors};
use crate::web::format::utc_minute;
use crate::web::session::{Chrome, Editor};
use crate::web::{AppState, Result};

/// When an assignment is due, as its pages show it.
pub(super) fn due_text(a: &Assignment) -> String {
    a.due_at.map_or_else(|| "No due date".to_string(), utc_minute)
}

#[derive(Template)]
#[template(path = "instructor/assignment_new.html")]
struct NewAssignmentPage {
    chrome: Chrome,
    group: Group,
    exams: Vec<Exam>,
    /// Every domain of the assignable exams, once each: (code, name).
    domains: Vec<(String, String)>,
    form: AssignForm,
    errors: FieldErrors,
}

impl NewAssignmentPage {
    fn domain_ticked(&self, code: &str) -> bool {
        self.form.domains.iter().any(|d| d == code)
    }
}

/// The assign form as browsers send it; kept as typed on an error.
#[derive(Deserialize, Default)]
pub struct AssignForm {
    #[serde(default)]
    exam: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    count: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    due_time: String,
    #[serde(default)]
    note: String,
}

async fn render_new(
    state: &AppState,
    chrome: Chrome,
    group: Group,
    form: AssignForm,
    errors: FieldErrors,
) -> Result<NewAssignmentPage> {
    let exams = assignments::assignable_exams(state).await?;
    let mut domains: Vec<(String, String)> = Vec::new();
    for d in exams.iter().flat_map(|e| &e.blueprint.domains) {
        if !domains.iter().any(|(code, _)| *code == d.code) {
            domains.push((d.code.clone(), d.name.clone()));
        }
    }
    Ok(NewAssignmentPage { chrome, group, exams, domains, form, errors })
}

pub async fn new_assignment(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let group = groups::managed(&state, &actor, id).await?;
    // A new form starts on the first exam, as a full mock.
    let form = AssignForm { mode: "exam".into(), ..AssignForm::default() };
    let page = render_new(&state, chrome, group, form, FieldErrors::default()).await?;
    Ok(Html(page.render()?).into_response())
}

pub async fn create_assignment(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(id): Path<Uuid>,
    AppForm(form): AppForm<AssignForm>,
) -> Result<Response> {
    let draft = Draft {
        exam: form.exam.clone(),
        mode: form.mode.clone(),
        domains: form.domains.clone(),
        count: form.count.clone(),
        due_date: form.due_date.clone(),
        due_time: form.due_time.clone(),
        note: form.note.clone(),
    };
    match assignments::create(&state, &actor, id, &draft).await? {
        CreateOutcome::Created(_) => {
            Ok(Redirect::to(&format!("/instructor/groups/{id}?notice=assigned#assignments")).into_response())
        }
        CreateOutcome::Invalid(problems) => {
            let mut errors = FieldErrors::default();
            for (field, message) in problems {
                errors.add(field, message);
            }
            let group = groups::managed(&state, &actor, id).await?;
            let page = render_new(&state, chrome, group, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "instructor/assignment.html")]
struct AssignmentPage {
    chrome: Chrome,
    group: Group,
    assignment: Assignment,
    due: String,
    rows: Vec<(Member, Status)>,
    tally: String,
}

impl AssignmentPage {
    fn status_class(&self, s: &Status) -> &'static str {
        match s {
            Status::Done { .. } => "ok",
            Status::Overdue => "bad",
            Status::InProgress { .. } | Status::NotStarted => "",
        }
    }

    /// What a done status adds: when, and a mock's score.
    fn detail(&self, s: &Status) -> String {
        match s {
            Status::Done { on, result: Some((scaled, passed)), .. } => {
                format!("{} · {scaled} ({})", utc_minute(*on), if *passed { "pass" } else { "fail" })
            }
            Status::Done { on, result: None, .. } => utc_minute(*on),
            _ => String::new(),
        }
    }
}

pub async fn show_assignment(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path((id, assignment)): Path<(Uuid, Uuid)>,
) -> Result<Response> {
    let (group, assignment, rows) = assignments::show(&state, &actor, id, assignment).await?;
    let tally = crate::assignments::Tally::of(rows.iter().map(|(_, s)| s)).describe();
    let page = AssignmentPage { chrome, group, due: due_text(&assignment), assignment, rows, tally };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "instructor/assignment_delete.html")]
struct DeletePage {
    chrome: Chrome,
    group: Group,
    assignment: Assignment,
    due: String,
}

/// Asks before deleting: a page with the one button that does it.
pub async fn confirm_delete(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path((id, assignment)): Path<(Uuid, Uuid)>,
) -> Result<Response> {
    let (group, assignment) = assignments::find(&state, &actor, id, assignment).await?;
    let page = DeletePage { chrome, group, due: due_text(&assignment), assignment };
    Ok(Html(page.render()?).into_response())
}

pub async fn delete_assignment(
    State(state): State<AppState>,
    Editor(actor): Editor,
    Path((id, assignment)): Path<(Uuid, Uuid)>,
) -> Result<Response> {
    assignments::delete(&state, &actor, id, assignment).await?;
    Ok(Redirect::to(&format!("/instructor/groups/{id}?notice=unassigned#assignments")).into_response())
}
