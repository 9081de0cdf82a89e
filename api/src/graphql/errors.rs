//! The last line of the error boundary: after a document ran, every error of the response
//! carries a code, and none carries internal text.
//!
//! Resolvers return `AppResult`, so their errors are coded by `From<AppError>` already. What
//! else can arrive without a code:
//! - errors of the request itself (syntax, unknown fields, depth or complexity limits,
//!   validation rules): they have no path, they are the caller's input: `VALIDATION`;
//! - input values that async-graphql refuses while a field runs (a string where an Int goes, a
//!   malformed scalar, a missing input field): async-graphql words them from its
//!   `InputValueError`, whose messages all start with one of [`INPUT_ERRORS`]: `VALIDATION`;
//! - anything else (a resolver written against the rule, with a `?` on a `Display` error, or a
//!   missing context): `INTERNAL`, its text logged and replaced.
//!
//! This runs once per response, not per field: an async-graphql extension would have wrapped
//! every field's resolution in the extension chain.

use async_graphql::ServerError;

use crate::error::INTERNAL_MESSAGE;

/// How async-graphql begins the messages of input values it refuses (`InputValueError`).
const INPUT_ERRORS: [&str; 3] = [
    "Failed to parse \"",
    "Expected input type \"",
    "Invalid value for argument",
];

/// Gives every error without a code its code (see the module's doc).
pub fn finish(errors: &mut [ServerError]) {
    for error in errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|ext| ext.get("code").is_some());
        if has_code {
            continue;
        }
        let input = error.path.is_empty()
            || INPUT_ERRORS
                .iter()
                .any(|prefix| error.message.starts_with(prefix));
        let code = if input {
            "VALIDATION"
        } else {
            tracing::error!(error = %error.message, path = ?error.path, "uncoded resolver error");
            error.message = INTERNAL_MESSAGE.to_string();
            "INTERNAL"
        };
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};

    use super::*;
    use crate::error::AppResult;
    use crate::graphql::context::RequestContext;

    /// A schema with the resolvers the boundary must catch: one that leaks a driver's text
    /// through async-graphql's blanket `From<Display>`, and the way ours are written.
    struct Leaky;

    #[Object]
    impl Leaky {
        async fn leaky(&self) -> async_graphql::Result<i32> {
            let err = sea_orm::DbErr::Custom("relation \"secret_table\" does not exist".into());
            Err(err.into())
        }

        async fn coded(&self) -> AppResult<i32> {
            let failing: Result<i32, sea_orm::DbErr> =
                Err(sea_orm::DbErr::Custom("SELECT * FROM secret_table".into()));
            Ok(failing?)
        }

        async fn sum(&self, a: i32, b: i32) -> i32 {
            a + b
        }
    }

    async fn run(query: &str) -> serde_json::Value {
        let schema = Schema::new(Leaky, EmptyMutation, EmptySubscription);
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        let state = crate::state::AppState::new(
            db,
            crate::config::Config::new(
                crate::config::DatabaseConfig {
                    url: "sqlite::memory:".into(),
                    pool_size: Some(1),
                },
                "127.0.0.1:0".parse().unwrap(),
            ),
            crate::clock::Clock::system(),
        );
        let context = RequestContext::local(&state, crate::auth::Caller::Anonymous);
        let response = context.execute(&schema, query.into()).await;
        serde_json::to_value(&response).unwrap()
    }

    #[tokio::test]
    async fn no_resolver_error_leaks_its_text() {
        for field in ["leaky", "coded"] {
            let body = run(&format!("{{ {field} }}")).await;
            let error = &body["errors"][0];
            assert_eq!(error["extensions"]["code"], "INTERNAL", "{field}: {body}");
            assert_eq!(error["message"], INTERNAL_MESSAGE, "{field}");
            assert!(
                !body.to_string().contains("secret_table"),
                "{field}: {body}"
            );
        }
    }

    #[tokio::test]
    async fn bad_requests_and_bad_values_are_validation() {
        for query in [
            "{ sum(a: 1, b: 2",
            "{ nothing }",
            "{ sum(a: \"one\", b: 2) }",
            "{ sum(a: 1) }",
        ] {
            let body = run(query).await;
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "VALIDATION",
                "{query}: {body}"
            );
        }
        assert_eq!(run("{ sum(a: 1, b: 2) }").await["data"]["sum"], 3);
    }
}
