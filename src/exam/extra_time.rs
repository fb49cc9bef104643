//! Extra time on a mock, as real exams grant it: AWS gives candidates whose
//! first language is not English 30 more minutes, and test centres commonly
//! give half as long again for other needs.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExtraTime {
    #[default]
    None,
    /// 30 more minutes.
    ThirtyMinutes,
    /// Half the time limit again, rounded up to a whole minute.
    HalfAgain,
}

impl ExtraTime {
    pub const ALL: [ExtraTime; 3] = [ExtraTime::None, ExtraTime::ThirtyMinutes, ExtraTime::HalfAgain];

    /// The whole time allowed for an exam whose limit is `limit` minutes.
    pub fn minutes(self, limit: u32) -> u32 {
        match self {
            ExtraTime::None => limit,
            ExtraTime::ThirtyMinutes => limit + 30,
            ExtraTime::HalfAgain => limit + limit.div_ceil(2),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExtraTime::None => "none",
            ExtraTime::ThirtyMinutes => "thirty_minutes",
            ExtraTime::HalfAgain => "half_again",
        }
    }

    pub fn parse(s: &str) -> Option<ExtraTime> {
        ExtraTime::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// How the start form and the result name it.
    pub fn label(self) -> &'static str {
        match self {
            ExtraTime::None => "No extra time",
            ExtraTime::ThirtyMinutes => "+30 minutes",
            ExtraTime::HalfAgain => "+50%",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_time_adds_thirty_minutes_or_half_again_rounded_up() {
        assert_eq!(ExtraTime::None.minutes(130), 130);
        assert_eq!(ExtraTime::ThirtyMinutes.minutes(130), 160);
        assert_eq!(ExtraTime::HalfAgain.minutes(130), 195);
        assert_eq!(ExtraTime::HalfAgain.minutes(15), 23);
    }

    #[test]
    fn names_read_back() {
        for e in ExtraTime::ALL {
            assert_eq!(ExtraTime::parse(e.as_str()), Some(e));
        }
        assert_eq!(ExtraTime::parse("lots"), None);
        assert_eq!(ExtraTime::default(), ExtraTime::None);
        let labels: Vec<&str> = ExtraTime::ALL.iter().map(|e| e.label()).collect();
        assert_eq!(labels, ["No extra time", "+30 minutes", "+50%"]);
    }
}
