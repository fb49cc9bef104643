//! Compression of what the server sends, for browsers that ask for it.
//!
//! Every body this server makes is already whole in memory (pages, JSON,
//! CSV, the static files), so each is compressed in one call with a window
//! sized to it. tower-http's layer streams instead, and its brotli encoder
//! sets up buffers for a 4 MB window on every response: zeroing those cost
//! more than the rest of the item page together (`perf`, BENCHMARKS.md).

use std::io::Write;

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }
}

/// Brotli if the browser takes it, else gzip, else none: what an
/// `Accept-Encoding` header allows, by our preference rather than its
/// order (every browser that takes one takes both at the same weight).
pub fn preferred(headers: &HeaderMap) -> Option<Encoding> {
    let accepted = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    preferred_of(accepted)
}

fn preferred_of(accept_encoding: &str) -> Option<Encoding> {
    let takes = |wanted: &str| {
        accept_encoding.split(',').any(|part| {
            let mut fields = part.split(';').map(str::trim);
            let name = fields.next().unwrap_or_default();
            let refused = fields.any(|f| f.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0));
            (name.eq_ignore_ascii_case(wanted) || name == "*") && !refused
        })
    };
    [Encoding::Brotli, Encoding::Gzip].into_iter().find(|e| takes(e.name()))
}

/// How hard to try: `Fast` for each response, `Best` for files compressed
/// once. Brotli 2 rather than 4 for a 10 KB item page: 58 against 105 µs,
/// for 2,341 against 2,164 bytes (BENCHMARKS.md); gzip 4, as CDNs do.
#[derive(Debug, Clone, Copy)]
pub enum Effort {
    Fast,
    Best,
}

pub fn compress(bytes: &[u8], encoding: Encoding, effort: Effort) -> Vec<u8> {
    match encoding {
        Encoding::Brotli => {
            // The window need not be larger than the body (2^10 to 2^22).
            let window = (usize::BITS - bytes.len().max(1).leading_zeros()).clamp(10, 22) as i32;
            let params = brotli::enc::BrotliEncoderParams {
                quality: match effort {
                    Effort::Fast => 2,
                    Effort::Best => 11,
                },
                lgwin: window,
                size_hint: bytes.len(),
                ..Default::default()
            };
            let mut out = Vec::with_capacity(bytes.len() / 4);
            brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("compressing in memory cannot fail");
            out
        }
        Encoding::Gzip => {
            let level = match effort {
                Effort::Fast => flate2::Compression::new(4),
                Effort::Best => flate2::Compression::best(),
            };
            let mut gzip = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), level);
            gzip.write_all(bytes).expect("compressing in memory cannot fail");
            gzip.finish().expect("compressing in memory cannot fail")
        }
    }
}

/// Below this a compressed body saves too little to be worth the work.
const SMALLEST: usize = 1024;

fn compressible(headers: &HeaderMap) -> bool {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/json"
                | "application/problem+json"
                | "application/xml"
                | "image/svg+xml"
                | "application/schema+json"
        )
}

/// The layer: compresses a response the browser can take compressed,
/// unless it already is (the static files come compressed).
pub async fn layer(req: Request, next: Next) -> Response {
    let encoding = if req.method() == Method::HEAD { None } else { preferred(req.headers()) };
    let response = next.run(req).await;
    let Some(encoding) = encoding else { return response };
    let status = response.status();
    if status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || response.headers().contains_key(header::CONTENT_ENCODING)
        || !compressible(response.headers())
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Every body here is already in memory; this only joins it.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!(error = %e, "a response body failed before it could be compressed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    parts.headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    if bytes.len() < SMALLEST {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let compressed = compress(&bytes, encoding, Effort::Fast);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding.name()));
    Response::from_parts(parts, Body::from(compressed))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn brotli_is_preferred_then_gzip_then_none() {
        assert_eq!(preferred_of("gzip, deflate, br, zstd"), Some(Encoding::Brotli));
        assert_eq!(preferred_of("gzip, deflate"), Some(Encoding::Gzip));
        assert_eq!(preferred_of("GZIP"), Some(Encoding::Gzip));
        assert_eq!(preferred_of("br;q=0, gzip;q=0.5"), Some(Encoding::Gzip));
        assert_eq!(preferred_of("br;q=0, gzip;q=0"), None);
        assert_eq!(preferred_of("*"), Some(Encoding::Brotli));
        assert_eq!(preferred_of("identity"), None);
        assert_eq!(preferred_of(""), None);
    }

    #[test]
    fn every_size_and_effort_unpacks_to_what_went_in() {
        let page = "<li><button name=action value=goto-1>1</button></li>\n".repeat(400);
        for size in [0, 1, 100, 1023, 1024, 5000, page.len()] {
            let bytes = &page.as_bytes()[..size];
            for effort in [Effort::Fast, Effort::Best] {
                let mut back = Vec::new();
                let br = compress(bytes, Encoding::Brotli, effort);
                brotli::BrotliDecompress(&mut &br[..], &mut back).expect("brotli");
                assert_eq!(back, bytes, "br {size} {effort:?}");
                let mut back = Vec::new();
                let gz = compress(bytes, Encoding::Gzip, effort);
                flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut back).expect("gzip");
                assert_eq!(back, bytes, "gzip {size} {effort:?}");
                if size > 1000 {
                    assert!(br.len() * 4 < size && gz.len() * 4 < size, "{size} {effort:?} shrinks");
                }
            }
        }
    }

    #[test]
    fn pages_json_and_csv_are_compressible_images_and_zips_are_not() {
        let of = |t: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_str(t).unwrap());
            compressible(&h)
        };
        assert!(of("text/html; charset=utf-8"));
        assert!(of("application/json"));
        assert!(of("application/problem+json"));
        assert!(of("text/csv; charset=utf-8"));
        assert!(of("image/svg+xml"));
        assert!(!of("image/png"));
        assert!(!of("application/zip"));
        assert!(!compressible(&HeaderMap::new()));
    }
}
