//! The exam editor: a new exam, a blueprint edited, with the draw it would
//! make from the bank; and publishing. The form is read into a `Blueprint`
//! here, at the edge; the rules it must meet are `exam::blueprint::check`,
//! applied by the use cases in `app::exams`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::exams::render_exam;
use crate::app::exams::{self, PublishOutcome, SaveOutcome};
use crate::exam::blueprint::{self, DrawPreview, Problem};
use crate::exam::{Blueprint, CreditRule, Domain, Scale};
use crate::web::form::AppForm;
use crate::web::session::{Chrome, Editor};
use crate::web::{AppState, Result};

/// Empty domain rows shown below the exam's own, so that domains can be
/// added without JavaScript.
const EMPTY_ROWS: usize = 3;

/// The form as typed: every value a string, kept to show it again. The
/// domain rows arrive as repeated `code`, `name` and `weight` fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BlueprintForm {
    slug: String,
    title: String,
    description: String,
    code: Vec<String>,
    name: Vec<String>,
    weight: Vec<String>,
    question_count: String,
    time_limit_minutes: String,
    scale_min: String,
    scale_max: String,
    scale_pass: String,
    unscored_count: String,
    credit: String,
    explanations_in_practice: Option<String>,
}

/// One domain row of the form.
#[derive(Debug, Default, Clone)]
pub struct Row {
    code: String,
    name: String,
    weight: String,
}

impl BlueprintForm {
    /// The rows with anything typed in them, in order: row `i` is the
    /// blueprint's domain `i`, so a problem with `domains[i]` is shown there.
    fn filled_rows(&self) -> Vec<Row> {
        let cell = |v: &Vec<String>, i: usize| v.get(i).map_or(String::new(), |s| s.trim().to_string());
        let n = self.code.len().max(self.name.len()).max(self.weight.len());
        (0..n)
            .map(|i| Row { code: cell(&self.code, i), name: cell(&self.name, i), weight: cell(&self.weight, i) })
            .filter(|r| !(r.code.is_empty() && r.name.is_empty() && r.weight.is_empty()))
            .collect()
    }

    /// The rows to show: the filled ones, then empty ones to add more.
    fn rows(&self) -> Vec<Row> {
        let mut rows = self.filled_rows();
        rows.extend(std::iter::repeat_n(Row::default(), EMPTY_ROWS));
        rows
    }

    fn partial_credit(&self) -> bool {
        self.credit == "partial"
    }

    /// The form for a new exam: the defaults of the real exam.
    fn new_exam() -> Self {
        BlueprintForm { unscored_count: "0".into(), explanations_in_practice: Some("on".into()), ..Self::default() }
    }

    fn from_blueprint(b: &Blueprint) -> Self {
        BlueprintForm {
            slug: b.slug.clone(),
            title: b.title.clone(),
            description: b.description.clone(),
            code: b.domains.iter().map(|d| d.code.clone()).collect(),
            name: b.domains.iter().map(|d| d.name.clone()).collect(),
            weight: b.domains.iter().map(|d| d.weight.to_string()).collect(),
            question_count: b.question_count.to_string(),
            time_limit_minutes: b.time_limit_minutes.to_string(),
            scale_min: b.scale.min.to_string(),
            scale_max: b.scale.max.to_string(),
            scale_pass: b.scale.pass.to_string(),
            unscored_count: b.unscored_count.to_string(),
            credit: match b.credit {
                CreditRule::AllOrNothing => "all_or_nothing".into(),
                CreditRule::Partial => "partial".into(),
            },
            explanations_in_practice: b.explanations_in_practice.then(|| "on".into()),
        }
    }

