//! mockexam: a self-hosted practice-exam server.

pub mod content;
pub mod exam;
