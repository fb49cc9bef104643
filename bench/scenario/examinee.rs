//! One virtual examinee: a browser of their own (a cookie jar, keep-alive
//! connections), doing over HTTP what the pages and static/app.js do: log
//! in, wait for the proctor's "you may begin", start the mock, answer every
//! item with think time (saving as the page's script does), flag a few,
//! review, submit, read the result.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use mockexam::exam::display::DisplayResponse;
use rand::Rng;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, LOCATION};
use serde_json::json;
use tokio::time::sleep_until;
use uuid::Uuid;

use super::Run;
use super::report::{Request, Timings};

/// A save the server acknowledged: what it must hold afterwards.
pub struct Ack {
    pub position: i32,
    pub seq: i64,
    pub response: DisplayResponse,
    pub flagged: bool,
}

/// What one examinee did: the attempt, its acknowledged saves, the times.
pub struct Record {
    pub attempt: Option<Uuid>,
    pub acks: Vec<Ack>,
    pub timings: Timings,
    pub finished: bool,
}

/// How often a person tries again after an error page or a lost connection
/// before giving up on the exam.
const TRIES: usize = 3;

/// The same header as Chrome sends: the server's compression is exam day's load too.
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

struct Page {
    location: Option<String>,
    body: String,
}

pub async fn sit(run: Arc<Run>, number: usize, login_at: Instant, start_at: Instant) -> Record {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    // Logins made beforehand in the database: the session cookie is set
    // as if this browser had logged in.
    if let Some(token) = run.sessions.get(number) {
        let url = run.base.parse().expect("the server's address is a URL");
        jar.add_cookie_str(&format!("mockexam_session={token}; Path=/"), &url);
    }
    let mut me = Examinee {
        run: run.clone(),
        http: reqwest::Client::builder()
            .cookie_provider(jar)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .expect("a client without TLS builds"),
        record: Record { attempt: None, acks: Vec::new(), timings: Timings::default(), finished: false },
    };
    if me.exam(number, login_at, start_at).await.is_some() {
        me.record.finished = true;
    }
    run.counts.done.fetch_add(1, Ordering::SeqCst);
    me.record
}

struct Examinee {
    run: Arc<Run>,
    http: reqwest::Client,
    record: Record,
}

impl Examinee {
    /// The whole sitting; `None` when the examinee gave up after errors.
    async fn exam(&mut self, number: usize, login_at: Instant, start_at: Instant) -> Option<()> {
        let base = self.run.base.clone();
        sleep_until(login_at.into()).await;
        if self.run.sessions.is_empty() {
            self.log_in(number).await?;
        }
        let exam = self.get(Request::ExamPage, &format!("{base}/exams/{}", super::EXAM)).await?;
        let csrf = meta_csrf(&exam.body)?;

        // Everyone waits for the common start, then presses Start within the window.
        let window = self.run.sitting.start_window.as_secs_f64();
        let press = start_at + Duration::from_secs_f64(rand::rng().random_range(0.0..=window));
        sleep_until(press.into()).await;
        let attempt = self.start(&csrf).await?;
        self.record.attempt = Some(attempt);
        self.run.counts.started.fetch_add(1, Ordering::Relaxed);

        let mut position = 1;
        let mut total = 1;
        while position <= total {
            let page = self.get(Request::ItemPage, &format!("{base}/attempts/{attempt}/items/{position}")).await?;
            let item = Item::read(&page.body, position)?;
            total = item.total;
            self.think().await;
            let response = item.answer(&mut rand::rng());
            let url = format!("{base}/attempts/{attempt}/items/{position}");
            let seq = self.save(&url, &item, item.seq, &response, false).await?;
            // About one item in fifteen is flagged: the page's script saves again.
            if rand::rng().random_ratio(1, 15) {
                self.save(&url, &item, seq + 1, &response, true).await?;
            }
            position += 1;
        }

        let review = self.get(Request::Review, &format!("{base}/attempts/{attempt}/review")).await?;
        let csrf = meta_csrf(&review.body)?;
        self.post_form(Request::Submit, &format!("{base}/attempts/{attempt}/submit"), &[("csrf_token", csrf.as_str())])
            .await?;
        self.run.counts.submitted.fetch_add(1, Ordering::Relaxed);
        self.get(Request::Result, &format!("{base}/attempts/{attempt}/result")).await?;
        Some(())
    }

