//! Assignments: an instructor asks one of their groups to take an exam in
//! a mode ("full mock by Friday", "a drill of D3, 20 questions"); each
//! member's status comes from their attempts by the rule of "done" in
//! `crate::assignments`. Only the group's instructor (or an admin) sees or
//! changes a group's assignments; anyone else's group is not found.

use std::collections::HashMap;

use uuid::Uuid;

use super::exams::Actor;
use super::groups::managed;
use super::{App, Error, Result};
use crate::assignments::{self as rule, Status, Tally, Work};
use crate::exam::Mode;
use crate::store::assignments::{self as store, Assignment, NewAssignment};
use crate::store::exams::{self, Exam};
use crate::store::groups::{self as groups_store, Group, Member};
use crate::store::users::User;

/// The exams an assignment may name: the published ones, which every
/// learner may start. A draft is not assignable: its learners could not
/// open it.
pub async fn assignable_exams(app: &App) -> Result<Vec<Exam>> {
    Ok(exams::list(&app.db).await?.into_iter().filter(|e| e.published).collect())
}

/// The assign form as typed.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub exam: String,
    pub mode: String,
    /// Drill: the domain codes ticked.
    pub domains: Vec<String>,
    /// Drill: how many questions.
    pub count: String,
    pub due_date: String,
    pub due_time: String,
    pub note: String,
}

