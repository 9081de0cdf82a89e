//! What an audit entry keeps of a row and of a mutation's arguments: readable JSON, without
//! secrets (password hashes, token and key hashes, webhook secrets) and without the columns
//! Lieu derives itself (search keys, timestamps of the row).

use sea_orm::sea_query::sea_value_to_json_value;
use sea_orm::{EntityTrait, Iterable, ModelTrait};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Column names never kept: secrets, and what Lieu derives from other columns.
fn skipped(column: &str) -> bool {
    secret(column)
        || matches!(
            column,
            "id" | "first_key"
                | "last_key"
                | "email_key"
                | "search_text"
                | "created_at"
                | "updated_at"
        )
}

/// A name that holds a secret, in a column or an argument (`password`, `oldPassword`,
/// `token_hash`, `secret`, `key_hash`).
fn secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "token", "secret", "hash"]
        .iter()
        .any(|word| name.contains(word))
        || name == "key"
}

/// Text longer than this is cut (an import's CSV, a long note).
const TEXT_MAX: usize = 300;

fn cut(text: &str) -> Value {
    if text.chars().count() <= TEXT_MAX {
        return Value::from(text);
    }
    let kept: String = text.chars().take(TEXT_MAX).collect();
    Value::from(format!("{kept}… ({} characters)", text.chars().count()))
}

/// `input` with every secret replaced by `"[redacted]"` and long text cut, at any depth.
pub fn redacted(input: Value) -> Value {
    match input {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(name, value)| {
                    let value = match secret(&name) {
                        true => Value::from("[redacted]"),
                        false => redacted(value),
                    };
                    (name, value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redacted).collect()),
        Value::String(text) => cut(&text),
        other => other,
    }
}

/// `snake_case` column names as the API spells fields (`camelCase`).
fn camel(column: &str) -> String {
    let mut out = String::with_capacity(column.len());
    let mut upper = false;
    for c in column.chars() {
        match (c, upper) {
            ('_', _) => upper = true,
            (c, true) => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

fn columns<M: ModelTrait>(model: &M) -> impl Iterator<Item = (String, Value)> + '_ {
    <<M::Entity as EntityTrait>::Column as Iterable>::iter().filter_map(move |column| {
        let name = sea_orm::IdenStatic::as_str(&column);
        if skipped(name) {
            return None;
        }
        let value = match sea_value_to_json_value(&model.get(column)) {
            Value::String(text) => cut(&text),
            other => other,
        };
        Some((camel(name), value))
    })
}

/// The row's fields, without secrets.
pub fn fields<M: ModelTrait>(model: &M) -> Map<String, Value> {
    columns(model).collect()
}

/// The fields that differ between `before` and `after`, each as `[before, after]`.
pub fn diff<M: ModelTrait>(before: &M, after: &M) -> Map<String, Value> {
    columns(before)
        .zip(columns(after))
        .filter(|((_, old), (_, new))| old != new)
        .map(|((name, old), (_, new))| (name, Value::Array(vec![old, new])))
        .collect()
}

/// The person whose data the row may hold: the person itself, or its `person_id`.
pub fn person<M: ModelTrait>(object_type: &str, id: Uuid, model: &M) -> Option<Uuid> {
    if object_type == "Person" {
        return Some(id);
    }
    let column = <<M::Entity as EntityTrait>::Column as Iterable>::iter()
        .find(|column| sea_orm::IdenStatic::as_str(column) == "person_id")?;
    match model.get(column) {
        sea_orm::Value::Uuid(Some(id)) => Some(id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_redacted_at_any_depth_and_long_text_is_cut() {
        let input = json!({
            "email": "a@b.org",
            "password": "hunter2 hunter2",
            "input": {"oldPassword": "x", "newPassword": "y", "name": "ok", "notes": "n".repeat(400)},
            "list": [{"secret": "s"}],
        });
        let out = redacted(input);
        assert_eq!(out["email"], "a@b.org");
        assert_eq!(out["password"], "[redacted]");
        assert_eq!(out["input"]["oldPassword"], "[redacted]");
        assert_eq!(out["input"]["newPassword"], "[redacted]");
        assert_eq!(out["input"]["name"], "ok");
        assert!(
            out["input"]["notes"]
                .as_str()
                .unwrap()
                .ends_with("(400 characters)")
        );
        assert_eq!(out["list"][0]["secret"], "[redacted]");
    }

    #[test]
    fn column_names_read_as_api_fields() {
        assert_eq!(camel("first_name"), "firstName");
        assert_eq!(camel("amount_cents"), "amountCents");
        assert_eq!(camel("title"), "title");
        assert!(skipped("password_hash") && skipped("token_hash") && skipped("secret"));
        assert!(!skipped("email") && !skipped("key_prefix"));
    }
}
