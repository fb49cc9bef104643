//! The JSON API under `/api/v1`: the same exams, attempts and results as
//! the pages, for scripts and other clients. Every handler here is thin:
//! starting, loading, saving and grading are the functions the pages use,
//! and what a learner may see of an item is decided by
//! [`ItemView`](crate::web::attempts::view::ItemView) alone, so the API can
//! never show more than the page would.
//!
//! Auth is a personal API token (`Authorization: Bearer …`, made on the
//! account page) or the browser's session cookie. Errors are RFC 9457
//! problem documents ([`ApiError`]), never the HTML error page.
//!
//! The OpenAPI document at `/api/openapi.json` is derived, not written:
//! schemas from the types in [`json`] that serialize the answers, each
//! operation from its handler's `#[utoipa::path]`, and the router is built
//! with `utoipa_axum`'s `routes!`, which adds a handler and its description
//! together.

mod attempts;
mod exams;
mod extract;
mod imports;
mod json;
mod me;
mod problems;
mod results;

pub(crate) use extract::bearer;

use std::sync::LazyLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Router, middleware};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::Problem;
use super::{ApiError, AppError, AppState};

type ApiResult<T> = Result<T, ApiError>;

pub fn router() -> Router<AppState> {
    let (routes, _) = documented().split_for_parts();
    routes
        // Anything else under /api is a JSON 404: a client parsing our
        // answers should never be handed the HTML error page.
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .layer(middleware::map_response(api_headers))
}

/// Every route of the API, each added with its description.
fn documented() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(show_document))
        .routes(routes!(exams::list_exams))
        .routes(routes!(exams::start_attempt))
        .routes(routes!(attempts::list_attempts))
        .routes(routes!(attempts::show_attempt))
        .routes(routes!(attempts::show_item, attempts::save_item))
        .routes(routes!(attempts::submit_attempt))
        .routes(routes!(results::show_result))
        .routes(routes!(me::my_attempts))
        .routes(routes!(me::my_responses))
        .routes(routes!(me::my_progress))
        .routes(routes!(imports::import_questions, imports::list_imports))
        .routes(routes!(imports::export_questions));
    imports::describe_losses(router.get_openapi_mut());
    router
}

/// What the routes do not say about themselves: the API as a whole, its
/// credentials, and the problem responses they share.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "mockexam API",
        version = "1",
        description = "Exams, attempts and results of the logged-in learner, as JSON. Authenticate with a personal \
            API token (made on the account page, `/account`) sent as `Authorization: Bearer <token>`, or, from our \
            own pages, with the session cookie; with the cookie, requests that change anything must also echo the \
            `mockexam_csrf` cookie in the `X-CSRF-Token` header. Every error is an RFC 9457 problem document \
            (`application/problem+json`). Times are RFC 3339. Options are always named by their display position \
            (0-based), which differs per attempt. Instructors and admins can also import question files into an exam and \
            export its questions (tag `imports`)."
    ),
    servers((url = "/")),
    // Reading needs either credential; each route that changes state asks
    // for the CSRF header beside the cookie.
    security(("bearerToken" = []), ("sessionCookie" = [])),
    tags((name = "exams"), (name = "attempts"), (name = "results"), (name = "progress"), (name = "imports"), (name = "meta")),
    components(
        schemas(Problem),
        responses(
            problems::Unauthorized,
            problems::Forbidden,
            problems::ForInstructors,
            problems::NotFound,
            problems::Invalid,
            problems::Conflict,
            problems::Unavailable,
            problems::TooLarge
        )
    ),
    modifiers(&SecuritySchemes)
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some(
            "A personal API token from the account page (64 hex characters). It is shown once when made and can \
             be revoked there. Requests with a token need no CSRF header.",
        ));
        components.add_security_scheme("bearerToken", SecurityScheme::Http(bearer.build()));
        components.add_security_scheme(
            "sessionCookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "mockexam_session",
                "The browser session set by logging in (named `__Host-mockexam_session` when the server runs with \
                 secure cookies).",
            ))),
        );
        components.add_security_scheme(
            "csrfHeader",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "With the session cookie, every request that changes state must echo the value of the \
                 `mockexam_csrf` cookie here.",
            ))),
        );
    }
}

/// The document, serialized once. It is derived from the same
/// [`documented`] routes the server runs, so it cannot drift from them.
static DOCUMENT: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let (_, doc) = documented().split_for_parts();
    serde_json::to_vec(&doc).expect("an OpenAPI document is plain data and always serializes")
});

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    operation_id = "showDocument",
    security(()),
    responses((status = 200, description = "The OpenAPI document.", body = Object, content_type = "application/json"))
)]
async fn show_document() -> Response {
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
        // The document changes only with a release: let clients keep it a while.
        (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
    ];
    (headers, DOCUMENT.as_slice()).into_response()
}

async fn not_found() -> ApiError {
    ApiError(AppError::NotFound)
}

/// Attempt data is personal and changes with every save: no cache may keep
/// it. A 401 names the scheme that would work.
async fn api_headers(mut response: Response) -> Response {
    let unauthorized = response.status() == StatusCode::UNAUTHORIZED;
    let headers = response.headers_mut();
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    if unauthorized {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"mockexam\""));
    }
    response
}