pub enum CreateOutcome {
    Created(Uuid),
    /// Each problem with the field it belongs to.
    Invalid(Vec<(&'static str, String)>),
}

/// Reads a draft into the work and its exam, or says what is wrong where.
async fn check(app: &App, draft: &Draft) -> Result<Result<(Exam, Work), Vec<(&'static str, String)>>> {
    let mut problems = Vec::new();
    let exam = assignable_exams(app).await?.into_iter().find(|e| e.blueprint.slug == draft.exam);
    let Some(exam) = exam else {
        problems.push(("exam", "Choose one of the published exams.".to_string()));
        return Ok(Err(problems));
    };
    let work = match Mode::parse(&draft.mode) {
        Some(Mode::Exam) => Some(Work::Mock),
        Some(Mode::Practice) => Some(Work::PracticeMock),
        Some(Mode::Drill) => {
            let domains: Vec<String> = draft.domains.iter().filter(|d| !d.is_empty()).cloned().collect();
            // A drill works on one domain, as the start page's drill does:
            // the learner's Start button must start exactly this drill.
            match domains.as_slice() {
                [one] if exam.blueprint.domain(one).is_some() => {
                    let live = exams::live_counts(&app.db, exam.id).await?;
                    let available = live.iter().filter(|(d, _)| d == one).map(|(_, n)| n).sum();
                    match rule::parse_count(&draft.count, available) {
                        Ok(count) => Some(Work::Drill { domains, count }),
                        Err(message) => {
                            problems.push(("count", message));
                            None
                        }
                    }
                }
                [one] => {
                    problems.push((
                        "domains",
                        format!("{} has no domain {one}: choose one of its domains.", exam.blueprint.title),
                    ));
                    None
                }
                _ => {
                    problems.push(("domains", "Choose the one domain the drill works on.".to_string()));
                    None
                }
            }
        }
        _ => {
            problems.push(("mode", "Choose what to take: a full mock, a practice mock or a drill.".to_string()));
            None
        }
    };
    if let Err(message) = rule::parse_due(&draft.due_date, &draft.due_time, app.clock.now()) {
        problems.push(("due_date", message));
    }
    if let Err(message) = rule::parse_note(&draft.note) {
        problems.push(("note", message));
    }
    match work {
        Some(work) if problems.is_empty() => Ok(Ok((exam, work))),
        _ => Ok(Err(problems)),
    }
}

/// Assigns the draft's work to group `group_id`, managed by `actor`.
pub async fn create(app: &App, actor: &Actor, group_id: Uuid, draft: &Draft) -> Result<CreateOutcome> {
    let group = managed(app, actor, group_id).await?;
    let (exam, work) = match check(app, draft).await? {
        Ok(checked) => checked,
        Err(problems) => return Ok(CreateOutcome::Invalid(problems)),
    };
    let now = app.clock.now();
    // Both were read above; reading them again cannot fail.
    let due_at = rule::parse_due(&draft.due_date, &draft.due_time, now).unwrap_or(None);
    let note = rule::parse_note(&draft.note).unwrap_or_default();
    let new = NewAssignment {
        group_id: group.id,
        exam_id: exam.id,
        work: &work,
        due_at,
        note: &note,
        created_by: actor.user_id,
        now,
    };
    Ok(CreateOutcome::Created(store::insert(&app.db, &new).await?))
}

/// The status of each of `users` on `assignment`.
async fn statuses(app: &App, assignment: &Assignment, users: &[Uuid]) -> Result<HashMap<Uuid, Status>> {
    let attempts = store::attempts_since(&app.db, users, assignment.exam_id, assignment.created_at).await?;
    let mut by_user: HashMap<Uuid, Vec<rule::AttemptFacts>> = HashMap::new();
    for (user, facts) in attempts {
        by_user.entry(user).or_default().push(facts);
    }
    let now = app.clock.now();
    Ok(users
        .iter()
        .map(|u| {
            let theirs = by_user.get(u).map_or(&[][..], Vec::as_slice);
            let status = rule::status(
                &assignment.work,
                assignment.full_count,
                assignment.created_at,
                assignment.due_at,
                now,
                theirs,
            );
            (*u, status)
        })
        .collect())
}

/// Group `group_id`'s assignments, each with how its members stand.
pub async fn of_group(app: &App, actor: &Actor, group_id: Uuid) -> Result<Vec<(Assignment, Tally)>> {
    let group = managed(app, actor, group_id).await?;
    let members: Vec<Uuid> = groups_store::members(&app.db, group.id).await?.iter().map(|m| m.user_id).collect();
    let mut listed = Vec::new();
    for a in store::of_group(&app.db, group.id).await? {
        let tally = Tally::of(statuses(app, &a, &members).await?.values());
        listed.push((a, tally));
    }
    Ok(listed)
}

/// Assignment `id` of group `group_id` if `actor` manages the group.
async fn managed_assignment(app: &App, actor: &Actor, group_id: Uuid, id: Uuid) -> Result<(Group, Assignment)> {
    let group = managed(app, actor, group_id).await?;
    match store::find(&app.db, id).await? {
        Some(a) if a.group_id == group.id => Ok((group, a)),
        _ => Err(Error::NotFound),
    }
}

/// Assignment `id` with every member's status, members by name.
pub async fn show(
    app: &App,
    actor: &Actor,
    group_id: Uuid,
    id: Uuid,
) -> Result<(Group, Assignment, Vec<(Member, Status)>)> {
    let (group, assignment) = managed_assignment(app, actor, group_id, id).await?;
    let members = groups_store::members(&app.db, group.id).await?;
    let ids: Vec<Uuid> = members.iter().map(|m| m.user_id).collect();
    let mut statuses = statuses(app, &assignment, &ids).await?;
    let rows = members
        .into_iter()
        .map(|m| {
            let status = statuses.remove(&m.user_id).unwrap_or(Status::NotStarted);
            (m, status)
        })
        .collect();
    Ok((group, assignment, rows))
}

/// Assignment `id` of group `group_id`, for the delete confirmation.
pub async fn find(app: &App, actor: &Actor, group_id: Uuid, id: Uuid) -> Result<(Group, Assignment)> {
    managed_assignment(app, actor, group_id, id).await
}

/// Deletes assignment `id`; the attempts taken for it stay the learners'.
pub async fn delete(app: &App, actor: &Actor, group_id: Uuid, id: Uuid) -> Result<()> {
    let (group, assignment) = managed_assignment(app, actor, group_id, id).await?;
    if store::delete(&app.db, group.id, assignment.id).await? { Ok(()) } else { Err(Error::NotFound) }
}

/// One of a learner's assignments, as `/me` lists it.
#[derive(Debug, Clone)]
pub struct Assigned {
    pub assignment: Assignment,
    pub group: String,
    pub status: Status,
}

/// The assignments of every group `user` is in, each with their status,
/// the soonest due first.
pub async fn for_learner(app: &App, user: &User) -> Result<Vec<Assigned>> {
    let me = [user.id.0];
    let mut listed = Vec::new();
    for (assignment, group) in store::of_member(&app.db, user.id.0).await? {
        let status = statuses(app, &assignment, &me).await?.remove(&user.id.0).unwrap_or(Status::NotStarted);
        listed.push(Assigned { assignment, group, status });
    }
    Ok(listed)
}

/// For the class dashboard: how many of group `group_id`'s assignments
/// each member has overdue (not done, due time passed). Members with none
/// overdue are absent. The caller has checked the group is the actor's.
pub async fn overdue_for(app: &App, group_id: Uuid) -> Result<HashMap<Uuid, usize>> {
    let members: Vec<Uuid> = groups_store::members(&app.db, group_id).await?.iter().map(|m| m.user_id).collect();
    let now = app.clock.now();
    let mut overdue: HashMap<Uuid, usize> = HashMap::new();
    for a in store::of_group(&app.db, group_id).await? {
        // Nothing is overdue before its due time: skip the attempts query.
        if !rule::is_past_due(a.due_at, now) {
            continue;
        }
        for (user, status) in statuses(app, &a, &members).await? {
            if status == Status::Overdue {
                *overdue.entry(user).or_default() += 1;
            }
        }
    }
    Ok(overdue)
}
