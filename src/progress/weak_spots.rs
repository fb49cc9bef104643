//! Domains and tags ranked by recent accuracy.

use std::collections::HashMap;

use uuid::Uuid;

use super::History;
use crate::exam::Blueprint;

pub const RULE: &str = "TODO";

/// What a weak spot is about; a drill starts on exactly this.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase", tag = "kind", content = "code")]
pub enum Focus {
    Domain(String),
    Tag(String),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct WeakSpot {
    pub focus: Focus,
    pub correct: u32,
    pub total: u32,
}

impl WeakSpot {
    pub fn percent(&self) -> u32 {
        (100 * self.correct).checked_div(self.total).unwrap_or(0)
    }
}

/// `tags`: each live question's tags.
pub fn weak_spots(_blueprint: &Blueprint, _history: &History, _tags: &HashMap<Uuid, Vec<String>>) -> Vec<WeakSpot> {
    todo!()
}
