//! The OpenAPI 3.1 description of `/api/v1`, written by hand: the API is
//! small, and a generator crate would cost more than it saves. A test
//! checks that every route in `api.rs` has its entry here. It is built in
//! pieces because one `json!` of it all exceeds the macro recursion limit.

use std::sync::LazyLock;

use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub async fn show_document() -> Response {
    let mut response = Json(&*DOCUMENT).into_response();
    // The document changes only with a release: let clients keep it a while.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

static DOCUMENT: LazyLock<Value> = LazyLock::new(document);

/// `{"$ref": "#/components/<kind>/<name>"}`
fn r(kind: &str, name: &str) -> Value {
    json!({ "$ref": format!("#/components/{kind}/{name}") })
}

fn schema(name: &str) -> Value {
    r("schemas", name)
}

fn json_body(name: &str) -> Value {
    json!({ "content": { "application/json": { "schema": schema(name) } } })
}

fn ok(description: &str, name: &str) -> Value {
    let mut v = json_body(name);
    v["description"] = json!(description);
    v
}

fn error(name: &str) -> Value {
    r("responses", name)
}

fn path_param(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": schema })
}

/// Reading needs either credential; changing state with the session cookie
/// also needs the CSRF header.
fn reads() -> Value {
    json!([{ "bearerToken": [] }, { "sessionCookie": [] }])
}

fn changes() -> Value {
    json!([{ "bearerToken": [] }, { "sessionCookie": [], "csrfHeader": [] }])
}

/// An attempt as the API shows it: the fields every view starts with
/// (`AttemptHead` in api.rs) and the view's own, all required.
fn attempt_schema(own: Value) -> Value {
    let nullable_date_time = json!({ "type": ["string", "null"], "format": "date-time" });
    let mut properties = json!({
        "id": { "type": "string", "format": "uuid" },
        "exam": { "type": "string", "description": "The exam's slug." },
        "exam_title": { "type": "string" },
        "mode": schema("Mode"),
        "started_at": { "type": "string", "format": "date-time" },
        "deadline": nullable_date_time,
        "finished": { "type": "boolean" },
        "finished_at": nullable_date_time
    });
    let map = properties.as_object_mut().expect("an object");
    map.extend(own.as_object().expect("an object").clone());
    let required: Vec<&String> = map.keys().collect();
    json!({ "type": "object", "required": required, "properties": map })
}

fn document() -> Value {
    let attempt_id = path_param("id", "The attempt's id.", json!({ "type": "string", "format": "uuid" }));
    let position =
        path_param("n", "The item's position in the attempt, from 1.", json!({ "type": "integer", "minimum": 1 }));
    let slug = path_param("slug", "The exam's slug, such as `mla-c01`.", json!({ "type": "string" }));
    let nullable = |t: &str| json!({ "type": [t, "null"] });
    let date_time = json!({ "type": "string", "format": "date-time" });
    let nullable_date_time = json!({ "type": ["string", "null"], "format": "date-time" });
    let mode = schema("Mode");

    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "mockexam API",
            "version": "1",
            "description": "Exams, attempts and results of the logged-in learner, as JSON. \
                Authenticate with a personal API token (made on the account page, `/account`) sent as \
                `Authorization: Bearer <token>`, or, from our own pages, with the session cookie; with the cookie, \
                requests that change anything must also echo the `mockexam_csrf` cookie in the `X-CSRF-Token` header. \
                Every error is an RFC 9457 problem document (`application/problem+json`). Times are RFC 3339. \
                Options are always named by their display position (0-based), which differs per attempt."
        },
        "servers": [{ "url": "/" }],
        "security": reads(),
        "tags": [
            { "name": "exams" },
            { "name": "attempts" },
            { "name": "results" },
            { "name": "meta" }
        ]
    });
    let paths = [
        (
            "/api/openapi.json",
            json!({
                "get": {
                    "tags": ["meta"],
                    "operationId": "showDocument",
                    "summary": "This document.",
                    "security": [],
                    "responses": { "200": { "description": "The OpenAPI document.", "content": { "application/json": { "schema": { "type": "object" } } } } }
                }
            }),
        ),
        (
            "/api/v1/exams",
            json!({
                "get": {
                    "tags": ["exams"],
                    "operationId": "listExams",
                    "summary": "The exams on this server, each with its blueprint.",
                    "responses": {
                        "200": ok("The exams.", "ExamList"),
                        "401": error("Unauthorized")
                    }
                }
            }),
        ),
        (
            "/api/v1/exams/{slug}/attempts",
            json!({
                "parameters": [slug],
                "post": {
                    "tags": ["attempts"],
                    "operationId": "startAttempt",
                    "summary": "Start an attempt: a full mock exam, a practice, a drill or a review.",
                    "security": changes(),
                    "requestBody": { "required": true, "content": { "application/json": { "schema": schema("StartRequest") } } },
                    "responses": {
                        "201": {
                            "description": "Started. `Location` is the attempt's URL.",
                            "headers": { "Location": { "schema": { "type": "string" } } },
                            "content": { "application/json": { "schema": schema("StartedAttempt") } }
                        },
                        "401": error("Unauthorized"),
                        "403": error("Forbidden"),
                        "404": error("NotFound"),
                        "422": error("Invalid")
                    }
                }
            }),
        ),
        (
            "/api/v1/attempts",
            json!({
                "get": {
                    "tags": ["attempts"],
                    "operationId": "listAttempts",
                    "summary": "My attempts, newest first.",
                    "parameters": [{
                        "name": "limit", "in": "query", "required": false,
                        "description": "How many to return (default 100).",
                        "schema": { "type": "integer", "minimum": 1, "maximum": 500 }
                    }],
                    "responses": {
                        "200": ok("The attempts.", "AttemptList"),
                        "401": error("Unauthorized"),
                        "422": error("Invalid")
                    }
                }
            }),
        ),
        (
            "/api/v1/attempts/{id}",
            json!({
                "parameters": [attempt_id],
                "get": {
                    "tags": ["attempts"],
                    "operationId": "showAttempt",
                    "summary": "One attempt: its clock and the state of every item. An attempt past its deadline is graded first.",
                    "responses": {
                        "200": ok("The attempt.", "Attempt"),
                        "401": error("Unauthorized"),
                        "404": error("NotFound")
                    }
                }
            }),
        ),
        (
            "/api/v1/attempts/{id}/items/{n}",
            json!({
                "parameters": [attempt_id, position],
                "get": {
                    "tags": ["attempts"],
                    "operationId": "showItem",
                    "summary": "One item as the learner may see it. The key, explanation and rationales appear only once the mode allows them: in a mock exam after it is finished, in practice after the item is checked.",
                    "responses": {
                        "200": ok("The item.", "Item"),
                        "401": error("Unauthorized"),
                        "404": error("NotFound")
                    }
                },
                "put": {
                    "tags": ["attempts"],
                    "operationId": "saveItem",
                    "summary": "Save the response to one item (and its flag and struck options).",
                    "description": "Send the item's `seq`; a save with an older `seq` than the stored one is refused as `stale`, so a late retry never overwrites a newer answer. Refusals answer with `status` naming why and the stored `seq`.",
                    "security": changes(),
                    "requestBody": { "required": true, "content": { "application/json": { "schema": schema("SaveRequest") } } },
                    "responses": {
                        "200": ok("Saved.", "SaveReply"),
                        "401": error("Unauthorized"),
                        "403": error("Forbidden"),
                        "404": error("NotFound"),
                        "409": {
                            "description": "Not saved: `stale` (a newer save is stored), `locked` (checked in practice), `time_up` (after the deadline and grace) or `finished`.",
                            "content": { "application/json": { "schema": schema("SaveReply") } }
                        },
                        "422": {
                            "description": "The response does not fit the item. A reply with `status: invalid` keeps the previous answer; a problem document means the body could not be read.",
                            "content": {
                                "application/json": { "schema": schema("SaveReply") },
                                "application/problem+json": { "schema": schema("Problem") }
                            }
                        }
                    }
                }
            }),
        ),
        (
            "/api/v1/attempts/{id}/submit",
            json!({
                "parameters": [attempt_id],
                "post": {
                    "tags": ["attempts"],
                    "operationId": "submitAttempt",
                    "summary": "Submit and grade the attempt. Idempotent: submitting again returns the same result.",
                    "security": changes(),
                    "responses": {
                        "200": ok("The result.", "Result"),
                        "401": error("Unauthorized"),
                        "403": error("Forbidden"),
                        "404": error("NotFound")
                    }
                }
            }),
        ),
        (
            "/api/v1/attempts/{id}/result",
            json!({
                "parameters": [attempt_id],
                "get": {
                    "tags": ["results"],
                    "operationId": "showResult",
                    "summary": "The result of a finished attempt: the scaled score, each domain, and every item with its key and explanation.",
                    "responses": {
                        "200": ok("The result.", "Result"),
                        "401": error("Unauthorized"),
                        "404": error("NotFound"),
                        "409": error("Conflict")
                    }
                }
            }),
        ),
    ];
    doc["paths"] = Value::Object(paths.into_iter().map(|(p, v)| (p.to_string(), v)).collect());
    doc["components"] = json!({
        "securitySchemes": {
            "bearerToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal API token from the account page (64 hex characters). It is shown once when made and can be revoked there. Requests with a token need no CSRF header."
            },
            "sessionCookie": {
                "type": "apiKey",
                "in": "cookie",
                "name": "mockexam_session",
                "description": "The browser session set by logging in (named `__Host-mockexam_session` when the server runs with secure cookies)."
            },
            "csrfHeader": {
                "type": "apiKey",
                "in": "header",
                "name": "X-CSRF-Token",
                "description": "With the session cookie, every request that changes state must echo the value of the `mockexam_csrf` cookie here."
            }
        },
        "responses": {
            "Unauthorized": { "description": "No valid session or token.", "content": { "application/problem+json": { "schema": schema("Problem") } } },
            "Forbidden": { "description": "Refused by the CSRF check (a cookie request without a matching `X-CSRF-Token`, or from another site).", "content": { "application/problem+json": { "schema": schema("Problem") } } },
            "NotFound": { "description": "No such thing, or not yours.", "content": { "application/problem+json": { "schema": schema("Problem") } } },
            "Invalid": { "description": "The request was read but cannot be done as asked; `detail` says why.", "content": { "application/problem+json": { "schema": schema("Problem") } } },
            "Conflict": { "description": "Not possible in the attempt's current state.", "content": { "application/problem+json": { "schema": schema("Problem") } } }
        }
    });
    let schemas = [
        (
            "Problem",
            json!({
                "type": "object",
                "description": "RFC 9457 problem details.",
                "required": ["type", "title", "status", "detail"],
                "properties": {
                    "type": { "type": "string" },
                    "title": { "type": "string" },
                    "status": { "type": "integer" },
                    "detail": { "type": "string", "description": "What went wrong, for a person to read." }
                }
            }),
        ),
        (
            "Mode",
            json!({
                "type": "string",
                "enum": ["exam", "practice", "drill", "review"],
                "description": "`exam`: timed, on the blueprint, feedback after submit. `practice`: feedback after each checked answer. `drill`: practice on one domain or tag. `review`: questions missed before."
            }),
        ),
        (
            "Domain",
            json!({
                "type": "object",
                "required": ["code", "name", "weight"],
                "properties": { "code": { "type": "string" }, "name": { "type": "string" }, "weight": { "type": "integer", "description": "Percent of the score." } }
            }),
        ),
        (
            "Scale",
            json!({
                "type": "object",
                "required": ["min", "max", "pass"],
                "properties": { "min": { "type": "integer" }, "max": { "type": "integer" }, "pass": { "type": "integer", "description": "Scaled scores at or above this pass." } }
            }),
        ),
        (
            "Exam",
            json!({
                "type": "object",
                "description": "An exam and its blueprint.",
                "required": ["slug", "title", "domains", "question_count", "time_limit_minutes", "scale", "unscored_count", "attempts_url"],
                "properties": {
                    "slug": { "type": "string" },
                    "title": { "type": "string" },
                    "domains": { "type": "array", "items": schema("Domain") },
                    "question_count": { "type": "integer" },
                    "time_limit_minutes": { "type": "integer" },
                    "scale": schema("Scale"),
                    "unscored_count": { "type": "integer", "description": "Unscored items mixed in under real exam conditions." },
                    "attempts_url": { "type": "string", "description": "Where to POST a StartRequest." }
                }
            }),
        ),
        (
            "ExamList",
            json!({
                "type": "object",
                "required": ["exams"],
                "properties": { "exams": { "type": "array", "items": schema("Exam") } }
            }),
        ),
        (
            "StartRequest",
            json!({
                "type": "object",
                "required": ["mode"],
                "properties": {
                    "mode": mode,
                    "count": { "type": ["integer", "null"], "minimum": 1, "maximum": 200, "description": "Not for `exam` (the blueprint decides). Default 10." },
                    "domains": { "type": "array", "items": { "type": "string" }, "description": "Practice: the domains to draw from (all when empty). Drill: exactly one, or none with a `tag`." },
                    "tag": { "type": ["string", "null"], "description": "Drill: a tag instead of a domain." },
                    "timed": { "type": "boolean", "default": false, "description": "Practice and drill: a countdown at the exam's pace." },
                    "real_conditions": { "type": "boolean", "default": false, "description": "Exam: mix in the unscored items." }
                }
            }),
        ),
        (
            "StartedAttempt",
            json!({
                "type": "object",
                "required": ["id", "exam", "mode", "items", "deadline", "url", "first_item_url"],
                "properties": {
                    "id": { "type": "string", "format": "uuid" },
                    "exam": { "type": "string", "description": "The exam's slug." },
                    "mode": mode,
                    "items": { "type": "integer", "description": "How many items were drawn." },
                    "deadline": nullable_date_time,
                    "url": { "type": "string" },
                    "first_item_url": { "type": "string" }
                }
            }),
        ),
        (
            "AttemptSummary",
            attempt_schema(json!({
                "scaled": { "type": ["integer", "null"], "description": "Once finished." },
                "passed": { "type": ["boolean", "null"], "description": "Once finished." },
                "answered": { "type": "integer" },
                "items": { "type": "integer" },
                "url": { "type": "string" }
            })),
        ),
        (
            "AttemptList",
            json!({
                "type": "object",
                "required": ["attempts"],
                "properties": { "attempts": { "type": "array", "items": schema("AttemptSummary") } }
            }),
        ),
        (
            "ItemStatus",
            json!({
                "type": "object",
                "required": ["position", "answered", "flagged", "url"],
                "properties": {
                    "position": { "type": "integer" },
                    "answered": { "type": "boolean" },
                    "flagged": { "type": "boolean" },
                    "url": { "type": "string" }
                }
            }),
        ),
        (
            "Attempt",
            attempt_schema(json!({
                "time_left_seconds": { "type": ["integer", "null"], "description": "Whole seconds, rounded up; null when untimed or finished. The server's clock decides." },
                "time_left": { "type": ["string", "null"], "description": "The same as the page's countdown shows it, such as `129:58`." },
                "finished_reason": { "type": ["string", "null"], "enum": ["submitted", "expired", null] },
                "answered": { "type": "integer" },
                "flagged": { "type": "integer" },
                "items": { "type": "array", "items": schema("ItemStatus") },
                "result_url": { "type": ["string", "null"] }
            })),
        ),
        (
            "Choice",
            json!({
                "type": "object",
                "description": "An option (single, multiple), a step (ordering) or an answer to pick (matching), in display order.",
                "required": ["position", "letter", "html", "selected", "struck"],
                "properties": {
                    "position": { "type": "integer", "description": "The display position (0-based) that saves use." },
                    "letter": { "type": "string" },
                    "html": { "type": "string", "description": "Sanitized HTML." },
                    "selected": { "type": "boolean" },
                    "struck": { "type": "boolean", "description": "Struck through by the learner." },
                    "rank": { "type": "integer", "description": "Ordering: the place given to this step, 0-based. Absent when not placed." },
                    "keyed": { "type": "boolean", "description": "Feedback only: part of the key (single and multiple)." },
                    "rationale_html": { "type": "string", "description": "Feedback only: why this option is right or wrong." }
                }
            }),
        ),
        (
            "Prompt",
            json!({
                "type": "object",
                "required": ["index", "html", "chosen"],
                "properties": {
                    "index": { "type": "integer" },
                    "html": { "type": "string" },
                    "chosen": { "type": ["integer", "null"], "description": "The display position of the answer chosen for it." },
                    "answer_html": { "type": "string", "description": "Feedback only: the right answer." },
                    "rationale_html": { "type": "string", "description": "Feedback only." },
                    "right": { "type": "boolean", "description": "Feedback only: whether the chosen answer is right." }
                }
            }),
        ),
        (
            "Item",
            json!({
                "type": "object",
                "description": "One item as the learner may see it. Properties marked feedback only are absent until the mode shows feedback.",
                "required": ["position", "kind", "stem_html", "case", "select_count", "choices", "prompts", "answered", "flagged", "editable", "seq"],
                "properties": {
                    "position": { "type": "integer" },
                    "kind": { "type": "string", "enum": ["single", "multiple", "ordering", "matching"] },
                    "domain": { "type": "string", "description": "Absent while a mock exam runs, as on the real exam." },
                    "stem_html": { "type": "string" },
                    "case": {
                        "type": ["object", "null"],
                        "description": "The case study this item belongs to.",
                        "properties": { "title": { "type": "string" }, "scenario_html": nullable("string") }
                    },
                    "select_count": { "type": ["integer", "null"], "description": "Multiple: how many options to choose." },
                    "choices": { "type": "array", "items": schema("Choice") },
                    "prompts": { "type": "array", "items": schema("Prompt"), "description": "Matching only." },
                    "answered": { "type": "boolean" },
                    "flagged": { "type": "boolean" },
                    "editable": { "type": "boolean", "description": "Whether the response may still change." },
                    "seq": { "type": "integer", "description": "The `seq` to send with the next save." },
                    "scored": { "type": "boolean", "description": "Feedback only: false for an unscored item." },
                    "correct": { "type": "boolean", "description": "Feedback only." },
                    "explanation_html": { "type": "string", "description": "Feedback only." },
                    "key_order_html": { "type": "array", "items": { "type": "string" }, "description": "Feedback only, ordering: the steps in the right order, each with why." }
                }
            }),
        ),
        (
            "DisplayResponse",
            json!({
                "type": "object",
                "description": "A response in display positions (0-based). Send the one property that fits the item's kind; an empty or absent response clears the answer.",
                "properties": {
                    "choice": { "type": "array", "items": { "type": "integer", "minimum": 0 }, "description": "single (one) and multiple: the chosen options." },
                    "ranks": { "type": "array", "items": { "type": ["integer", "null"], "minimum": 0 }, "description": "ordering: for each step as shown, its place or null." },
                    "matches": { "type": "array", "items": { "type": ["integer", "null"], "minimum": 0 }, "description": "matching: for each prompt in order, the chosen answer or null." }
                }
            }),
        ),
        (
            "SaveRequest",
            json!({
                "type": "object",
                "required": ["seq"],
                "properties": {
                    "seq": { "type": "integer", "description": "The item's `seq` as last read; raise it with every save." },
                    "response": schema("DisplayResponse"),
                    "flagged": { "type": ["boolean", "null"], "description": "Null or absent keeps the flag." },
                    "struck": { "type": ["array", "null"], "items": { "type": "integer" }, "description": "The struck-through display positions; null or absent keeps them." },
                    "check": { "type": "boolean", "default": false, "description": "Practice modes: lock the answer and show its feedback." }
                }
            }),
        ),
        (
            "SaveReply",
            json!({
                "type": "object",
                "required": ["status", "seq", "message"],
                "properties": {
                    "status": { "type": "string", "enum": ["saved", "stale", "locked", "time_up", "finished", "invalid"] },
                    "seq": { "type": ["integer", "null"], "description": "The stored seq; null when the response was refused as `invalid` before reaching the item." },
                    "message": { "type": "string" }
                }
            }),
        ),
        (
            "DomainResult",
            json!({
                "type": "object",
                "required": ["code", "name", "weight", "correct", "total", "percent"],
                "properties": {
                    "code": { "type": "string" },
                    "name": { "type": "string" },
                    "weight": { "type": "integer" },
                    "correct": { "type": "integer" },
                    "total": { "type": "integer", "description": "Scored items of this domain; 0 if none were drawn." },
                    "percent": { "type": "number" }
                }
            }),
        ),
        (
            "Result",
            attempt_schema(json!({
                "finished_at": date_time,
                "finished_reason": { "type": "string", "enum": ["submitted", "expired"] },
                "scaled": { "type": "integer", "description": "The estimated score on the exam's scale." },
                "passed": { "type": "boolean" },
                "scale": schema("Scale"),
                "weighted_percent": { "type": "number", "description": "Σ(weight × domain percent) ÷ Σ(weight) over the domains drawn." },
                "correct": { "type": "integer" },
                "total": { "type": "integer", "description": "Scored items." },
                "domains": { "type": "array", "items": schema("DomainResult") },
                "time_used_seconds": { "type": "integer" },
                "real_conditions": { "type": "boolean" },
                "items": { "type": "array", "items": schema("Item"), "description": "Every item with its key, explanation and rationales." }
            })),
        ),
    ];
    doc["components"]["schemas"] = Value::Object(schemas.into_iter().map(|(n, v)| (n.to_string(), v)).collect());
    doc
}
