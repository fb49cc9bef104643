//! Static files, compiled into the binary so the server runs from any
//! folder and nothing comes from a CDN. URLs carry a content hash, so the
//! files can be cached for a year. Each is compressed once, at the best
//! brotli and gzip levels, when the router is built: the compression layer
//! would otherwise squeeze the same bytes again at a fast level for every
//! browser that asks.

use std::sync::OnceLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use super::AppState;
use super::compress::{self, Effort, Encoding};

const FILES: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../static/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../../static/app.js")),
    ("question-edit.js", "text/javascript; charset=utf-8", include_bytes!("../../static/question-edit.js")),
    ("favicon.svg", "image/svg+xml", include_bytes!("../../static/favicon.svg")),
];

/// A short hash of every static file, appended to asset URLs.
pub fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut hash = Sha256::new();
        for (_, _, bytes) in FILES {
            hash.update(bytes);
        }
        hex::encode(&hash.finalize()[..6])
    })
}

pub fn router() -> Router<AppState> {
    compressed();
    Router::new().route("/static/{file}", get(serve_file))
}

/// A file as sent to a browser that takes brotli, gzip, or neither.
struct Encodings {
    br: Vec<u8>,
    gzip: Vec<u8>,
}

fn compressed() -> &'static [Encodings] {
    static COMPRESSED: OnceLock<Vec<Encodings>> = OnceLock::new();
    COMPRESSED.get_or_init(|| {
        FILES
            .iter()
            .map(|(_, _, bytes)| Encodings {
                br: compress::compress(bytes, Encoding::Brotli, Effort::Best),
                gzip: compress::compress(bytes, Encoding::Gzip, Effort::Best),
            })
            .collect()
    })
}

async fn serve_file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(index) = FILES.iter().position(|(name, _, _)| *name == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (_, content_type, bytes) = FILES[index];
    let encodings = &compressed()[index];
    let encoding = compress::preferred(&headers);
    let body: &'static [u8] = match encoding {
        Some(Encoding::Brotli) => &encodings.br,
        Some(Encoding::Gzip) => &encodings.gzip,
        None => bytes,
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ],
        body,
    )
        .into_response();
    if let Some(encoding) = encoding {
        response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding.name()));
    }
    response
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn each_compressed_copy_unpacks_to_the_file() {
        for ((name, _, bytes), encodings) in FILES.iter().zip(compressed()) {
            let mut from_br = Vec::new();
            brotli::BrotliDecompress(&mut &encodings.br[..], &mut from_br).expect("brotli");
            assert_eq!(&from_br, bytes, "{name} (br)");
            let mut from_gzip = Vec::new();
            flate2::read::GzDecoder::new(&encodings.gzip[..]).read_to_end(&mut from_gzip).expect("gzip");
            assert_eq!(&from_gzip, bytes, "{name} (gzip)");
            assert!(encodings.br.len() < bytes.len() || bytes.len() < 300, "{name} shrinks");
        }
    }
}
