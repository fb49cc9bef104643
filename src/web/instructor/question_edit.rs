//! Editing one question in the browser: its text in our Markdown format in
//! a textarea, a Preview button (the page comes back with the text kept
//! and the item rendered below; no script needed) and Save, checked by the
//! import's own pipeline. With script, `static/question-edit.js` posts the
//! text to `…/preview` as it is typed and swaps in the fragment returned.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::learner_view;
use super::questions::question_url;
use crate::app::questions::{self, EditOutcome};
use crate::content::formats::Problem;
use crate::exam::kind::Kind;
use crate::exam::{Blueprint, VersionContent};
use crate::web::attempts::view::ItemView;
use crate::web::form::AppForm;
use crate::web::session::{Chrome, Editor};
use crate::web::{AppState, Result};

/// What the preview region shows: the item as a learner sees it, or what
/// is wrong with the text, line by line.
struct Rendered {
    item: Option<ItemView>,
    problems: Vec<Problem>,
}

impl Rendered {
    fn of(checked: Result<VersionContent, Vec<Problem>>) -> Rendered {
        match checked {
            Ok(content) => Rendered { item: Some(learner_view(content, 1)), problems: Vec::new() },
            Err(problems) => Rendered { item: None, problems },
        }
    }
}

#[derive(Template)]
#[template(path = "instructor/question_edit.html")]
struct EditPage {
    chrome: Chrome,
    exam: Blueprint,
    key: String,
    url: String,
    text: String,
    /// Why the text area starts empty: our format cannot hold the question.
    unwritable: Option<String>,
    preview: Option<Rendered>,
    /// A save's problems (422), or that nothing changed.
    error: Option<String>,
    notice: Option<String>,
}

/// The preview region alone, for the script.
#[derive(Template)]
#[template(path = "instructor/_question_preview.html")]
struct PreviewFragment {
    preview: Option<Rendered>,
}

pub async fn edit_question(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path((slug, key)): Path<(String, String)>,
) -> Result<Response> {
    let detail = questions::show(&state, &actor, &slug, &key).await?;
    let (text, unwritable) = match questions::markdown_of(&detail.current().content) {
        Ok(text) => (text, None),
        Err(reason) => (String::new(), Some(reason)),
    };
    let page = EditPage {
        chrome,
        url: question_url(&slug, &detail.question.key),
        exam: detail.exam.blueprint,
        key: detail.question.key,
        text,
        unwritable,
        preview: None,
        error: None,
        notice: None,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    text: String,
    /// `preview` or `save`.
    #[serde(default)]
    action: String,
}

pub async fn save_question(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path((slug, key)): Path<(String, String)>,
    AppForm(form): AppForm<EditForm>,
) -> Result<Response> {
    // A browser sends the textarea's line ends as CRLF; the file format
    // and the stored versions use LF.
    let text = form.text.replace("\r\n", "\n");
    let url = question_url(&slug, &key);
    if form.action == "save" {
        let (exam, outcome) = questions::save(&state, &actor, &slug, &key, &text).await?;
        return match outcome {
            EditOutcome::Saved(n) => Ok(Redirect::to(&format!("{url}?saved={n}")).into_response()),
            EditOutcome::Unchanged(content) => {
                let notice = Some("Nothing was saved: the text is the same as the current version.".into());
                let page = page(chrome, exam.blueprint, key, url, text, Some(Rendered::of(Ok(*content))), None, notice);
                Ok(Html(page.render()?).into_response())
            }
            EditOutcome::Invalid(problems) => {
                let error = Some(format!(
                    "Nothing was saved: the text has {} {}, listed below with their lines.",
                    problems.len(),
                    if problems.len() == 1 { "error" } else { "errors" }
                ));
                let preview = Some(Rendered { item: None, problems });
                let page = page(chrome, exam.blueprint, key, url, text, preview, error, None);
                Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
            }
        };
    }
    let (exam, checked) = questions::preview(&state, &actor, &slug, &key, &text).await?;
    let page = page(chrome, exam.blueprint, key, url, text, Some(Rendered::of(checked)), None, None);
    Ok(Html(page.render()?).into_response())
}

#[allow(clippy::too_many_arguments)]
fn page(
    chrome: Chrome,
    exam: Blueprint,
    key: String,
    url: String,
    text: String,
    preview: Option<Rendered>,
    error: Option<String>,
    notice: Option<String>,
) -> EditPage {
    EditPage { chrome, exam, key, url, text, unwritable: None, preview, error, notice }
}

#[derive(Debug, Deserialize)]
pub struct PreviewForm {
    #[serde(default)]
    text: String,
}

/// The rendered item (or the problems) for the text as typed so far.
pub async fn preview_question(
    State(state): State<AppState>,
    Editor(actor): Editor,
    Path((slug, key)): Path<(String, String)>,
    AppForm(form): AppForm<PreviewForm>,
) -> Result<Response> {
    let text = form.text.replace("\r\n", "\n");
    let (_, checked) = questions::preview(&state, &actor, &slug, &key, &text).await?;
    Ok(Html(PreviewFragment { preview: Some(Rendered::of(checked)) }.render()?).into_response())
}
