//! Integration tests: the real router on a real port against a real
//! PostgreSQL, a fresh database per test.

mod accounts;
mod bank;
mod helpers;
mod web_basics;
