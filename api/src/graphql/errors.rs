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

/// What a request sent, to name the field of a value async-graphql refused.
pub struct Sent<'a> {
    pub query: &'a str,
    pub variables: &'a serde_json::Value,
}

/// Gives every error without a code its code (see the module's doc).
pub fn finish(errors: &mut [ServerError], sent: &Sent<'_>) {
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
        if !input {
            tracing::error!(error = %error.message, path = ?error.path, "uncoded resolver error");
            error.message = INTERNAL_MESSAGE.to_string();
            set(error, "code", "INTERNAL");
            continue;
        }
        set(error, "code", "VALIDATION");
        if let Some(refusal) = scalar_refusal(&error.message) {
            let field = refused_value(&refusal).and_then(|value| field_of(sent, value));
            error.message = match &field {
                Some(field) => format!("{field}: {refusal}"),
                None => refusal.clone(),
            };
            if let Some(field) = field {
                set(error, "field", &field);
            }
        }
    }
}

fn set(error: &mut ServerError, key: &str, value: &str) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set(key, value);
}

/// What one of our scalars said, without async-graphql's wrapping:
/// `Failed to parse "DateTime": '…' is not … (occurred while parsing "CreateBookingInput")`.
fn scalar_refusal(message: &str) -> Option<String> {
    let rest = message.strip_prefix("Failed to parse \"")?;
    let (_, said) = rest.split_once("\": ")?;
    let said = said
        .split(" (occurred while parsing")
        .next()
        .unwrap_or(said);
    Some(said.to_string())
}

/// The value a refusal quotes first: `'2027-02-03T10:00:00' is not …`.
fn refused_value(refusal: &str) -> Option<&str> {
    let rest = refusal.strip_prefix('\'')?;
    rest.split_once("' is not").map(|(value, _)| value)
}

/// The name of the input field (or argument) that holds `value`, in the document's arguments
/// with the variables they use put in.
fn field_of(sent: &Sent<'_>, value: &str) -> Option<String> {
    let document = async_graphql::parser::parse_query(sent.query).ok()?;
    let mut arguments = Vec::new();
    for (_, operation) in document.operations.iter() {
        collect_arguments(
            &operation.node.selection_set.node,
            sent.variables,
            &mut arguments,
        );
    }
    arguments
        .iter()
        .find_map(|(name, json)| key_holding(json, value, Some(name)))
}

/// Every argument of a selection set, as JSON, its variables put in.
fn collect_arguments(
    set: &async_graphql::parser::types::SelectionSet,
    variables: &serde_json::Value,
    out: &mut Vec<(String, serde_json::Value)>,
) {
    use async_graphql::parser::types::Selection;
    for item in &set.items {
        if let Selection::Field(field) = &item.node {
            for (name, value) in &field.node.arguments {
                let literal = value
                    .node
                    .clone()
                    .into_const_with(|name| {
                        async_graphql::Value::from_json(variables[name.as_str()].clone())
                    })
                    .ok()
                    .and_then(|v| v.into_json().ok());
                if let Some(json) = literal {
                    out.push((name.node.to_string(), json));
                }
            }
            collect_arguments(&field.node.selection_set.node, variables, out);
        }
    }
}

/// The key under which `json` holds the string `value` (depth first); `top` names `json`
/// itself when it is that string.
fn key_holding(json: &serde_json::Value, value: &str, top: Option<&str>) -> Option<String> {
    match json {
        serde_json::Value::String(s) if s.trim() == value.trim() => top.map(str::to_string),
        serde_json::Value::Object(map) => map
            .iter()
            .find_map(|(key, v)| key_holding(v, value, Some(key))),
        serde_json::Value::Array(items) => items.iter().find_map(|v| key_holding(v, value, top)),
        _ => None,
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

        async fn later(&self, at: crate::graphql::scalars::DateTime) -> String {
            at.instant.to_rfc3339()
        }
    }

    async fn run(query: &str) -> serde_json::Value {
        run_with(async_graphql::Request::new(query)).await
    }

    async fn run_with(request: async_graphql::Request) -> serde_json::Value {
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
        let response = context.execute(&schema, request).await;
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

    #[tokio::test]
    async fn a_refused_scalar_names_its_field_and_says_what_to_send() {
        let literal = run("{ later(at: \"2027-02-03T10:00:00\") }").await;
        let from_variables = run_with(
            async_graphql::Request::new("query($t: DateTime!) { later(at: $t) }").variables(
                async_graphql::Variables::from_json(
                    serde_json::json!({"t": "2027-02-03T10:00:00"}),
                ),
            ),
        )
        .await;
        for body in [literal, from_variables] {
            let error = &body["errors"][0];
            assert_eq!(error["extensions"]["code"], "VALIDATION", "{body}");
            assert_eq!(error["extensions"]["field"], "at", "{body}");
            assert_eq!(
                error["message"],
                "at: '2027-02-03T10:00:00' is not a date-time with an offset like 2027-02-03T10:00:00+01:00"
            );
        }
    }
}
