//! wrk, the load generator, as a separate process: the Lua scripts that
//! walk the learner's items, the run, and what its report says.

use std::path::{Path, PathBuf};

/// What wrk loads: a server, and the script that makes its requests.
pub struct Target {
    pub name: &'static str,
    pub url: String,
    pub script: PathBuf,
}

/// wrk's threads: one per core. wrk runs beside the servers on the same
/// two cores, as a load generator on the machine would.
const THREADS: u32 = 2;

/// The figures of one wrk run.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    pub requests_per_second: f64,
    pub p99_ms: f64,
    /// Answers that were neither 2xx nor 3xx.
    pub non_2xx: u64,
    /// Requests that got no answer: connect, read and write errors, and
    /// timeouts (wrk's default: 2 s).
    pub errors: u64,
    /// The answers by status, where the script counts them (`200=… 409=…`).
    pub statuses: Option<String>,
}

/// Runs wrk against `target` and reads its report. wrk itself failing (or
/// a report without its figures) is an error; requests that failed are
/// counted in what it returns.
pub async fn run(target: &Target, connections: u32, seconds: u64) -> anyhow::Result<Measured> {
    let output = tokio::process::Command::new("wrk")
        .arg(format!("-t{THREADS}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        .arg("--latency")
        .arg("-s")
        .arg(&target.script)
        .arg(&target.url)
        .output()
        .await
        .map_err(|e| anyhow::anyhow!("cannot run wrk ({e}): apt-get install -y wrk"))?;
    let report = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(
        output.status.success(),
        "wrk failed on {}: {}\n{report}",
        target.name,
        String::from_utf8_lossy(&output.stderr)
    );
    parse(&report).ok_or_else(|| anyhow::anyhow!("cannot read wrk's report on {}:\n{report}", target.name))
}

/// Reads wrk's report (with `--latency`): requests per second, the 99th
/// percentile, failed requests and the script's status counts.
fn parse(report: &str) -> Option<Measured> {
    let mut measured = Measured::default();
    let (mut rate, mut p99) = (None, None);
    for line in report.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            rate = rest.trim().parse().ok();
        } else if let Some(rest) = line.strip_prefix("99%") {
            p99 = milliseconds(rest.trim());
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            measured.non_2xx = rest.trim().parse().ok()?;
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            for part in rest.split(',') {
                measured.errors += part.split_whitespace().nth(1)?.parse::<u64>().ok()?;
            }
        } else if let Some(rest) = line.strip_prefix("statuses") {
            measured.statuses = Some(rest.trim().to_string());
        }
    }
    measured.requests_per_second = rate?;
    measured.p99_ms = p99?;
    Some(measured)
}

/// A wrk duration ("850.00us", "9.87ms", "1.02s", "1.50m") in ms.
fn milliseconds(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    Some(number * factor)
}

/// Lua for a table of request headers.
fn headers(pairs: &[(&str, &str)]) -> String {
    let fields: Vec<String> = pairs.iter().map(|(name, value)| format!("[{name:?}] = {value:?}")).collect();
    format!("{{ {} }}", fields.join(", "))
}

/// Who a script's requests are made as: a path prefix and its headers
/// (a learner's items and cookie, or the floor's unsigned paths).
pub struct Caller {
    pub prefix: String,
    pub headers: Vec<(&'static str, String)>,
}

impl Caller {
    /// Lua for this caller's request to `{prefix}{suffix}`, where
    /// `suffix` is more Lua.
    fn lua(&self, suffix: &str) -> String {
        let pairs: Vec<(&str, &str)> = self.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        format!("{{ path = {:?} .. {suffix}, headers = {} }}", self.prefix, headers(&pairs))
    }
}

/// A script that reads the items 1..=items of every caller, one caller
/// after another (so that concurrent requests are different learners'
/// as on exam day), each thread from the start.
pub fn pages(dir: &Path, file: &str, callers: &[Caller], items: usize) -> anyhow::Result<PathBuf> {
    let callers: Vec<String> = callers.iter().map(|c| c.lua("\"\"")).collect();
    let script = format!(
        "-- Reads every caller's items in turn, one caller after another.\n\
         local callers = {{ {callers} }}\n\
         local k = 0\n\
         request = function()\n  \
           local caller = callers[k % #callers + 1]\n  \
           local n = math.floor(k / #callers) % {items} + 1\n  \
           k = k + 1\n  \
           return wrk.format(\"GET\", caller.path .. n, caller.headers)\n\
         end\n",
        callers = callers.join(",\n  "),
    );
    write(dir, file, &script)
}

/// A script that saves single-answer items as the page's script does: a
/// JSON body with a rising `seq`, the chosen option, the flag, the struck
/// options and when the page was shown. `items` are each caller's
/// single-answer positions; every (caller, position) is one item. Each wrk
/// thread answers its own share of the items, in an order that moves from
/// caller to caller, so the `seq` of every item rises; two saves of one item
/// can still cross on different connections of a thread, and the older one
/// is refused as stale (409), which does the same work. `first_seq` must
/// exceed every `seq` saved before.
///
/// It counts the answers by status and prints them (`statuses 200=… 409=…`)
/// at the end: that costs wrk the same on every server it is run against.
pub fn saves(dir: &Path, file: &str, items: &[(Caller, Vec<i32>)], first_seq: i64) -> anyhow::Result<PathBuf> {
    let longest = items.iter().map(|(_, positions)| positions.len()).max().unwrap_or(0);
    // Position by position across the callers: neighbouring requests are
    // different learners'.
    let mut all = Vec::new();
    for i in 0..longest {
        for (caller, positions) in items {
            if let Some(position) = positions.get(i) {
                all.push(caller.lua(&format!("\"{position}\"")));
            }
        }
    }
    let shown_at = time::OffsetDateTime::now_utc().unix_timestamp();
    let script = format!(
        r#"-- Saves single-answer items, each wrk thread its own share.
local items = {{ {all} }}
local threads = {{}}
local started = 0

function setup(thread)
  thread:set("id", started)
  started = started + 1
  table.insert(threads, thread)
end

local mine = {{}}
local k = 0
local seq = {first_seq}
statuses = {{}}

function init(args)
  for i, item in ipairs(items) do
    if (i - 1) % {THREADS} == id then table.insert(mine, item) end
  end
end

request = function()
  k = k % #mine + 1
  seq = seq + 1
  local body = string.format(
    '{{"seq":%d,"response":{{"choice":[%d]}},"flagged":%s,"struck":[],"shown_at":{shown_at}}}',
    seq, seq % 4, (seq % 7 == 0) and "true" or "false")
  return wrk.format("POST", mine[k].path, mine[k].headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {{}}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {{}}
  for status, count in pairs(total) do table.insert(parts, status .. "=" .. count) end
  table.sort(parts)
  print("statuses " .. table.concat(parts, " "))
end
"#,
        all = all.join(",\n  "),
    );
    write(dir, file, &script)
}

fn write(dir: &Path, file: &str, script: &str) -> anyhow::Result<PathBuf> {
    let path = dir.join(file);
    std::fs::write(&path, script)?;
    Ok(path)
}
