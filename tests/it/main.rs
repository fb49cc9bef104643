//! Integration tests: the real router on a real port against a real
//! PostgreSQL, a fresh database per test.

mod access;
mod accommodations;
mod accounts;
mod admin;
mod api;
mod assignments;
mod backup;
mod bank;
mod blueprints;
mod browser;
mod confidence;
mod content_load;
mod credit;
mod dashboard;
mod exam_day;
mod exam_flow;
mod fuzz;
mod groups;
mod helpers;
mod hostile_client;
mod imports;
mod imports_api;
mod instructor;
mod item_analysis;
mod metrics;
mod notes;
mod openapi;
mod progress;
mod questions;
mod report_inbox;
mod resilience;
mod upgrade;
mod web_basics;
