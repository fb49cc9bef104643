//! What an API handler takes from a request: the caller, a JSON body and
//! path parameters, each refused with a problem document rather than
//! axum's plain-text rejection.

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use serde::de::DeserializeOwned;

use crate::account::Role;
use crate::app::accounts;
use crate::store::users::User;
use crate::web::limit::{self, BodyLimit};
use crate::web::session::MaybeUser;
use crate::web::{ApiError, AppError, AppState};

/// Who is calling: the owner of a personal API token, or the user of the
/// browser session.
///
/// A request that sends `Authorization` is judged by its token alone, even
/// if it also carries a session cookie: the CSRF layer lets an API request
/// with a bearer token through without the double-submit token (and drops
/// its cookies), which is only safe if cookies then count for nothing.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthorized = || ApiError(AppError::Unauthorized { next: String::new() });
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = bearer(value).ok_or_else(unauthorized)?;
            let user = accounts::token_user(state, token).await?;
            return user.map(ApiUser).ok_or_else(unauthorized);
        }
        let MaybeUser(session) = MaybeUser::from_request_parts(parts, state).await?;
        session.map(|s| ApiUser(s.user)).ok_or_else(unauthorized)
    }
}

/// An instructor or admin calling: what may import and export questions.
/// Anyone else with good credentials is refused with 403, not 401: logging
/// in again would not help.
pub struct ApiInstructor(pub User);

impl FromRequestParts<AppState> for ApiInstructor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ApiUser(user) = ApiUser::from_request_parts(parts, state).await?;
        if user.role < Role::Instructor {
            let message = "Importing and exporting questions is for instructors and admins.";
            return Err(ApiError(AppError::Forbidden(message.into())));
        }
        Ok(ApiInstructor(user))
    }
}

/// The token of an `Authorization: Bearer <token>` header (the scheme is
/// case-insensitive, RFC 9110).
pub(crate) fn bearer(value: &HeaderValue) -> Option<&str> {
    let (scheme, token) = value.to_str().ok()?.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Like `axum::Json`, but a body that is not the JSON we take gets a
/// problem document (422, or 413 when over the limit) instead of axum's
/// plain-text rejection.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let limit = req.extensions().get::<BodyLimit>().copied();
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError(limit::refused(rejection.status(), limit, || {
                AppError::Invalid(format!(
                    "The request body could not be read: {}. See /api/openapi.json for what this endpoint takes.",
                    rejection.body_text()
                ))
            }))),
        }
    }
}

/// Path parameters; one that cannot be an id names nothing there is, so it
/// is a 404 like any other unknown address.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(ApiError(AppError::NotFound)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bearer_authorization_names_a_token() {
        let value = |s: &'static str| HeaderValue::from_static(s);
        assert_eq!(bearer(&value("Bearer abc")), Some("abc"));
        assert_eq!(bearer(&value("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(&value("Basic abc")), None);
        assert_eq!(bearer(&value("Bearer ")), None);
        assert_eq!(bearer(&value("Bearer")), None);
    }
}
