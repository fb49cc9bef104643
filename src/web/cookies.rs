//! Reading the Cookie header and writing Set-Cookie, with our flags.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The value of cookie `name`, if the request carries it.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// Names and flags for our cookies. With `secure` the names carry the
/// `__Host-` prefix, which browsers only accept from https, with `Path=/`
/// and no `Domain`: a sibling subdomain cannot plant one.
#[derive(Debug, Clone, Copy)]
pub struct CookieConfig {
    pub secure: bool,
}

pub const SESSION: &str = "mockexam_session";
pub const CSRF: &str = "mockexam_csrf";

impl CookieConfig {
    pub fn name(&self, base: &str) -> String {
        if self.secure { format!("__Host-{base}") } else { base.to_string() }
    }

    /// A session-lifetime cookie (no Max-Age): HttpOnly, Path=/.
    pub fn set(&self, base: &str, value: &str, same_site: &str, max_age_secs: Option<i64>) -> String {
        let mut c = format!("{}={value}; Path=/; HttpOnly; SameSite={same_site}", self.name(base));
        if let Some(age) = max_age_secs {
            c.push_str(&format!("; Max-Age={age}"));
        }
        if self.secure {
            c.push_str("; Secure");
        }
        c
    }

    pub fn clear(&self, base: &str) -> String {
        self.set(base, "", "Lax", Some(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_several() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "a=1; mockexam_session=abc; b=2".parse().unwrap());
        assert_eq!(get(&h, "mockexam_session"), Some("abc"));
        assert_eq!(get(&h, "c"), None);
    }

    #[test]
    fn secure_cookies_use_the_host_prefix() {
        let c = CookieConfig { secure: true }.set(SESSION, "t", "Lax", None);
        assert_eq!(c, "__Host-mockexam_session=t; Path=/; HttpOnly; SameSite=Lax; Secure");
    }
}
