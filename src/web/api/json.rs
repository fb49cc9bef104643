//! The JSON the API sends, and the schemas of the OpenAPI document, from
//! the same types: a field added here is in `/api/openapi.json` with no
//! other edit.
//!
//! How serde writes a field decides how it is described:
//! - an `Option` that is always written (null or a value) is
//!   `#[schema(required = true)]`: present, nullable;
//! - an `Option` left out when empty (`skip_serializing_if`) is
//!   `#[schema(nullable = false)]`: optional, never null;
//! - times are written as RFC 3339 strings by `serialize_with`, which is
//!   what utoipa's `time` feature describes an `OffsetDateTime` as
//!   (`string`, `date-time`).
//!
//! The schema names (`as = …`) are the ones clients read in the document.

use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::exam::kind::Kind;
use crate::exam::{Blueprint, FinishReason, Mode, Scale};
use crate::progress::Confidence;
use crate::progress::confidence::ConfidenceGroups;
use crate::store::attempts::Attempt;
use crate::web::attempts::view::ItemView;

mod rfc3339 {
    pub use time::serde::rfc3339::option::serialize as option;
    pub use time::serde::rfc3339::serialize as required;
}

#[derive(Serialize, ToSchema)]
pub struct ExamList {
    pub exams: Vec<ExamJson>,
}

/// An exam and its blueprint.
#[derive(Serialize, ToSchema)]
#[schema(as = Exam)]
pub struct ExamJson {
    #[serde(flatten)]
    pub blueprint: Blueprint,
    /// Where to POST a `StartRequest`.
    pub attempts_url: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = StartedAttempt)]
pub struct StartedJson {
    pub id: Uuid,
    /// The exam's slug.
    pub exam: String,
    pub mode: Mode,
    /// How many items were drawn.
    pub items: usize,
    #[serde(serialize_with = "rfc3339::option")]
    #[schema(required = true)]
    pub deadline: Option<OffsetDateTime>,
    pub url: String,
    pub first_item_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct AttemptList {
    pub attempts: Vec<AttemptSummaryJson>,
}

/// What every view of an attempt starts with.
#[derive(Serialize, ToSchema)]
pub struct AttemptHead {
    pub id: Uuid,
    /// The exam's slug.
    pub exam: String,
    pub exam_title: String,
    pub mode: Mode,
    #[serde(serialize_with = "rfc3339::required")]
    pub started_at: OffsetDateTime,
    #[serde(serialize_with = "rfc3339::option")]
    #[schema(required = true)]
    pub deadline: Option<OffsetDateTime>,
    pub finished: bool,
    #[serde(serialize_with = "rfc3339::option")]
    #[schema(required = true)]
    pub finished_at: Option<OffsetDateTime>,
}

impl AttemptHead {
    pub fn of(attempt: &Attempt) -> Self {
        AttemptHead {
            id: attempt.id,
            exam: attempt.blueprint.slug.clone(),
            exam_title: attempt.blueprint.title.clone(),
            mode: attempt.mode,
            started_at: attempt.started_at,
            deadline: attempt.deadline,
            finished: attempt.is_finished(),
            finished_at: attempt.finished_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = AttemptSummary)]
pub struct AttemptSummaryJson {
    #[serde(flatten)]
    pub head: AttemptHead,
    /// Once finished.
    #[schema(required = true)]
    pub scaled: Option<u32>,
    /// Once finished.
    #[schema(required = true)]
    pub passed: Option<bool>,
    pub answered: i64,
    pub items: i64,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Attempt)]
pub struct AttemptJson {
    #[serde(flatten)]
    pub head: AttemptHead,
    /// Whole seconds, rounded up; null when untimed or finished. The
    /// server's clock decides.
    #[schema(required = true)]
    pub time_left_seconds: Option<i64>,
    /// The same as the page's countdown shows it, such as `129:58`.
    #[schema(required = true)]
    pub time_left: Option<String>,
    #[schema(required = true)]
    pub finished_reason: Option<FinishReason>,
    pub answered: usize,
    pub flagged: usize,
    pub items: Vec<ItemStatusJson>,
    #[schema(required = true)]
    pub result_url: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ItemStatus)]
pub struct ItemStatusJson {
    pub position: i32,
    pub answered: bool,
    pub flagged: bool,
    pub url: String,
}

/// The case study an item belongs to.
#[derive(Serialize, ToSchema)]
#[schema(as = Case)]
pub struct CaseJson {
    pub title: String,
    #[schema(required = true)]
    pub scenario_html: Option<String>,
}

