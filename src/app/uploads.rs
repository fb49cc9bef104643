//! Question files held between their preview and their import. An
//! instructor uploads files with options; they are kept in the database
//! (not on one instance's disk) for a day, previewed as often as wanted,
//! and imported by any instance with the same options. Only the one who
//! uploaded may see or import them.

use std::collections::HashMap;

use serde_json::{Value, json};
use time::Duration;
use uuid::Uuid;

use super::exams::{self, Actor};
use super::{App, Error, Result, imports};
use crate::content::formats::Format;
use crate::content::import::{self, Options};
use crate::exam::VersionContent;
use crate::store::exams::{Exam, current_contents};
use crate::store::uploads::{self, Upload};

/// How long an upload waits for its import.
pub const KEPT_FOR: Duration = Duration::hours(24);

/// Holds `files` with `options` for `user`'s import into exam `slug`;
/// returns the upload's id.
pub async fn hold(
    app: &App,
    actor: &Actor,
    slug: &str,
    files: Vec<(String, Vec<u8>)>,
    options: &Options,
) -> Result<Uuid> {
    let user = actor.user_id.ok_or(Error::NotFound)?;
    let exam = exams::editable(app, actor, slug).await?;
    let now = app.clock.now();
    let upload = Upload {
        id: Uuid::new_v4(),
        exam_id: exam.id,
        exam_slug: exam.blueprint.slug.clone(),
        user_id: user,
        created_at: now,
        expires_at: now + KEPT_FOR,
        options: options_json(options),
        files,
    };
    let mut tx = app.db.begin().await?;
    uploads::insert(&mut tx, &upload).await?;
    tx.commit().await?;
    Ok(upload.id)
}

/// One question of a preview: where it is, what the import does to it,
/// its content, and the current version it would replace.
pub struct PreviewQuestion {
    pub row: imports::QuestionRow,
    pub content: VersionContent,
    pub current: Option<VersionContent>,
}

/// What an upload would do, for its preview page.
pub struct Preview {
    pub upload: Upload,
    pub exam: Exam,
    pub report: imports::Report,
    pub questions: Vec<PreviewQuestion>,
}

/// `user`'s upload `id` checked against the exam as it is now; another
/// user's, or an expired one, is not found.
pub async fn preview(app: &App, actor: &Actor, id: Uuid) -> Result<Preview> {
    let upload = own(app, actor, id).await?;
    let options = options_from(&upload.options);
    let exam = exams::editable(app, actor, &upload.exam_slug).await?;
    let report = imports::validate(app, actor, &upload.exam_slug, &upload.files, &options).await?;
    // The report lists the questions; their content comes from the same
    // files, read again (validation is pure and cheap next to the page).
    let validated = import::validate(&exam.blueprint, &upload.files, &options);
    let mut current: HashMap<String, VersionContent> =
        current_contents(&app.db, exam.id, None).await?.into_iter().map(|c| (c.question.id.clone(), c)).collect();
    let questions = report
        .questions
        .iter()
        .zip(&validated.questions)
        .map(|(row, q)| {
            let case = q.question.case.as_deref().and_then(|c| validated.cases.iter().find(|k| k.id == c)).cloned();
            PreviewQuestion {
                row: row.clone(),
                content: VersionContent { question: q.question.clone(), case },
                current: current.remove(&row.id),
            }
        })
        .collect();
    Ok(Preview { upload, exam, report, questions })
}

/// What asking to import an upload came to.
pub enum ImportOutcome {
    /// Imported; the upload is gone.
    Imported(imports::Report),
    /// Errors remain: nothing was stored, the upload is kept.
    HasErrors,
}

/// Imports `actor`'s upload `id`, unless its files have errors.
pub async fn import(app: &App, actor: &Actor, id: Uuid) -> Result<ImportOutcome> {
    let upload = own(app, actor, id).await?;
    let options = options_from(&upload.options);
    let mut tx = app.db.begin().await?;
    // The upload is taken in the import's own transaction: a second press
    // of Import waits on this row, then finds it gone, so an upload is
    // imported once. On errors the transaction rolls back and keeps it.
    if !uploads::delete(&mut *tx, id).await? {
        return Err(Error::NotFound);
    }
    let report = imports::import_in(app, &mut tx, actor, &upload.exam_slug, &upload.files, &options).await?;
    if report.import_id.is_none() {
        return Ok(ImportOutcome::HasErrors);
    }
    tx.commit().await?;
    Ok(ImportOutcome::Imported(report))
}

/// Deletes the uploads past their expiry.
pub async fn delete_expired(app: &App) -> Result<u64> {
    Ok(uploads::delete_expired(&app.db, app.clock.now()).await?)
}

async fn own(app: &App, actor: &Actor, id: Uuid) -> Result<Upload> {
    let user = actor.user_id.ok_or(Error::NotFound)?;
    let mut conn = app.db.acquire().await?;
    uploads::get(&mut conn, id, user, app.clock.now()).await?.ok_or(Error::NotFound)
}

fn options_json(o: &Options) -> Value {
    json!({
        "format": o.format.map(Format::as_str),
        "domain_map": o.domain_map,
        "all_in_domain": o.all_in_domain,
    })
}

/// The options as held; what cannot be read is left out (we wrote them).
fn options_from(v: &Value) -> Options {
    Options {
        format: v["format"].as_str().and_then(Format::parse),
        domain_map: serde_json::from_value(v["domain_map"].clone()).unwrap_or_default(),
        all_in_domain: v["all_in_domain"].as_str().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_come_back_as_they_were_held() {
        let o = Options {
            format: Some(Format::Gift),
            domain_map: vec![("Data prep".into(), "D1".into())],
            all_in_domain: Some("D2".into()),
        };
        let back = options_from(&options_json(&o));
        assert_eq!(back.format, o.format);
        assert_eq!(back.domain_map, o.domain_map);
        assert_eq!(back.all_in_domain, o.all_in_domain);
    }
}
