#!/usr/bin/env bash
# Memory under a login flood: the server's RSS before, at its peak, and
# after ROUNDS rounds of CONCURRENCY parallel wrong passwords (distinct
# emails, so hashing, not the throttle, is what is exercised).
#
#   cargo build --release
#   bash bench/login_flood.sh                       # 2 rounds of 200
#   ROUNDS=5 CONCURRENCY=400 bash bench/login_flood.sh
#
# It needs a PostgreSQL for the server: DATABASE_URL, else the embedded
# cluster in a temporary data folder.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-2}
concurrency=${CONCURRENCY:-200}
port=${PORT:-18089}
bin=${BIN:-target/release/mockexam}
work=$(mktemp -d)
export MOCKEXAM_ADDR=127.0.0.1:$port MOCKEXAM_LOGIN_ADDRESS_LIMIT=1000000 MOCKEXAM_DATA_DIR=$work/pg
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -sf "127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
jar=$work/jar
curl -s -c "$jar" "127.0.0.1:$port/login" >/dev/null
csrf=$(awk '/mockexam_csrf/ {print $7}' "$jar")
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
echo "RSS before: $(rss) kB"
(while kill -0 $server 2>/dev/null; do rss >>"$work/rss"; sleep 0.1; done) &
monitor=$!
for round in $(seq 1 "$rounds"); do
  seq 1 "$concurrency" | xargs -P "$concurrency" -I{} curl -s -o /dev/null -w "%{http_code}\n" -b "$jar" \
    -H "Origin: http://127.0.0.1:$port" \
    -d "email=r$round-user{}@example.org&password=wrong-password&csrf_token=$csrf" "127.0.0.1:$port/login" |
    sort | uniq -c | sed "s/^/round $round: /"
done
kill $monitor
echo "RSS peak: $(sort -n "$work/rss" | tail -1) kB"
echo "RSS after: $(rss) kB"
