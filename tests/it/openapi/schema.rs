//! Checking an answer against the OpenAPI document: the schema for its
//! path, method, status and content type, with every `$ref` resolved and
//! every object closed, and whether the calls made and the document's
//! operations agree.

use std::collections::BTreeSet;

use serde_json::{Value, json};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/// One answer of the API, and the route it came from as the document names
/// it (`/api/v1/attempts/{id}`, not the id).
#[derive(Clone, Debug)]
pub struct Call {
    pub method: String,
    pub path: &'static str,
    pub status: u16,
    pub content_type: String,
    pub body: Value,
}

impl Call {
    fn named(&self) -> String {
        format!("{} {} {} ({})", self.method, self.path, self.status, self.content_type)
    }
}

/// The schema the document gives for a call's answer, with every `$ref`
/// replaced by what it names and every object closed; an error if the
/// document does not describe that answer at all.
fn schema_for(doc: &Value, call: &Call) -> Result<Value, String> {
    let operation = &doc["paths"][call.path][&call.method];
    if !operation.is_object() {
        return Err(format!("{} is not in the document", call.named()));
    }
    let response = resolve(doc, &operation["responses"][call.status.to_string()], 0);
    let schema = &response["content"][&call.content_type]["schema"];
    if schema.is_null() {
        return Err(format!("the document has no schema for {}", call.named()));
    }
    let mut schema = resolve(doc, schema, 0);
    close(&mut schema, false);
    Ok(schema)
}

/// Whether the call's body is what the document says it is.
pub fn check(doc: &Value, call: &Call) -> Result<(), String> {
    let schema = schema_for(doc, call)?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| format!("the schema for {} is not valid JSON Schema: {e}", call.named()))?;
    let errors: Vec<String> =
        validator.iter_errors(&call.body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{} does not match the document:\n  {}\nbody: {}", call.named(), errors.join("\n  "), call.body))
    }
}

/// `schema` with each `$ref` (local, `#/…`) replaced by its target. A `$ref`
/// with siblings (a description, say) becomes an `allOf` of its target.
fn resolve(doc: &Value, schema: &Value, depth: usize) -> Value {
    assert!(depth < 64, "the document's references loop");
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("{reference} is not local"));
                let target = doc.pointer(pointer).unwrap_or_else(|| panic!("{reference} points at nothing"));
                let target = resolve(doc, target, depth + 1);
                if map.len() == 1 {
                    return target;
                }
                let mut rest = map.clone();
                rest.remove("$ref");
                let mut rest = resolve(doc, &Value::Object(rest), depth + 1);
                rest["allOf"] = json!([target]);
                return rest;
            }
            Value::Object(map.iter().map(|(k, v)| (k.clone(), resolve(doc, v, depth + 1))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| resolve(doc, v, depth + 1)).collect()),
        other => other.clone(),
    }
}

/// Closes every object schema against properties it does not name. The
/// parts of an `allOf` are left open: the schema that joins them is closed,
/// and `unevaluatedProperties` counts what any part names.
fn close(schema: &mut Value, part: bool) {
    let Value::Object(map) = schema else { return };
    let object = map.contains_key("properties") || map.contains_key("allOf");
    if object && !part && !map.contains_key("additionalProperties") {
        map.insert("unevaluatedProperties".into(), json!(false));
    }
    for (keyword, value) in map.iter_mut() {
        match (keyword.as_str(), value) {
            ("allOf", Value::Array(parts)) => parts.iter_mut().for_each(|p| close(p, true)),
            ("oneOf" | "anyOf" | "prefixItems", Value::Array(branches)) => {
                branches.iter_mut().for_each(|b| close(b, false))
            }
            ("properties" | "patternProperties", Value::Object(properties)) => {
                properties.values_mut().for_each(|p| close(p, false))
            }
            ("items" | "additionalProperties" | "not" | "contains", sub) => close(sub, false),
            _ => {}
        }
    }
}

/// Every operation of the document, as (method, path).
pub fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let paths = doc["paths"].as_object().expect("the document has paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS.iter().filter(|m| item.get(**m).is_some()).map(|m| (m.to_string(), path.clone()))
        })
        .collect()
}

/// Where the document and the calls made disagree: an operation called
/// that the document lacks, one described that no call reached, or an
/// answer described that no call received. Only 503 (the database not
/// answering) is not provoked.
pub fn coverage(doc: &Value, calls: &[Call]) -> Vec<String> {
    let called: BTreeSet<(String, String)> = calls.iter().map(|c| (c.method.clone(), c.path.to_string())).collect();
    let described = operations(doc);
    let mut problems: Vec<String> = Vec::new();
    for (method, path) in called.difference(&described) {
        problems.push(format!("{method} {path} answers but is not in the document"));
    }
    for (method, path) in described.difference(&called) {
        problems.push(format!("{method} {path} is in the document but was never called"));
    }
    for (method, path) in described.intersection(&called) {
        let responses = doc["paths"][path][method]["responses"].as_object().expect("responses");
        for (status, response) in responses.iter().filter(|(s, _)| *s != "503") {
            let content = resolve(doc, response, 0)["content"].as_object().cloned().unwrap_or_default();
            for content_type in content.keys() {
                let seen = calls.iter().any(|c| {
                    (&c.method, c.path, c.status.to_string(), &c.content_type)
                        == (method, path.as_str(), status.clone(), content_type)
                });
                if !seen {
                    problems.push(format!("{method} {path} {status} ({content_type}) was never received"));
                }
            }
        }
    }
    problems
}

/// A copy of the document with `property` taken out of the component
/// schema `schema` (wherever in it, `allOf` parts included).
pub fn without_property(doc: &Value, schema: &str, property: &str) -> Value {
    fn strip(v: &mut Value, property: &str, found: &mut bool) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get_mut("properties") {
                    *found |= properties.remove(property).is_some();
                }
                if let Some(Value::Array(required)) = map.get_mut("required") {
                    required.retain(|r| r != property);
                }
                map.values_mut().for_each(|v| strip(v, property, found));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| strip(v, property, found)),
            _ => {}
        }
    }
    let mut doc = doc.clone();
    let mut found = false;
    strip(&mut doc["components"]["schemas"][schema], property, &mut found);
    assert!(found, "{schema} has a property {property}");
    doc
}
