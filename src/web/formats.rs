//! Question files over HTTP: the files an instructor starts a set from
//! (the CSV template, a header and two example rows to fill in a
//! spreadsheet, and the JSON Schema of our JSON format; public, they hold
//! no one's data), and an exam's questions exported as a download, for the
//! API and the instructor's pages alike.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{AppError, AppState};
use crate::app::exams::Actor;
use crate::app::imports;
use crate::content::formats::{Format, csv};

/// How many questions, or parts of them, an exported file could not carry.
pub const LEFT_OUT: HeaderName = HeaderName::from_static("x-mockexam-left-out");

/// The writable format named `name`, or an error that lists them.
pub fn writable_format(name: &str) -> Result<Format, AppError> {
    Format::parse(name).filter(|f| f.writable()).ok_or_else(|| {
        AppError::Invalid(format!(
            "`{name}` cannot be exported: use markdown, json, gift, moodle-xml or csv (aiken is read only)."
        ))
    })
}

/// The exam's current questions (or one question set's) as a file to
/// download: `<slug>.<extension>` with the format's media type.
pub async fn export_download(
    state: &AppState,
    actor: &Actor,
    slug: &str,
    format: Format,
    set: Option<&str>,
) -> Result<Response, AppError> {
    let written = imports::export(state, actor, slug, format, set)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("{} is writable but wrote nothing", format.as_str())))?;
    let disposition = format!("attachment; filename=\"{slug}.{}\"", format.extension());
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(format.media_type())),
        (header::CONTENT_DISPOSITION, HeaderValue::try_from(disposition).map_err(|e| AppError::Internal(e.into()))?),
        (LEFT_OUT, HeaderValue::from(written.losses.len())),
    ];
    Ok((headers, written.text).into_response())
}

pub const CSV_TEMPLATE: &str = "/formats/questions-template.csv";
pub const JSON_SCHEMA: &str = "/formats/questions.schema.json";

pub fn router() -> Router<AppState> {
    Router::new().route(CSV_TEMPLATE, get(csv_template)).route(JSON_SCHEMA, get(json_schema))
}

async fn csv_template() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"questions-template.csv\""),
        ],
        csv::template(),
    )
}

async fn json_schema() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/schema+json")], include_str!("../../docs/formats/questions.schema.json"))
}
