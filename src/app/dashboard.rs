//! The class dashboard: a group's members in one exam, each read from
//! their standing (kept at grading time, see [`super::standings`]), who is
//! at risk and why, and the group's averages. Seen by the group's
//! instructor and the admins only, as the group itself.

use std::collections::HashMap;

use time::OffsetDateTime;

use super::exams::Actor;
use super::{App, Error, Result};
use crate::analysis::class::{self, Risk, SortKey, Standing, Summary};
use crate::progress::History;
use crate::store::exams::{self, Exam};
use crate::store::groups::{self as store_groups, Group};
use crate::store::standings;

/// One member's line.
pub struct MemberRow {
    pub standing: Standing,
    pub risks: Vec<Risk>,
}

pub struct Dashboard {
    pub group: Group,
    /// The exams the members have finished attempts in, the most mocks first.
    pub exams: Vec<Exam>,
    /// The exam shown; None when no member has finished anything.
    pub exam: Option<Exam>,
    pub members: usize,
    /// Members with a finished attempt in the exam shown.
    pub with_attempts: usize,
    pub rows: Vec<MemberRow>,
    pub summary: Option<Summary>,
    pub sort: SortKey,
    pub descending: bool,
    pub now: OffsetDateTime,
}

/// What the dashboard is asked for: an exam by slug (else the one the
/// members have the most finished mocks in), and a column to sort on
/// (else names, A to Z).
#[derive(Debug, Default, Clone)]
pub struct Request<'a> {
    pub exam: Option<&'a str>,
    pub sort: Option<&'a str>,
    pub descending: bool,
}

pub async fn dashboard(app: &App, actor: &Actor, id: uuid::Uuid, request: Request<'_>) -> Result<Dashboard> {
    let group = super::groups::managed(app, actor, id).await?;
    let (members, counts, all) = tokio::try_join!(
        store_groups::members(&app.db, group.id),
        standings::exams_of_group(&app.db, group.id),
        exams::list(&app.db),
    )?;
    let mocks: HashMap<uuid::Uuid, i64> = counts.into_iter().collect();
    let mut taken: Vec<Exam> = all.into_iter().filter(|e| mocks.contains_key(&e.id)).collect();
    // Stable: on equal counts the exams stay in slug order.
    taken.sort_by_key(|e| std::cmp::Reverse(mocks[&e.id]));
    let exam = match request.exam {
        Some(slug) if !slug.is_empty() => Some(exams::by_slug(&app.db, slug).await?.ok_or(Error::NotFound)?),
        _ => taken.first().cloned(),
    };
    let now = app.clock.now();
    let Some(exam) = exam else {
        return Ok(Dashboard {
            group,
            exams: taken,
            exam: None,
            members: members.len(),
            with_attempts: 0,
            rows: Vec::new(),
            summary: None,
            sort: SortKey::Name,
            descending: false,
            now,
        });
    };

    let mut kept: HashMap<uuid::Uuid, Standing> =
        standings::of_group(&app.db, group.id, exam.id).await?.into_iter().map(|s| (s.user, s)).collect();
    let with_attempts = kept.len();
    // A member with nothing finished in this exam stands where an empty
    // history puts them, by the same rules.
    let standings: Vec<Standing> = members
        .iter()
        .map(|m| {
            kept.remove(&m.user_id).unwrap_or_else(|| Standing {
                name: m.name.clone(),
                ..Standing::of(m.user_id, &exam.blueprint, &History::default())
            })
        })
        .collect();
    let codes: Vec<String> = exam.blueprint.domains.iter().map(|d| d.code.clone()).collect();
    let summary = class::summary(&codes, &standings);
    // Overdue assignments count whatever exam they are in: a learner behind
    // on any of the group's work is at risk.
    let overdue = super::assignments::overdue_for(app, group.id).await?;
    let risks: Vec<Vec<Risk>> = standings
        .iter()
        .map(|s| class::at_risk(s.verdict, s.latest_at, overdue.get(&s.user).copied().unwrap_or(0), now))
        .collect();

    let sort = request.sort.and_then(|w| SortKey::parse(w, &codes)).unwrap_or(SortKey::Name);
    let mut rows: Vec<MemberRow> =
        standings.into_iter().zip(risks).map(|(standing, risks)| MemberRow { standing, risks }).collect();
    class::sort(&mut rows, &sort, request.descending, |r| (&r.standing, r.risks.as_slice()));

    Ok(Dashboard {
        group,
        exams: taken,
        exam: Some(exam),
        members: members.len(),
        with_attempts,
        rows,
        summary: Some(summary),
        sort,
        descending: request.descending,
        now,
    })
}
