//! Form handling shared by every area: a `Form` extractor whose rejection
//! is our own error page, and per-field error messages for re-rendering.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use super::AppError;
use super::limit::{self, BodyLimit};

/// axum-extra's `Form` (fields may repeat: `domains=D1&domains=D2` reads
/// into a `Vec`), but a malformed body gets our error page, and one over
/// the limit our 413.
pub struct AppForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let limit = req.extensions().get::<BodyLimit>().copied();
        match axum_extra::extract::Form::<T>::from_request(req, state).await {
            Ok(axum_extra::extract::Form(value)) => Ok(AppForm(value)),
            Err(rejection) => Err(limit::refused(rejection.status(), limit, || {
                AppError::Invalid(format!(
                    "The form could not be read ({}). Go back and try again.",
                    rejection.body_text()
                ))
            })),
        }
    }
}

/// The raw body, for handlers that read it themselves; one over the limit
/// gets our 413, one that broke off our 422.
pub struct AppBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for AppBytes {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let limit = req.extensions().get::<BodyLimit>().copied();
        match Bytes::from_request(req, state).await {
            Ok(bytes) => Ok(AppBytes(bytes)),
            Err(rejection) => Err(limit::refused(rejection.status(), limit, || {
                AppError::Invalid("The request arrived incomplete; nothing was saved.".into())
            })),
        }
    }
}

/// Messages keyed by field name, shown next to each field.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn all(&self) -> &[(&'static str, String)] {
        &self.0
    }
}
