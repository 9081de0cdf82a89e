//! Transport: one POST per operation, errors read once into [`ApiError`].

use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use graphql_client::GraphQLQuery;
use serde_json::Value;

use super::model::Slot;

/// One booking in the way, as `BOOKING_CONFLICT` lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub slot: Slot,
    /// For a series: the occurrence it is in the way of.
    pub occurrence: Option<Slot>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server could not be reached at all (down, wrong address, network gone).
    Unreachable(String),
    /// The server refused with a code from API.md.
    Refused {
        code: String,
        message: String,
        /// `VALIDATION`: the input field at fault.
        field: Option<String>,
        /// `BOOKING_CONFLICT`: the bookings in the way.
        conflicts: Vec<Conflict>,
        /// `RATE_LIMITED`.
        retry_after_seconds: Option<u64>,
    },
    /// An answer this client does not understand (a server of another version?).
    Protocol(String),
}

impl ApiError {
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }

    /// A refusal with no details (tests build answers with it).
    #[cfg(test)]
    pub fn refused(code: &str, message: &str) -> Self {
        ApiError::Refused {
            code: code.into(),
            message: message.into(),
            field: None,
            conflicts: vec![],
            retry_after_seconds: None,
        }
    }

    fn from_graphql_error(error: &Value) -> Self {
        let ext = &error["extensions"];
        let instant = |v: &Value| {
            v.as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        let conflicts = ext["conflicts"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|c| {
                        let slot = Slot {
                            start: instant(&c["start"])?,
                            end: instant(&c["end"])?,
                        };
                        let occurrence =
                            match (instant(&c["occurrenceStart"]), instant(&c["occurrenceEnd"])) {
                                (Some(start), Some(end)) => Some(Slot { start, end }),
                                _ => None,
                            };
                        Some(Conflict { slot, occurrence })
                    })
                    .collect()
            })
            .unwrap_or_default();
        ApiError::Refused {
            code: ext["code"].as_str().unwrap_or("INTERNAL").to_string(),
            message: error["message"].as_str().unwrap_or_default().to_string(),
            field: ext["field"].as_str().map(str::to_string),
            conflicts,
            retry_after_seconds: ext["retryAfterSeconds"].as_u64(),
        }
    }
}

/// Cheap to clone; the token is shared by every clone (set once signed in).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: String,
    token: Arc<RwLock<Option<String>>>,
}

impl Client {
    pub fn new(server: &str) -> anyhow::Result<Self> {
        let server = server.trim().trim_end_matches('/').to_string();
        Ok(Self {
            http: reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(5))
                .timeout(Duration::from_secs(20))
                .build()?,
            endpoint: format!("{server}/graphql"),
            token: Arc::new(RwLock::new(None)),
        })
    }

    pub fn set_token(&self, token: Option<String>) {
        *self.token.write().expect("token lock") = token;
    }

    /// Runs one typed operation.
    pub async fn run<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, ApiError> {
        let body = Q::build_query(variables);
        let mut request = self.http.post(&self.endpoint).json(&body);
        let token = self.token.read().expect("token lock").clone();
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::Unreachable(e.to_string()))?;
        let status = response.status();
        let body: Value = response.json().await.map_err(|e| {
            if status.is_server_error() {
                // A proxy or a restarting server: as good as unreachable, worth retrying.
                ApiError::Unreachable(format!("HTTP {status}"))
            } else {
                ApiError::Protocol(e.to_string())
            }
        })?;
        if let Some(error) = body.get("errors").and_then(|e| e.get(0)) {
            return Err(ApiError::from_graphql_error(error));
        }
        serde_json::from_value(body["data"].clone()).map_err(|e| ApiError::Protocol(e.to_string()))
    }
}