    async fn log_in(&mut self, number: usize) -> Option<()> {
        let base = self.run.base.clone();
        for _ in 0..TRIES {
            let page = self.get(Request::LoginPage, &format!("{base}/login")).await?;
            let csrf = meta_csrf(&page.body)?;
            let email = super::email(number);
            let form =
                [("csrf_token", csrf.as_str()), ("next", ""), ("email", email.as_str()), ("password", super::PASSWORD)];
            // A refused login (the hashing is busy: 503) is an error the
            // examinee sees; they press the button again a moment later.
            if self.post_form(Request::Login, &format!("{base}/login"), &form).await.is_some() {
                return Some(());
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        None
    }

    /// Presses Start; after an error page (503: the server's pool was
    /// busy, nothing was started) the examinee presses it again.
    async fn start(&mut self, csrf: &str) -> Option<Uuid> {
        let url = format!("{}/exams/{}/attempts", self.run.base, super::EXAM);
        for _ in 0..TRIES {
            let form = [("csrf_token", csrf), ("mode", "exam"), ("extra_time", "none")];
            if let Some(started) = self.post_form(Request::Start, &url, &form).await {
                return attempt_id(started.location.as_deref()?);
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        None
    }

    async fn think(&self) {
        let (min, max) = (self.run.sitting.think_min, self.run.sitting.think_max);
        let seconds = if max > min { rand::rng().random_range(min..=max) } else { min };
        tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    }

    /// The JSON save of static/app.js, tried again as the script does after
    /// a lost connection or a server error (with the next seq). Returns the
    /// acknowledged seq.
    async fn save(
        &mut self,
        url: &str,
        item: &Item,
        mut seq: i64,
        response: &DisplayResponse,
        flagged: bool,
    ) -> Option<i64> {
        for _ in 0..TRIES {
            let body = json!({
                "seq": seq, "response": response, "flagged": flagged, "struck": [], "shown_at": item.shown_at,
            });
            let begun = Instant::now();
            let sent = self
                .http
                .post(url)
                .header("x-csrf-token", &item.csrf)
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string())
                .send()
                .await;
            let reply = match sent {
                Ok(r) => {
                    let status = r.status();
                    r.json::<serde_json::Value>().await.map(|v| (status, v))
                }
                Err(e) => Err(e),
            };
            self.record.timings.add(Request::Save, begun.elapsed());
            match reply {
                Ok((status, v)) if status.is_success() && v["status"] == "saved" && v["seq"].as_i64() == Some(seq) => {
                    self.record.acks.push(Ack { position: item.position, seq, response: response.clone(), flagged });
                    self.run.counts.saves.fetch_add(1, Ordering::Relaxed);
                    return Some(seq);
                }
                Ok((status, v)) => self.error(Request::Save, format!("{url}: {status} {v}")),
                Err(e) => self.error(Request::Save, format!("{url}: {e}")),
            }
            seq += 1;
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
        None
    }

    async fn get(&mut self, kind: Request, url: &str) -> Option<Page> {
        for _ in 0..TRIES {
            let sent = self.http.get(url).header(ACCEPT_ENCODING, BROWSER_ENCODINGS);
            if let Some(page) = self.send(kind, url, sent).await {
                return Some(page);
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        None
    }

    /// A form post as the browser sends it; one try: a person does not
    /// post a form twice without looking at what came back.
    async fn post_form(&mut self, kind: Request, url: &str, form: &[(&str, &str)]) -> Option<Page> {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        let sent = self
            .http
            .post(url)
            .header(ACCEPT_ENCODING, BROWSER_ENCODINGS)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        self.send(kind, url, sent).await
    }

    /// Sends, reads the whole page, times both; a page a browser would show
    /// as an error (not 2xx or 3xx), or no page at all, is an error.
    async fn send(&mut self, kind: Request, url: &str, request: reqwest::RequestBuilder) -> Option<Page> {
        let begun = Instant::now();
        let result = async {
            let r = request.send().await?;
            let status = r.status();
            let location = r.headers().get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let encoding = r.headers().get(CONTENT_ENCODING).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let bytes = r.bytes().await?;
            Ok::<_, reqwest::Error>((status, location, encoding, bytes))
        }
        .await;
        self.record.timings.add(kind, begun.elapsed());
        match result {
            Ok((status, location, encoding, bytes)) => {
                let body = match decode(encoding.as_deref(), &bytes) {
                    Ok(body) => body,
                    Err(e) => {
                        self.error(kind, format!("{url}: {e}"));
                        return None;
                    }
                };
                if status.is_success() || status.is_redirection() {
                    Some(Page { location, body })
                } else {
                    let start: String = body.chars().take(200).collect();
                    self.error(kind, format!("{url}: {status} {start}"));
                    None
                }
            }
            Err(e) => {
                self.error(kind, format!("{url}: {e}"));
                None
            }
        }
    }

    fn error(&mut self, kind: Request, message: String) {
        self.record.timings.fail(kind);
        self.run.note_error(kind, message);
    }
}

fn decode(encoding: Option<&str>, bytes: &[u8]) -> Result<String, String> {
    let bytes = match encoding {
        None | Some("identity") => bytes.to_vec(),
        Some("br") => {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut brotli::Decompressor::new(bytes, 4096), &mut out)
                .map_err(|e| format!("unreadable br body: {e}"))?;
            out
        }
        Some(other) => return Err(format!("Content-Encoding {other} not read by the bench")),
    };
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// `/attempts/<id>/…`, where starting a mock sends the browser.
fn attempt_id(location: &str) -> Option<Uuid> {
    location.strip_prefix("/attempts/")?.split('/').next()?.parse().ok()
}

/// The token the page's script sends, from `<meta name="csrf-token">`.
fn meta_csrf(html: &str) -> Option<String> {
    attribute_after(html, r#"name="csrf-token""#, "content")
}

/// The value of `attribute` in the first tag holding `marker`.
fn attribute_after(html: &str, marker: &str, attribute: &str) -> Option<String> {
    let at = html.find(marker)?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let needle = format!("{attribute}=\"");
    let value = &tag[tag.find(&needle)? + needle.len()..];
    Some(value[..value.find('"')?].to_string())
}

/// What an item page tells the script: its kind, seq, options.
struct Item {
    position: i32,
    total: i32,
    kind: String,
    seq: i64,
    shown_at: i64,
    csrf: String,
    /// single and multiple: the options shown; ordering: the steps;
    /// matching: the answers each prompt can take.
    options: usize,
    /// multiple: how many to choose.
    select: usize,
    /// matching: the prompts.
    prompts: usize,
}

impl Item {
    fn read(html: &str, position: i32) -> Option<Item> {
        let title = format!("Question {position} of ");
        let after = &html[html.find(&title)? + title.len()..];
        let total = after[..after.find(|c: char| !c.is_ascii_digit())?].parse().ok()?;
        let kind = attribute_after(html, "id=\"item-form\"", "data-kind")?;
        let seq = attribute_after(html, r#"name="seq""#, "value")?.parse().ok()?;
        let shown_at = attribute_after(html, r#"name="shown_at""#, "value")?.parse().ok()?;
        let csrf = meta_csrf(html)?;
        let (options, select, prompts) = match kind.as_str() {
            "single" | "multiple" => {
                let options = html.matches(r#"name="choice""#).count();
                let select = match html.find("class=\"select-count\"") {
                    Some(at) => {
                        let text = &html[at..];
                        let text = &text[text.find("Select ")? + 7..];
                        text[..text.find(' ')?].parse().ok()?
                    }
                    None => 1,
                };
                (options, select, 0)
            }
            "ordering" => (html.matches(r#"name="rank-"#).count(), 0, 0),
            "matching" => {
                let prompts = html.matches(r#"name="match-"#).count();
                let first = &html[html.find(r#"name="match-"#)?..];
                let first = &first[..first.find("</select>")?];
                let answers = first.matches("<option value=\"").count() - first.matches("<option value=\"\"").count();
                (answers, 0, prompts)
            }
            _ => return None,
        };
        Some(Item { position, total, kind, seq, shown_at, csrf, options, select, prompts })
    }

    /// A valid answer of the item's kind, in display positions, as the
    /// server's `to_display` would give it back (choices sorted).
    fn answer(&self, rng: &mut impl Rng) -> DisplayResponse {
        let mut shuffled: Vec<usize> = (0..self.options).collect();
        rand::seq::SliceRandom::shuffle(&mut shuffled[..], rng);
        match self.kind.as_str() {
            "single" | "multiple" => {
                let mut choice: Vec<usize> = shuffled.into_iter().take(self.select.max(1)).collect();
                choice.sort_unstable();
                DisplayResponse { choice: Some(choice), ..Default::default() }
            }
            "ordering" => {
                DisplayResponse { ranks: Some(shuffled.into_iter().map(Some).collect()), ..Default::default() }
            }
            _ => DisplayResponse {
                matches: Some((0..self.prompts).map(|_| Some(rng.random_range(0..self.options))).collect()),
                ..Default::default()
            },
        }
    }
}
