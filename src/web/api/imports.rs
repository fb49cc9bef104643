//! Question sets in and out, for an instructor's or admin's token: a CI job
//! that keeps its bank in git uploads a file, validated first with
//! `dry_run=true`, then imported; and an exam's questions exported in any
//! writable format. The pipeline is `app::imports`; this module only reads
//! the request and maps the report to a status.

use axum::Json;
use axum::body::{Body, to_bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::openapi::OpenApi;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ApiResult;
use super::extract::{ApiInstructor, ApiPath};
use super::problems::{ForInstructors, Invalid, NotFound, TooLarge, Unauthorized, Unavailable};
use crate::app::exams::{self, Actor};
use crate::app::imports::{self, ReportJson};
use crate::content::formats::Format;
use crate::content::import::Options;
use crate::store::imports::{ImportCounts, ImportedFile};
use crate::web::error::{AppError, Problem};
use crate::web::formats::{export_download, writable_format};
use crate::web::limit::{self, BodyLimit};
use crate::web::{ApiError, AppState};

/// What an upload says besides its bytes, in its query string.
/// `domain_map` repeats, which axum's `Query` cannot read, so it is parsed
/// here by hand.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's name, as the report names it. Its extension tells the
    /// format when `format` is not given (`.gift`, `.xml`, `.csv`, `.json`,
    /// `.md`, `.aiken`; `.txt` is GIFT or Aiken, told apart by the text).
    file_name: String,
    /// The file's format: markdown, json, gift, moodle-xml, aiken or csv.
    format: Option<String>,
    /// `CATEGORY=DOMAIN`, repeatable: the questions of a category path (or
    /// its last segment) go to that domain code, such as `Data preparation=D1`.
    #[param(required = false)]
    domain_map: Vec<String>,
    /// The domain code of every question whose category maps to no domain.
    all_in_domain: Option<String>,
    /// `true` to validate and report only, storing nothing.
    #[param(default = false)]
    dry_run: Option<bool>,
}

impl ImportQuery {
    fn parse(query: Option<&str>) -> Result<ImportQuery, AppError> {
        let mut out = ImportQuery::default();
        let mut file_name = None;
        for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            let value = value.into_owned();
            match &*key {
                "file_name" => file_name = Some(value),
                "format" => out.format = Some(value),
                "domain_map" => out.domain_map.push(value),
                "all_in_domain" => out.all_in_domain = Some(value),
                "dry_run" => {
                    out.dry_run =
                        Some(value.parse().map_err(|_| {
                            AppError::Invalid(format!("`dry_run` is `true` or `false`, not `{value}`."))
                        })?)
                }
                // Unknown parameters are ignored, as everywhere in the API.
                _ => {}
            }
        }
        out.file_name = file_name.filter(|n| !n.trim().is_empty()).ok_or_else(|| {
            AppError::Invalid("`file_name` is required: it names the file in the report and tells its format.".into())
        })?;
        Ok(out)
    }

    fn options(&self) -> Result<Options, AppError> {
        let format = self.format.as_deref().map(format_named).transpose()?;
        let domain_map = self
            .domain_map
            .iter()
            .map(|m| Options::parse_mapping(m))
            .collect::<Result<_, _>>()
            .map_err(|e| AppError::Invalid(format!("`domain_map`: {e}.")))?;
        Ok(Options { format, domain_map, all_in_domain: self.all_in_domain.clone() })
    }
}

fn format_named(name: &str) -> Result<Format, AppError> {
    Format::parse(name).ok_or_else(|| {
        AppError::Invalid(format!("`{name}` is not a format: use markdown, json, gift, moodle-xml, aiken or csv."))
    })
}

// The path is also `limit::IMPORT_ROUTE`, which gives this route its own
// body limit (tested in tests/it/imports_api.rs).
/// Validate a question file, or import it.
///
/// The body is one file, as raw bytes (any content type), at most
/// `MOCKEXAM_IMPORT_LIMIT_KB` (5 MiB by default): a larger one is refused
/// as soon as the limit is passed. With `dry_run=true` the file is checked
/// and the report says what an import would do; nothing is stored. Without
/// it, the questions are imported in one transaction, and only if the file
/// has no errors: questions of kinds mockexam cannot hold (essay, numerical…)
/// are named in the report and left out. Importing the same file again
/// changes nothing; an edited question becomes a new version.
#[utoipa::path(
    post,
    path = "/api/v1/exams/{slug}/imports",
    tag = "imports",
    operation_id = "importQuestions",
    params(("slug" = String, Path, description = "The exam's slug, such as `mla-c01`."), ImportQuery),
    request_body(content = String, content_type = "*/*", description = "The question file, as it is on disk."),
    security(("bearerToken" = []), ("sessionCookie" = [], "csrfHeader" = [])),
    responses(
        (status = 200, description = "Validated (`dry_run=true`): what an import would do. Nothing was stored.",
            body = ReportJson),
        (status = 201, description = "Imported. `Location` lists the exam's imports.", body = ReportJson,
            headers(("Location" = String, description = "The exam's imports."))),
        (status = 401, response = Unauthorized),
        (status = 403, response = ForInstructors),
        (status = 404, response = NotFound),
        (status = 413, response = TooLarge),
        (status = 422, description = "Not imported, nothing was stored: a report (`has_errors`) naming every \
            error with its file, line and question, or a problem document when the query could not be read \
            (no `file_name`, an unknown `format`, a `domain_map` that is not `CATEGORY=DOMAIN`).",
            content((ReportJson = "application/json"), (Problem = "application/problem+json"))),
        (status = 503, response = Unavailable),
    )
)]
pub async fn import_questions(
    State(state): State<AppState>,
    ApiInstructor(user): ApiInstructor,
    ApiPath(slug): ApiPath<String>,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    let query = ImportQuery::parse(query.as_deref())?;
    let options = query.options()?;
    // An unknown exam, or another instructor's, is said before the upload
    // is read.
    let actor = Actor::account(&user);
    exams::editable(&state, &actor, &slug).await?;
    let files = [(query.file_name, read_upload(body, state.config.import_limit_bytes).await?)];
    if query.dry_run.unwrap_or(false) {
        let report = imports::validate(&state, &actor, &slug, &files, &options).await?;
        return Ok(Json(ReportJson::from(&report)).into_response());
    }
    let report = imports::import(&state, &actor, &slug, &files, &options).await?;
    let json = Json(ReportJson::from(&report));
    if report.import_id.is_none() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, json).into_response());
    }
    let list = format!("/api/v1/exams/{slug}/imports");
    Ok((StatusCode::CREATED, [(header::LOCATION, list)], json).into_response())
}

