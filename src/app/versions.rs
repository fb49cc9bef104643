//! Question versions never change once stored, so each is read and its
//! Markdown rendered once per process, then served from memory.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use crate::content::markdown::{render, render_inline};
use crate::exam::{Body, VersionContent};
use crate::store;

/// A version with every piece of Markdown already rendered and sanitized.
#[derive(Debug)]
pub struct RenderedVersion {
    pub content: VersionContent,
    pub stem: String,
    pub explanation: String,
    pub case_title: Option<String>,
    pub case_scenario: Option<String>,
    /// Options, steps, or matching answers, in file order.
    pub choices: Vec<String>,
    /// Their rationales (matching: one per pair, then per extra answer).
    pub rationales: Vec<String>,
    /// Matching prompts, in file order.
    pub prompts: Vec<String>,
}

impl RenderedVersion {
    pub fn new(content: VersionContent) -> Self {
        let q = &content.question;
        let inline_all = |texts: Vec<&str>| texts.into_iter().map(render_inline).collect::<Vec<_>>();
        let (choices, rationales, prompts) = match &q.body {
            Body::Single { options, .. } | Body::Multiple { options, .. } => (
                inline_all(options.iter().map(|o| o.text.as_str()).collect()),
                inline_all(options.iter().map(|o| o.rationale.as_str()).collect()),
                Vec::new(),
            ),
            Body::Ordering { steps } => (
                inline_all(steps.iter().map(|s| s.text.as_str()).collect()),
                inline_all(steps.iter().map(|s| s.rationale.as_str()).collect()),
                Vec::new(),
            ),
            Body::Matching { pairs, extra_answers } => (
                inline_all(q.body.answers()),
                inline_all(
                    pairs
                        .iter()
                        .map(|p| p.rationale.as_str())
                        .chain(extra_answers.iter().map(|e| e.rationale.as_str()))
                        .collect(),
                ),
                inline_all(pairs.iter().map(|p| p.prompt.as_str()).collect()),
            ),
        };
        RenderedVersion {
            stem: render(&q.stem),
            explanation: render(&q.explanation),
            case_title: content.case.as_ref().map(|c| c.title.clone()),
            case_scenario: content.case.as_ref().map(|c| render(&c.scenario)),
            choices,
            rationales,
            prompts,
            content,
        }
    }
}

#[derive(Default)]
pub struct VersionCache {
    map: RwLock<HashMap<Uuid, Arc<RenderedVersion>>>,
}

impl VersionCache {
    /// The versions with these ids, reading the missing ones in one query.
    pub async fn get_many(
        &self,
        db: impl PgExecutor<'_>,
        ids: &[Uuid],
    ) -> sqlx::Result<HashMap<Uuid, Arc<RenderedVersion>>> {
        let mut found = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        {
            let map = self.map.read().expect("cache lock poisoned");
            for id in ids {
                match map.get(id) {
                    Some(v) => {
                        found.insert(*id, v.clone());
                    }
                    None => missing.push(*id),
                }
            }
        }
        if !missing.is_empty() {
            let loaded = store::exams::versions(db, &missing).await?;
            let mut map = self.map.write().expect("cache lock poisoned");
            for (id, content) in loaded {
                let v = map.entry(id).or_insert_with(|| Arc::new(RenderedVersion::new(content))).clone();
                found.insert(id, v);
            }
        }
        Ok(found)
    }

    pub async fn get(&self, db: &PgPool, id: Uuid) -> sqlx::Result<Option<Arc<RenderedVersion>>> {
        Ok(self.get_many(db, &[id]).await?.remove(&id))
    }
}
