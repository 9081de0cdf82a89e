//! A small typed GraphQL client. Operations live in `operations/*.graphql`; a test validates
//! each one against the server's schema (`api/schema.graphql` is generated from it).

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub const LOGIN: &str = include_str!("operations/login.graphql");
pub const LOGOUT: &str = include_str!("operations/logout.graphql");
pub const SITES: &str = include_str!("operations/sites.graphql");

/// Every operation, for the schema check.
#[cfg(test)]
pub const ALL_OPERATIONS: [(&str, &str); 3] =
    [("login", LOGIN), ("logout", LOGOUT), ("sites", SITES)];

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct SiteRow {
    pub id: String,
    pub name: String,
    pub timezone: String,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The server could not be reached at all.
    Unreachable(String),
    /// The server answered with a GraphQL error and its `extensions.code`.
    Graphql {
        code: String,
        message: String,
        retry_after_seconds: Option<u64>,
    },
    /// The answer was not what this client expects (version mismatch?).
    Protocol(String),
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: String,
    pub server: String,
    token: Option<String>,
}

impl Client {
    pub fn new(server: &str) -> anyhow::Result<Self> {
        let server = server.trim_end_matches('/').to_string();
        Ok(Self {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()?,
            endpoint: format!("{server}/graphql"),
            server,
            token: None,
        })
    }

    pub fn set_token(&mut self, token: Option<String>) {
        self.token = token;
    }

    pub async fn execute<T: DeserializeOwned>(
        &self,
        query: &str,
        variables: Value,
        field: &str,
    ) -> Result<T, ApiError> {
        let mut request = self
            .http
            .post(&self.endpoint)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::Unreachable(e.to_string()))?;
        let body: Value = response
            .json()
            .await
            .map_err(|e| ApiError::Protocol(e.to_string()))?;
        if let Some(error) = body.get("errors").and_then(|e| e.get(0)) {
            return Err(ApiError::Graphql {
                code: error["extensions"]["code"]
                    .as_str()
                    .unwrap_or("INTERNAL")
                    .to_string(),
                message: error["message"].as_str().unwrap_or_default().to_string(),
                retry_after_seconds: error["extensions"]["retryAfterSeconds"].as_u64(),
            });
        }
        serde_json::from_value(body["data"][field].clone())
            .map_err(|e| ApiError::Protocol(e.to_string()))
    }

    pub async fn login(&self, email: &str, password: &str) -> Result<(String, Me), ApiError> {
        #[derive(Deserialize)]
        struct Session {
            token: String,
            user: Me,
        }
        let session: Session = self
            .execute(
                LOGIN,
                json!({ "email": email, "password": password }),
                "login",
            )
            .await?;
        Ok((session.token, session.user))
    }

    pub async fn logout(&self) -> Result<bool, ApiError> {
        self.execute(LOGOUT, json!({}), "logout").await
    }

    pub async fn sites(&self) -> Result<Vec<SiteRow>, ApiError> {
        self.execute(SITES, json!({}), "sites").await
    }
}

#[cfg(test)]
mod tests {
    use lieu_api::config::{Config, DatabaseConfig};

    /// Every operation of this client passes the server schema's validation (an error without
    /// `extensions.code` is a validation error; resolver errors such as a bad login are fine).
    #[tokio::test]
    async fn operations_are_valid_against_the_server_schema() {
        let database = DatabaseConfig {
            url: "sqlite::memory:".into(),
            pool_size: Some(1),
        };
        let config = Config::new(database, "127.0.0.1:0".parse().unwrap());
        // Executed without a request context: validation errors come back without a code,
        // resolver errors (here, the missing context itself) with one.
        let schema = lieu_api::graphql::build_schema(&config);
        for (name, operation) in super::ALL_OPERATIONS {
            let variables = async_graphql_value(
                serde_json::json!({"email": "a@b.org", "password": "wrong password"}),
            );
            let response = schema
                .execute(lieu_api::graphql::Request::new(operation).variables(variables))
                .await;
            for error in &response.errors {
                let coded = error
                    .extensions
                    .as_ref()
                    .is_some_and(|e| e.get("code").is_some());
                assert!(
                    coded,
                    "operation {name} does not validate: {}",
                    error.message
                );
            }
        }
    }

    fn async_graphql_value(json: serde_json::Value) -> lieu_api::graphql::Variables {
        lieu_api::graphql::Variables::from_json(json)
    }
}