/// The upload, read up to `limit` bytes and no further (the body limit
/// layer bounds it too, at the same limit for this route).
async fn read_upload(body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    match to_bytes(body, limit).await {
        Ok(bytes) => Ok(Vec::from(bytes)),
        Err(e) if limit::is_over_limit(&e) => Err(AppError::TooLarge(Some(BodyLimit(limit))).into()),
        Err(_) => Err(AppError::Invalid("The upload arrived incomplete; nothing was stored.".into()).into()),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ImportList {
    /// Newest first (the latest 200).
    pub imports: Vec<ImportJson>,
}

/// One import as recorded: who, when, which file, what it changed.
#[derive(Serialize, ToSchema)]
#[schema(as = Import)]
pub struct ImportJson {
    pub id: Uuid,
    /// Who imported: an email, or "command line".
    pub actor: String,
    #[serde(serialize_with = "time::serde::rfc3339::serialize")]
    pub created_at: OffsetDateTime,
    pub files: Vec<ImportedFile>,
    pub counts: ImportCounts,
}

/// The imports into an exam, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/exams/{slug}/imports",
    tag = "imports",
    operation_id = "listImports",
    params(("slug" = String, Path, description = "The exam's slug, such as `mla-c01`.")),
    responses(
        (status = 200, description = "The imports.", body = ImportList),
        (status = 401, response = Unauthorized),
        (status = 403, response = ForInstructors),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    )
)]
pub async fn list_imports(
    State(state): State<AppState>,
    ApiInstructor(user): ApiInstructor,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<ImportList>> {
    let imports = imports::list(&state, &Actor::account(&user), &slug)
        .await?
        .into_iter()
        .map(|r| ImportJson { id: r.id, actor: r.actor, created_at: r.created_at, files: r.files, counts: r.counts })
        .collect();
    Ok(Json(ImportList { imports }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// markdown, json, gift, moodle-xml or csv (aiken is read only).
    format: String,
    /// Only the questions of this question set: the file they came from,
    /// such as `d1-etl.md` or `bank.gift`. All of the exam's when absent.
    set: Option<String>,
}

/// Export an exam's questions as a file.
///
/// Every current question (retired ones are left out), or those of one
/// question set, in the format asked for, as an attachment named
/// `<slug>.<extension>`. Importing the file
/// back changes nothing, as far as the format carries the questions; the
/// header `X-Mockexam-Left-Out` counts the questions a format left out or
/// cut short.
#[utoipa::path(
    get,
    path = "/api/v1/exams/{slug}/export",
    tag = "imports",
    operation_id = "exportQuestions",
    params(("slug" = String, Path, description = "The exam's slug, such as `mla-c01`."), ExportQuery),
    responses(
        (status = 200, description = "The file.",
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"<slug>.<extension>\"`"),
                ("X-Mockexam-Left-Out" = u32,
                    description = "How many questions (or parts of them) the format could not carry."),
            ),
            content(
                (String = "text/markdown"),
                (Object = "application/json"),
                (String = "text/plain"),
                (String = "application/xml"),
                (String = "text/csv"),
            )),
        (status = 401, response = Unauthorized),
        (status = 403, response = ForInstructors),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
        (status = 503, response = Unavailable),
    )
)]
pub async fn export_questions(
    State(state): State<AppState>,
    ApiInstructor(user): ApiInstructor,
    ApiPath(slug): ApiPath<String>,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(query) =
        query.map_err(|r| AppError::Invalid(format!("The query could not be read: {}", r.body_text())))?;
    let format = writable_format(&query.format)?;
    Ok(export_download(&state, &Actor::account(&user), &slug, format, query.set.as_deref()).await?)
}

/// Adds to the export's description what each writable format cannot
/// carry, from the formats themselves, so it cannot drift from them.
pub fn describe_losses(doc: &mut OpenApi) {
    let Some(operation) = doc.paths.paths.get_mut("/api/v1/exams/{slug}/export").and_then(|p| p.get.as_mut()) else {
        return;
    };
    let mut description = operation.description.clone().unwrap_or_default();
    description.push_str("\n\nWhat each format cannot carry:\n");
    for format in Format::ALL.into_iter().filter(|f| f.writable()) {
        description.push_str(&format!("\n- `{}`: {}", format.as_str(), format.loses()));
    }
    operation.description = Some(description);
}