    /// The blueprint the form describes, or the numbers it could not read.
    /// A number that could not be read stands as 0 in the blueprint; the
    /// caller drops the checks that would then speak of that 0.
    fn read(&self) -> (Blueprint, Vec<Problem>) {
        let mut unreadable = Vec::new();
        let mut number = |field: String, label: String, text: &str| -> u32 {
            match text.trim() {
                "" => {
                    unreadable.push(Problem { field, message: format!("{label} is missing: give a whole number.") });
                    0
                }
                t => t.parse().unwrap_or_else(|_| {
                    unreadable
                        .push(Problem { field, message: format!("{label} must be a whole number; “{t}” is not.") });
                    0
                }),
            }
        };
        let domains = self
            .filled_rows()
            .into_iter()
            .enumerate()
            .map(|(i, r)| Domain {
                weight: number(format!("domains[{i}].weight"), format!("The weight of domain {}", i + 1), &r.weight),
                code: r.code,
                name: r.name,
            })
            .collect();
        let question_count = number("question_count".into(), "The question count".into(), &self.question_count);
        let time_limit_minutes = number("time_limit_minutes".into(), "The time limit".into(), &self.time_limit_minutes);
        let scale = Scale {
            min: number("scale.min".into(), "The bottom of the scale".into(), &self.scale_min),
            max: number("scale.max".into(), "The top of the scale".into(), &self.scale_max),
            pass: number("scale.pass".into(), "The pass mark".into(), &self.scale_pass),
        };
        // No unscored items is the usual case, so an empty field means none.
        let unscored_count = if self.unscored_count.trim().is_empty() {
            0
        } else {
            number("unscored_count".into(), "The number of unscored items".into(), &self.unscored_count)
        };
        let blueprint = Blueprint {
            slug: self.slug.trim().to_string(),
            title: self.title.trim().to_string(),
            domains,
            question_count,
            time_limit_minutes,
            scale,
            unscored_count,
            description: self.description.trim().to_string(),
            credit: if self.partial_credit() { CreditRule::Partial } else { CreditRule::AllOrNothing },
            explanations_in_practice: self.explanations_in_practice.is_some(),
        };
        (blueprint, unreadable)
    }
}

/// The fields a check of `field` reads: a check is left out when one of
/// them could not be read, as it would only speak of the 0 standing in.
fn reads(field: &str) -> &[&str] {
    match field {
        "unscored_count" => &["unscored_count", "question_count"],
        "scale.max" => &["scale.min", "scale.max"],
        "scale.pass" => &["scale.min", "scale.max", "scale.pass"],
        _ => &[],
    }
}

/// The problems to show: the numbers that could not be read, then what the
/// use case found in the rest.
fn merge(unreadable: Vec<Problem>, found: Vec<Problem>) -> Vec<Problem> {
    let mut found: Vec<Problem> = found
        .into_iter()
        .filter(|p| {
            let unread = |f: &str| unreadable.iter().any(|u| u.field == f);
            !unread(&p.field) && !reads(&p.field).iter().any(|f| unread(f))
        })
        .collect();
    let mut all = unreadable;
    all.append(&mut found);
    all
}

#[derive(Template)]
#[template(path = "instructor/blueprint.html")]
struct BlueprintPage {
    chrome: Chrome,
    /// The exam being edited as saved; None for a new exam.
    saved: Option<Blueprint>,
    /// Loaded from `content/`: the slug stays.
    slug_fixed: bool,
    form: BlueprintForm,
    problems: Vec<Problem>,
    /// The draw of the blueprint as saved, from the bank as it stands.
    preview: Option<DrawPreview>,
    notice: Option<&'static str>,
}

impl BlueprintPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.problems.iter().find(|p| p.field == field).map(|p| p.message.as_str())
    }

    fn row_error(&self, row: &usize, part: &str) -> Option<&str> {
        self.error(&format!("domains[{row}].{part}"))
    }

    /// The id of the control a problem is about, for the summary's links.
    fn anchor(&self, field: &str) -> String {
        match field.strip_prefix("domains[").and_then(|rest| rest.split_once("].")) {
            Some((row, part)) => format!("{part}-{row}"),
            None if field == "domains" => "code-0".into(),
            None => field.replace('.', "_"),
        }
    }

    fn action(&self) -> String {
        match &self.saved {
            Some(b) => format!("/instructor/exams/{}/edit", b.slug),
            None => "/instructor/exams/new".into(),
        }
    }
}

