//! Exams as learners find them (the published ones, and what one exam's
//! start page offers) and as their editors do: who may change an exam,
//! creating and editing one, and publishing it.

use uuid::Uuid;

use super::{App, Error, Result};
use crate::account::Role;
use crate::exam::Blueprint;
use crate::exam::blueprint::{self, DrawPreview, Problem};
use crate::store::attempts::{self, Summary};
use crate::store::exams::{self, Exam, Topic, WriteError};
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

/// Whether `user` may see `exam`: learners see published exams only; a
/// draft is seen by its editors, so they can try it before learners do.
pub fn may_see(user: &User, exam: &Exam) -> bool {
    exam.published || Actor::account(user).may_edit(exam)
}

/// The exams `user` may see and take.
pub async fn visible(app: &App, user: &User) -> Result<Vec<Exam>> {
    Ok(exams::list(&app.db).await?.into_iter().filter(|e| may_see(user, e)).collect())
}

/// Exam `slug` if `user` may see it; a draft is not found by anyone else,
/// as if it did not exist yet.
pub async fn visible_by_slug(app: &App, user: &User, slug: &str) -> Result<Exam> {
    let exam = by_slug(app, slug).await?;
    if may_see(user, &exam) { Ok(exam) } else { Err(Error::NotFound) }
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
    /// Every tag with its number of questions, for drills, by domain.
    pub topics: Vec<TopicGroup>,
    /// This learner's attempts of this exam that are still running.
    pub in_progress: Vec<Summary>,
}

pub async fn overview(app: &App, user: &User, slug: &str) -> Result<Overview> {
    let exam = visible_by_slug(app, user, slug).await?;
    let topics = group_topics(&exam.blueprint, exams::tags(&app.db, exam.id).await?);
    let in_progress = attempts::list(&app.db, user.id.0, 50)
        .await?
        .into_iter()
        .filter(|a| a.exam_slug == slug && a.finished_at.is_none())
        .collect();
    Ok(Overview { exam, topics, in_progress })
}

/// The drill picker's topics of one domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicGroup {
    /// "D1 Data Preparation for Machine Learning".
    pub label: String,
    pub topics: Vec<Topic>,
}

/// Topics under their domain, in the blueprint's order of domains, each
/// keeping the order it came in; then "Across domains" for those declared
/// without one, and "Other topics" for a domain the blueprint no longer
/// has. A group without topics is left out.
pub fn group_topics(blueprint: &Blueprint, topics: Vec<Topic>) -> Vec<TopicGroup> {
    let group = |label: String| TopicGroup { label, topics: Vec::new() };
    let mut groups: Vec<TopicGroup> = blueprint
        .domains
        .iter()
        .map(|d| group(format!("{} {}", d.code, d.name)))
        .chain([group("Across domains".into()), group("Other topics".into())])
        .collect();
    let (across, other) = (groups.len() - 2, groups.len() - 1);
    for topic in topics {
        let i = match topic.domain.as_deref() {
            None => across,
            Some(code) => blueprint.domains.iter().position(|d| d.code == code).unwrap_or(other),
        };
        groups[i].topics.push(topic);
    }
    groups.retain(|g| !g.topics.is_empty());
    groups
}

/// What saving a blueprint came to: saved under its slug, or every problem
/// with it, none saved.
#[derive(Debug)]
pub enum SaveOutcome {
    Saved(String),
    Invalid(Vec<Problem>),
}

fn slug_taken(slug: &str) -> SaveOutcome {
    SaveOutcome::Invalid(vec![Problem {
        field: "slug".into(),
        message: format!("{slug} is taken by another exam; choose another slug."),
    }])
}

/// Creates an exam from `blueprint`, owned by `actor`, as a draft.
pub async fn create(app: &App, actor: &Actor, blueprint: &Blueprint) -> Result<SaveOutcome> {
    let problems = blueprint::check(blueprint);
    if !problems.is_empty() {
        return Ok(SaveOutcome::Invalid(problems));
    }
    match exams::insert(&app.db, blueprint, actor.user_id, app.clock.now()).await {
        Ok(_) => Ok(SaveOutcome::Saved(blueprint.slug.clone())),
        Err(WriteError::SlugTaken) => Ok(slug_taken(&blueprint.slug)),
        Err(WriteError::Db(e)) => Err(e.into()),
    }
}

