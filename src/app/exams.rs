//! Exams as learners find them: the list, and what one exam's start page
//! offers.

use uuid::Uuid;

use super::{App, Error, Result};
use crate::store::attempts::{self, Summary};
use crate::store::exams::{self, Exam};

pub async fn list(app: &App) -> Result<Vec<Exam>> {
    Ok(exams::list(&app.db).await?)
}

pub async fn by_slug(app: &App, slug: &str) -> Result<Exam> {
    exams::by_slug(&app.db, slug).await?.ok_or(Error::NotFound)
}

/// What the start page of an exam shows a learner.
pub struct Overview {
    pub exam: Exam,
    /// Every tag with its number of questions, for drills.
    pub tags: Vec<(String, i64)>,
    /// This learner's attempts of this exam that are still running.
    pub in_progress: Vec<Summary>,
}

pub async fn overview(app: &App, user: Uuid, slug: &str) -> Result<Overview> {
    let exam = by_slug(app, slug).await?;
    let tags = exams::tags(&app.db, exam.id).await?;
    let in_progress = attempts::list(&app.db, user, 50)
        .await?
        .into_iter()
        .filter(|a| a.exam_slug == slug && a.finished_at.is_none())
        .collect();
    Ok(Overview { exam, tags, in_progress })
}
