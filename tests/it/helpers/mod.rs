//! What the integration tests share: the app on a fresh database (`app`),
//! HTTP clients of it (`http`), and the exam content behind an attempt
//! (`content`). Re-exported here, so a test names `crate::helpers::X`.

mod app;
mod content;
mod http;

pub use app::TestApp;
pub use content::{first_item_touched, item_body, key_of, secrets_of, wrong_answer_of};
pub use http::{ApiClient, Browser, encode, json_of, location};
