//! Errors as RFC 9457 problem details (`application/problem+json`): every refused request gets
//! one, with the status, a title and what was wrong.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A refused request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {detail}")]
pub struct Problem {
    /// The HTTP status (400, 404, 405, 408, 413, 422).
    pub status: StatusCode,
    /// What was wrong, for the person reading it.
    pub detail: String,
}

impl Problem {
    /// 400: a parameter that cannot be used, naming it.
    pub fn bad_parameter(name: &str, why: impl std::fmt::Display) -> Self {
        Problem {
            status: StatusCode::BAD_REQUEST,
            detail: format!("query parameter `{name}`: {why}"),
        }
    }

    /// 404: nothing with this id, or no such path.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Problem {
            status: StatusCode::NOT_FOUND,
            detail: detail.into(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = json!({
            "type": "about:blank",
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        let mut response = (self.status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