/// Replaces the blueprint of exam `slug`. Attempts keep the copy they
/// started with, so neither finished nor running ones change.
pub async fn update(app: &App, actor: &Actor, slug: &str, blueprint: &Blueprint) -> Result<SaveOutcome> {
    let exam = editable(app, actor, slug).await?;
    let mut problems = blueprint::check(blueprint);
    if from_content(&exam) && blueprint.slug != exam.blueprint.slug {
        problems.retain(|p| p.field != "slug");
        problems.insert(
            0,
            Problem {
                field: "slug".into(),
                message: format!(
                    "This exam was loaded from content/, whose exam.toml names it {slug}, so its slug stays \
                     {slug}: under another, the next start would load it again as a second exam."
                ),
            },
        );
    }
    if !problems.is_empty() {
        return Ok(SaveOutcome::Invalid(problems));
    }
    match exams::update(&app.db, exam.id, blueprint, app.clock.now()).await {
        Ok(()) => Ok(SaveOutcome::Saved(blueprint.slug.clone())),
        Err(WriteError::SlugTaken) => Ok(slug_taken(&blueprint.slug)),
        Err(WriteError::Db(e)) => Err(e.into()),
    }
}

/// Whether the exam was made from `content/`: those have no owner.
pub fn from_content(exam: &Exam) -> bool {
    exam.owner_id.is_none()
}

/// What a full mock of `exam` would draw from its bank as it stands.
pub async fn draw_preview(app: &App, exam: &Exam) -> Result<DrawPreview> {
    let in_bank = exams::live_counts(&app.db, exam.id).await?;
    Ok(blueprint::preview_draw(&exam.blueprint, &in_bank))
}

#[derive(Debug, PartialEq, Eq)]
pub enum PublishOutcome {
    Published,
    /// The bank holds `have` live questions of the exam's domains; a full
    /// mock draws `need`.
    TooFewQuestions {
        have: u32,
        need: u32,
    },
}

/// Lets learners see exam `slug`, once its bank can fill a full mock: a
/// learner pressing Start must get the questions the exam promises.
pub async fn publish(app: &App, actor: &Actor, slug: &str) -> Result<PublishOutcome> {
    let exam = editable(app, actor, slug).await?;
    let preview = draw_preview(app, &exam).await?;
    let need = exam.blueprint.question_count;
    if !preview.fills_a_mock(need) {
        let have = preview.rows.iter().map(|r| r.in_bank).sum();
        return Ok(PublishOutcome::TooFewQuestions { have, need });
    }
    exams::set_published(&app.db, exam.id, true).await?;
    Ok(PublishOutcome::Published)
}

/// Makes exam `slug` a draft again: learners no longer see it or start it;
/// their attempts and results stay theirs.
pub async fn unpublish(app: &App, actor: &Actor, slug: &str) -> Result<()> {
    let exam = editable(app, actor, slug).await?;
    exams::set_published(&app.db, exam.id, false).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(tag: &str, domain: Option<&str>) -> Topic {
        Topic { tag: tag.into(), name: Some(tag.to_uppercase()), domain: domain.map(Into::into), questions: 3 }
    }

    #[test]
    fn topics_sit_under_their_domain_in_blueprint_order_keeping_their_own_order() {
        let blueprint = crate::exam::scoring::tests::mla();
        let topics = vec![
            topic("zeta", Some("D3")),
            topic("gone", Some("D9")),
            topic("trade-off", None),
            topic("alpha", Some("D1")),
            topic("beta", Some("D3")),
        ];
        let groups = group_topics(&blueprint, topics);
        let shown: Vec<(&str, Vec<&str>)> =
            groups.iter().map(|g| (g.label.as_str(), g.topics.iter().map(|t| t.tag.as_str()).collect())).collect();
        assert_eq!(
            shown,
            vec![
                ("D1 D1", vec!["alpha"]),
                ("D3 D3", vec!["zeta", "beta"]),
                ("Across domains", vec!["trade-off"]),
                ("Other topics", vec!["gone"]),
            ]
        );
        assert!(group_topics(&blueprint, Vec::new()).is_empty());
    }
}
