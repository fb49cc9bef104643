//! Small constructors for hand-built histories, shared by the rule tests.

use time::{Date, Duration, Month, OffsetDateTime, Time};
use uuid::Uuid;

use super::{Answer, Confidence};
use crate::exam::{Blueprint, Domain, Mode, Scale};

/// Four domains weighted 28/26/22/24, scale 100–1000, pass 720.
pub fn blueprint() -> Blueprint {
    let domain = |code: &str, weight| Domain { code: code.into(), name: code.into(), weight };
    Blueprint {
        slug: "mla-c01".into(),
        title: "MLA".into(),
        domains: vec![domain("D1", 28), domain("D2", 26), domain("D3", 22), domain("D4", 24)],
        question_count: 65,
        time_limit_minutes: 130,
        scale: Scale { min: 100, max: 1000, pass: 720 },
        unscored_count: 15,
    }
}

/// Day 0 is 1 November 2026.
pub fn date(day: i64) -> Date {
    Date::from_calendar_date(2026, Month::November, 1).expect("a real date") + Duration::days(day)
}

/// Noon of `day`, plus `minute` minutes.
pub fn at(day: i64, minute: i64) -> OffsetDateTime {
    date(day).with_time(Time::from_hms(12, 0, 0).expect("noon is a time")).assume_utc() + Duration::minutes(minute)
}

pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// A scored practice answer to question `q` (attempt id 0).
pub fn answer(q: u128, domain: &str, when: OffsetDateTime, correct: bool, confidence: Option<Confidence>) -> Answer {
    Answer {
        attempt: Uuid::nil(),
        mode: Mode::Practice,
        question: id(q),
        domain: domain.into(),
        scored: true,
        at: when,
        correct,
        confidence,
        fresh: false,
    }
}

pub fn right(q: u128, domain: &str, when: OffsetDateTime) -> Answer {
    answer(q, domain, when, true, None)
}

pub fn wrong(q: u128, domain: &str, when: OffsetDateTime) -> Answer {
    answer(q, domain, when, false, None)
}
