//! mockexam: a self-hosted practice-exam server.

pub mod account;
pub mod clock;
pub mod config;
pub mod content;
pub mod db;
pub mod exam;
pub mod store;
pub mod web;
