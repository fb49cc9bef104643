//! Latencies per request type, and the targets of issue 17 judged.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    LoginPage,
    Login,
    ExamPage,
    Start,
    ItemPage,
    Save,
    Review,
    Submit,
    Result,
}

impl Request {
    pub const ALL: [Request; 9] = [
        Request::LoginPage,
        Request::Login,
        Request::ExamPage,
        Request::Start,
        Request::ItemPage,
        Request::Save,
        Request::Review,
        Request::Submit,
        Request::Result,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Request::LoginPage => "login page",
            Request::Login => "login",
            Request::ExamPage => "exam page",
            Request::Start => "start",
            Request::ItemPage => "item page",
            Request::Save => "save",
            Request::Review => "review",
            Request::Submit => "submit",
            Request::Result => "result",
        }
    }
}

/// Each request's time in microseconds, and the errors, per type. Each
/// examinee keeps their own, merged at the end: no lock on the hot path.
#[derive(Default)]
pub struct Timings {
    micros: [Vec<u32>; 9],
    errors: [u64; 9],
}

impl Timings {
    pub fn add(&mut self, kind: Request, took: Duration) {
        self.micros[kind as usize].push(took.as_micros().min(u32::MAX as u128) as u32);
    }

    pub fn fail(&mut self, kind: Request) {
        self.errors[kind as usize] += 1;
    }

    pub fn merge(&mut self, other: Timings) {
        for (mine, theirs) in self.micros.iter_mut().zip(other.micros) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.errors.iter_mut().zip(other.errors) {
            *mine += theirs;
        }
    }

    pub fn requests(&self) -> usize {
        self.micros.iter().map(Vec::len).sum()
    }

    pub fn errors(&self) -> u64 {
        self.errors.iter().sum()
    }

    /// Prints the table; returns the types whose p99 is over `limit_ms`.
    pub fn print(&mut self, limit_ms: f64) -> Vec<&'static str> {
        println!("| request | count | errors | p50 ms | p99 ms | max ms |");
        println!("|---|---:|---:|---:|---:|---:|");
        let mut slow = Vec::new();
        for kind in Request::ALL {
            let t = &mut self.micros[kind as usize];
            t.sort_unstable();
            let at = |q: f64| {
                if t.is_empty() { 0.0 } else { t[((t.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0 }
            };
            let (p50, p99, max) = (at(0.5), at(0.99), at(1.0));
            println!(
                "| {} | {} | {} | {p50:.1} | {p99:.1} | {max:.1} |",
                kind.name(),
                t.len(),
                self.errors[kind as usize]
            );
            if p99 >= limit_ms {
                slow.push(kind.name());
            }
        }
        slow
    }
}
