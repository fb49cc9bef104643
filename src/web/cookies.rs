//! Our cookies: their names and flags. Parsing and `Set-Cookie` are the
//! `cookie` crate's (through axum-extra).

use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

pub const SESSION: &str = "mockexam_session";
pub const CSRF: &str = "mockexam_csrf";

/// The value of our cookie `base`, if the request carries it.
pub fn get(headers: &HeaderMap, config: CookieConfig, base: &str) -> Option<String> {
    CookieJar::from_headers(headers).get(&config.name(base)).map(|c| c.value().to_string())
}

/// Names and flags for our cookies. With `secure` the names carry the
/// `__Host-` prefix, which browsers only accept from https, with `Path=/`
/// and no `Domain`: a sibling subdomain cannot plant one.
#[derive(Debug, Clone, Copy)]
pub struct CookieConfig {
    pub secure: bool,
}

impl CookieConfig {
    pub fn name(&self, base: &str) -> String {
        if self.secure { format!("__Host-{base}") } else { base.to_string() }
    }

    /// An HttpOnly, SameSite=Lax cookie on `/`; without `max_age` it lasts
    /// as long as the browser session.
    pub fn set(&self, base: &str, value: String, max_age: Option<time::Duration>) -> Cookie<'static> {
        let mut cookie = Cookie::build((self.name(base), value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .build();
        if let Some(age) = max_age {
            cookie.set_max_age(age);
        }
        cookie
    }

    pub fn clear(&self, base: &str) -> Cookie<'static> {
        self.set(base, String::new(), Some(time::Duration::ZERO))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::COOKIE;

    #[test]
    fn finds_a_cookie_among_several() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "a=1; mockexam_session=abc; b=2".parse().unwrap());
        let plain = CookieConfig { secure: false };
        assert_eq!(get(&h, plain, SESSION).as_deref(), Some("abc"));
        assert_eq!(get(&h, plain, CSRF), None);
    }

    #[test]
    fn secure_cookies_use_the_host_prefix() {
        let c = CookieConfig { secure: true }.set(SESSION, "t".into(), None);
        assert_eq!(c.to_string(), "__Host-mockexam_session=t; HttpOnly; SameSite=Lax; Secure; Path=/");
    }
}
