//! The exam in a real headless Chromium, driven over WebDriver like a
//! learner: by mouse, by keyboard, and with JavaScript switched off.
//!
//! Each test starts its own ChromeDriver on a free port with a fresh
//! profile, and its own app. There are no fixed sleeps: every wait polls a
//! condition and fails after [`web::WAIT`].
//!
//! The WebDriver client is fantoccini, built without its TLS features
//! (ChromeDriver is on 127.0.0.1) over hyper-util's plain `HttpConnector`.
//! Ours are only the ChromeDriver process (`chromedriver`) and the waits and
//! page helpers on top of the client (`web`, `learner`).

mod axe;
mod chromedriver;
mod focus;
mod learner;
mod web;

mod accessibility;
mod accommodations;
mod admin;
mod assignments;
mod autosave;
mod blueprints;
mod class_story;
mod confidence;
mod credit;
mod dashboard;
mod exam_screen;
mod groups;
mod instructor;
mod instructor_story;
mod item_analysis;
mod mouse_and_keyboard;
mod notes;
mod phone;
mod progress;
mod questions;
mod report_inbox;
mod without_javascript;
