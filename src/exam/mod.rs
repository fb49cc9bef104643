//! The exam domain, pure: no I/O, no clock, no axum or sqlx.
//!
//! What a question is and how a response is graded lives in [`kind`]; how an
//! attempt flows and what the learner may see lives in [`mode`]. Scoring and
//! the blueprint draw are plain functions on plain data.

pub mod blueprint;
pub mod credit;
pub mod display;
pub mod draw;
pub mod extra_time;
pub mod kind;
pub mod mode;
pub mod scoring;

use serde::{Deserialize, Serialize};

pub use extra_time::ExtraTime;
pub use kind::{Body, Choice, Pair, Response};
pub use mode::{FinishReason, Mode, Visibility};

/// A weighted part of an exam, such as `D1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Domain {
    pub code: String,
    pub name: String,
    pub weight: u32,
}

/// The exam's score scale: scaled scores run from `min` to `max`, and a
/// scaled score at or above `pass` passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scale {
    pub min: u32,
    pub max: u32,
    pub pass: u32,
}

/// An exam blueprint: what a full mock looks like and how it is scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Blueprint {
    pub slug: String,
    pub title: String,
    pub domains: Vec<Domain>,
    pub question_count: u32,
    pub time_limit_minutes: u32,
    pub scale: Scale,
    /// Items under "real exam conditions" that look like any other and are
    /// not counted.
    pub unscored_count: u32,
    /// What the exam is, for its start page. Attempts made before blueprints
    /// had it read as empty (so do the fields below: as they were then).
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub credit: CreditRule,
    /// Whether practice shows the explanation with the feedback.
    #[serde(default = "shown")]
    pub explanations_in_practice: bool,
}

fn shown() -> bool {
    true
}

/// How a multiple-response item is credited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CreditRule {
    /// Every key chosen and nothing else, or no credit: as on the real exam.
    #[default]
    AllOrNothing,
    /// Part of the point for a partly right answer: see [`credit`].
    Partial,
}

impl Blueprint {
    pub fn domain(&self, code: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.code == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "easy" => Some(Self::Easy),
            "medium" => Some(Self::Medium),
            "hard" => Some(Self::Hard),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Easy => "easy",
            Self::Medium => "medium",
            Self::Hard => "hard",
        }
    }
}

/// Everything a question version holds, in the exam's own words. The
/// rendered HTML is kept with the version so a review years later shows
/// exactly what the learner saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The id inside its exam, e.g. `d3-async-inference-timeout`.
    pub id: String,
    pub domain: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub references: Vec<String>,
    /// The case study this question belongs to, if any.
    pub case: Option<String>,
    pub stem: String,
    pub explanation: String,
    pub body: Body,
}

/// A scenario shared by two or more questions, drawn and shown together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStudy {
    pub id: String,
    pub title: String,
    pub scenario: String,
}

/// What one question version holds: the question and, for a case-study
/// question, the scenario as it stood. Never changes once stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionContent {
    pub question: Question,
    pub case: Option<CaseStudy>,
}
