//! The files an instructor starts a question set from: the CSV template
//! (a header and two example rows, to fill in a spreadsheet) and the JSON
//! Schema of our JSON format. Public: they hold no one's data.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::AppState;
use crate::content::formats::csv;

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
