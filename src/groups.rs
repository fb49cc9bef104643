//! Groups in the product's terms: a group's name and its join code, made
//! from random bytes, read back from what a learner typed, and its expiry.
//! No I/O: the random number and the time come in as arguments.

use time::{Duration, OffsetDateTime};

/// How long a join code works after it is made.
pub const CODE_LIFETIME: Duration = Duration::days(14);

/// The characters of a join code: upper-case letters and digits without
/// the ones read one for another (0/O, 1/I/l), so a code read aloud or
/// copied from a projector comes out right.
const ALPHABET: &[u8; 31] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const LENGTH: usize = 8;

/// A join code, held as its eight characters; shown as `ABCD-EFGH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinCode(String);

impl JoinCode {
    /// The code for a random number. 31⁸ (about 8.5 × 10¹¹) codes fit in
    /// the 64 bits many times over, so taking the remainder favours no code
    /// by more than a ten-millionth.
    pub fn from_random(n: u64) -> JoinCode {
        let mut n = n;
        let mut code = String::with_capacity(LENGTH);
        for _ in 0..LENGTH {
            code.push(ALPHABET[(n % ALPHABET.len() as u64) as usize] as char);
            n /= ALPHABET.len() as u64;
        }
        JoinCode(code)
    }

    /// Reads a code as people type it: any case, with or without the dash,
    /// with spaces anywhere. `None` when it cannot be a code at all.
    pub fn parse(input: &str) -> Option<JoinCode> {
        let code: String =
            input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        let fits = code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b));
        fits.then_some(JoinCode(code))
    }

    /// The eight characters, as the database keeps them.
    pub fn as_stored(&self) -> &str {
        &self.0
    }

    /// A code read back from the database, which only ever holds codes
    /// made here (a check constraint says so too).
    pub fn from_stored(stored: String) -> JoinCode {
        JoinCode(stored)
    }
}

impl std::fmt::Display for JoinCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (a, b) = self.0.split_at(self.0.len() / 2);
        write!(f, "{a}-{b}")
    }
}

/// When a code made at `now` stops working.
pub fn expiry(now: OffsetDateTime) -> OffsetDateTime {
    now + CODE_LIFETIME
}

/// Whether a code that stops working at `expires_at` has stopped at `now`.
pub fn is_expired(expires_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    now >= expires_at
}

/// A group's name: what its instructor and its learners see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupName(String);

impl GroupName {
    pub const MAX: usize = 100;

    pub fn parse(input: &str) -> Result<GroupName, &'static str> {
        let name = input.trim();
        if name.is_empty() {
            return Err("Give the group a name, such as “Tuesday evening class”.");
        }
        if name.chars().count() > Self::MAX {
            return Err("The name is too long: at most 100 characters.");
        }
        Ok(GroupName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_code_is_eight_readable_characters_shown_in_two_groups() {
        for n in [0, 1, 30, 31, u64::MAX, 0x0123_4567_89ab_cdef] {
            let code = JoinCode::from_random(n);
            assert_eq!(code.as_stored().len(), 8, "{code}");
            assert!(!code.as_stored().contains(['0', 'O', '1', 'I', 'L']), "{code}");
            let shown = code.to_string();
            assert_eq!(shown.len(), 9);
            assert_eq!(&shown[4..5], "-");
            assert_eq!(JoinCode::parse(&shown), Some(code), "reads back");
        }
        assert_eq!(JoinCode::from_random(0).to_string(), "AAAA-AAAA");
        assert_eq!(JoinCode::from_random(1).to_string(), "BAAA-AAAA");
        assert_ne!(JoinCode::from_random(7), JoinCode::from_random(8));
    }

    #[test]
    fn a_code_is_read_in_any_case_with_or_without_its_dash_and_spaces() {
        let code = JoinCode::parse("ABCD-EFGH").expect("a code");
        for typed in ["abcd efgh", "abcdefgh", " ABCD-efgh ", "ab cd-ef gh", "AbCdEfGh"] {
            assert_eq!(JoinCode::parse(typed).as_ref(), Some(&code), "{typed:?}");
        }
        assert_eq!(code.as_stored(), "ABCDEFGH");
    }

    #[test]
    fn what_cannot_be_a_code_is_not_one() {
        for typed in ["", "ABCD-EFG", "ABCD-EFGHJ", "ABCD-EFG0", "ABCD-EFGI", "abcd-efgl", "ABCD_EFGH", "ÄBCD-EFGH"] {
            assert_eq!(JoinCode::parse(typed), None, "{typed:?}");
        }
    }

    #[test]
    fn a_code_works_for_fourteen_days() {
        let made = datetime!(2026-11-30 12:00 UTC);
        let until = expiry(made);
        assert_eq!(until, datetime!(2026-12-14 12:00 UTC));
        assert!(!is_expired(until, made));
        assert!(!is_expired(until, until - Duration::seconds(1)));
        assert!(is_expired(until, until));
    }

    #[test]
    fn a_group_name_is_trimmed_and_neither_empty_nor_too_long() {
        assert_eq!(GroupName::parse("  Spring cohort ").unwrap().as_str(), "Spring cohort");
        assert!(GroupName::parse("   ").is_err());
        assert!(GroupName::parse(&"é".repeat(100)).is_ok());
        assert!(GroupName::parse(&"é".repeat(101)).is_err());
    }
}
