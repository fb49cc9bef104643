//! Exams as learners find them (the list, and what one exam's start page
//! offers) and as their editors do: who may change an exam.

use uuid::Uuid;

use super::{App, Error, Result};
use crate::account::Role;
use crate::store::attempts::{self, Summary};
use crate::store::exams::{self, Exam};
use crate::store::users::User;

/// Who changes exams: an account, or the command line. An instructor edits
/// the exams they own, an admin every exam, and the command line (the
/// operator, who holds the database anyway) every exam too.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub admin: bool,
    /// An email, or "command line": kept in records as words.
    pub name: String,
}

impl Actor {
    pub fn account(user: &User) -> Actor {
        Actor { user_id: Some(user.id.0), admin: user.role == Role::Admin, name: user.email.clone() }
    }

    pub fn command_line() -> Actor {
        Actor { user_id: None, admin: true, name: "command line".into() }
    }

    pub fn may_edit(&self, exam: &Exam) -> bool {
        self.admin || (self.user_id.is_some() && exam.owner_id == self.user_id)
    }
}

pub async fn list(app: &App) -> Result<Vec<Exam>> {
    Ok(exams::list(&app.db).await?)
}

/// The exams `actor` may edit: an instructor's own, every exam for an admin.
pub async fn editable_list(app: &App, actor: &Actor) -> Result<Vec<Exam>> {
    Ok(exams::list(&app.db).await?.into_iter().filter(|e| actor.may_edit(e)).collect())
}

/// Exam `slug` if `actor` may edit it; another instructor's exam is
/// forbidden, with the reason.
pub async fn editable(app: &App, actor: &Actor, slug: &str) -> Result<Exam> {
    let exam = by_slug(app, slug).await?;
    if !actor.may_edit(&exam) {
        return Err(Error::Forbidden(
            "This exam belongs to another instructor; only they and the admins may change it.",
        ));
    }
    Ok(exam)
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