fn render(page: BlueprintPage, status: StatusCode) -> Result<Response> {
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn new_exam(Editor(_): Editor, chrome: Chrome) -> Result<Response> {
    let page = BlueprintPage {
        chrome,
        saved: None,
        slug_fixed: false,
        form: BlueprintForm::new_exam(),
        problems: Vec::new(),
        preview: None,
        notice: None,
    };
    render(page, StatusCode::OK)
}

pub async fn create_exam(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    AppForm(form): AppForm<BlueprintForm>,
) -> Result<Response> {
    let (blueprint, unreadable) = form.read();
    // Nothing is saved while a number could not be read: the 0 standing
    // in for it would pass for what was meant.
    let outcome = if unreadable.is_empty() {
        exams::create(&state, &actor, &blueprint).await?
    } else {
        SaveOutcome::Invalid(blueprint::check(&blueprint))
    };
    let problems = match outcome {
        SaveOutcome::Saved(slug) => return Ok(Redirect::to(&format!("/instructor/exams/{slug}")).into_response()),
        SaveOutcome::Invalid(found) => merge(unreadable, found),
    };
    let page = BlueprintPage { chrome, saved: None, slug_fixed: false, form, problems, preview: None, notice: None };
    render(page, StatusCode::UNPROCESSABLE_ENTITY)
}

#[derive(Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn edit_exam(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(slug): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<Response> {
    let exam = exams::editable(&state, &actor, &slug).await?;
    let page = BlueprintPage {
        chrome,
        form: BlueprintForm::from_blueprint(&exam.blueprint),
        slug_fixed: exams::from_content(&exam),
        preview: Some(exams::draw_preview(&state, &exam).await?),
        saved: Some(exam.blueprint),
        problems: Vec::new(),
        notice: saved.saved.map(|_| "Saved. Attempts already started keep the blueprint they began with."),
    };
    render(page, StatusCode::OK)
}

pub async fn update_exam(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(slug): Path<String>,
    AppForm(form): AppForm<BlueprintForm>,
) -> Result<Response> {
    let exam = exams::editable(&state, &actor, &slug).await?;
    let (blueprint, unreadable) = form.read();
    let outcome = if unreadable.is_empty() {
        exams::update(&state, &actor, &slug, &blueprint).await?
    } else {
        SaveOutcome::Invalid(blueprint::check(&blueprint))
    };
    let problems = match outcome {
        SaveOutcome::Saved(slug) => {
            return Ok(Redirect::to(&format!("/instructor/exams/{slug}/edit?saved=1")).into_response());
        }
        SaveOutcome::Invalid(found) => merge(unreadable, found),
    };
    let page = BlueprintPage {
        chrome,
        slug_fixed: exams::from_content(&exam),
        preview: Some(exams::draw_preview(&state, &exam).await?),
        saved: Some(exam.blueprint),
        form,
        problems,
        notice: None,
    };
    render(page, StatusCode::UNPROCESSABLE_ENTITY)
}

pub async fn publish_exam(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(slug): Path<String>,
) -> Result<Response> {
    match exams::publish(&state, &actor, &slug).await? {
        PublishOutcome::Published => Ok(Redirect::to(&format!("/instructor/exams/{slug}")).into_response()),
        PublishOutcome::TooFewQuestions { have, need } => {
            let error = format!(
                "Not published: a full mock draws {need} questions and the bank holds {have}, so a learner \
                 pressing Start would get fewer than the exam promises. Upload more questions, or lower the \
                 question count."
            );
            render_exam(&state, &actor, chrome, &slug, None, Some(error), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn unpublish_exam(
    State(state): State<AppState>,
    Editor(actor): Editor,
    Path(slug): Path<String>,
) -> Result<Response> {
    exams::unpublish(&state, &actor, &slug).await?;
    Ok(Redirect::to(&format!("/instructor/exams/{slug}")).into_response())
}

#[cfg(test)]
mod tests;