/// One item as the learner may see it. The properties marked "feedback
/// only" are left out entirely, not sent empty, until the mode shows
/// feedback: in a mock exam once it is finished, in practice once the item
/// is checked.
#[derive(Serialize, ToSchema)]
#[schema(as = Item)]
pub struct ItemJson {
    pub position: i32,
    pub kind: Kind,
    /// Absent while a mock exam runs, as on the real exam.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub domain: Option<String>,
    pub stem_html: String,
    #[schema(required = true)]
    pub case: Option<CaseJson>,
    /// Multiple: how many options to choose.
    #[schema(required = true)]
    pub select_count: Option<usize>,
    pub choices: Vec<ChoiceJson>,
    /// Matching only: the prompts, each with the answer chosen for it.
    pub prompts: Vec<PromptJson>,
    pub answered: bool,
    pub flagged: bool,
    /// Whether the response may still change.
    pub editable: bool,
    /// The `seq` to send with the next save of this item.
    pub seq: i64,
    /// Whether this item takes a confidence mark: always in practice,
    /// drill and review; in a mock exam when it was started with
    /// `confidence: true`.
    pub confidence_offered: bool,
    /// How sure the learner said they were; null when not marked.
    #[schema(required = true)]
    pub confidence: Option<Confidence>,
    /// Feedback only: false for an unscored item.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub scored: Option<bool>,
    /// Feedback only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub correct: Option<bool>,
    /// Feedback only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub explanation_html: Option<String>,
    /// Feedback only, ordering: the steps in the right order, each with why.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub key_order_html: Option<Vec<String>>,
}

/// An option (single, multiple), a step (ordering) or an answer to pick
/// (matching), in display order.
#[derive(Serialize, ToSchema)]
#[schema(as = Choice)]
pub struct ChoiceJson {
    /// The display position (0-based), as saves name it.
    pub position: usize,
    pub letter: char,
    /// Sanitized HTML.
    pub html: String,
    pub selected: bool,
    /// Struck through by the learner.
    pub struck: bool,
    /// Ordering: the place (0-based, as saves send it) given to this step;
    /// absent when not placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub rank: Option<usize>,
    /// Feedback only: part of the key (single and multiple).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub keyed: Option<bool>,
    /// Feedback only: why this option is right or wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub rationale_html: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Prompt)]
pub struct PromptJson {
    pub index: usize,
    pub html: String,
    /// The display position of the answer chosen for it.
    #[schema(required = true)]
    pub chosen: Option<usize>,
    /// Feedback only: the right answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub answer_html: Option<String>,
    /// Feedback only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub rationale_html: Option<String>,
    /// Feedback only: whether the chosen answer is right.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub right: Option<bool>,
}

impl ItemJson {
    /// Copies what the view holds: the view has already dropped whatever
    /// this learner may not see yet.
    pub fn new(view: ItemView, next_seq: i64) -> Self {
        let feedback = view.visibility.feedback;
        // Only single and multiple have keyed options; the other kinds show
        // their key through the prompts or the right order.
        let keyed_kind = view.has_keyed_options();
        ItemJson {
            position: view.position,
            kind: view.kind,
            domain: view.domain,
            stem_html: view.stem,
            case: view.case_title.map(|title| CaseJson { title, scenario_html: view.case_scenario }),
            select_count: view.select_count,
            choices: view
                .choices
                .into_iter()
                .map(|c| ChoiceJson {
                    position: c.pos,
                    letter: c.letter,
                    html: c.html,
                    selected: c.selected,
                    struck: c.struck,
                    rank: c.rank.map(|r| r - 1),
                    keyed: (feedback && keyed_kind).then_some(c.keyed),
                    rationale_html: c.rationale,
                })
                .collect(),
            prompts: view
                .prompts
                .into_iter()
                .map(|p| PromptJson {
                    index: p.index,
                    html: p.html,
                    chosen: p.chosen,
                    answer_html: p.answer,
                    rationale_html: p.rationale,
                    right: feedback.then_some(p.right),
                })
                .collect(),
            answered: view.answered,
            flagged: view.flagged,
            editable: view.visibility.editable,
            seq: next_seq,
            confidence_offered: view.offers_confidence,
            confidence: view.confidence,
            scored: feedback.then_some(view.scored),
            correct: view.correct,
            explanation_html: view.explanation,
            key_order_html: (feedback && !view.key_order.is_empty()).then_some(view.key_order),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = Result)]
pub struct ResultJson {
    #[serde(flatten)]
    pub head: AttemptHead,
    #[schema(required = true)]
    pub finished_reason: Option<FinishReason>,
    /// The estimated score on the exam's scale.
    pub scaled: u32,
    pub passed: bool,
    pub scale: Scale,
    /// Σ(weight × domain percent) ÷ Σ(weight) over the domains drawn.
    pub weighted_percent: f64,
    pub correct: u32,
    /// Scored items.
    pub total: u32,
    pub domains: Vec<DomainJson>,
    pub time_used_seconds: i64,
    pub real_conditions: bool,
    /// Every item counted by right or wrong and how sure the learner said
    /// they were (`unmarked`: no mark given).
    pub confidence_groups: ConfidenceGroups,
    /// Every item with its key, explanation and rationales.
    pub items: Vec<ItemJson>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = DomainResult)]
pub struct DomainJson {
    pub code: String,
    pub name: String,
    pub weight: u32,
    pub correct: u32,
    /// Scored items of this domain; 0 if none were drawn.
    pub total: u32,
    pub percent: f64,
}
