//! The home page.

use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::session::Chrome;
use super::{AppState, Result};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(show_home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
}

async fn show_home(chrome: Chrome) -> Result<Response> {
    Ok(Html(HomePage { chrome }.render()?).into_response())
}
