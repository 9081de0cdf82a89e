//! The root fields of the committed schema (`api/schema.graphql`), for tests that must cover
//! every operation (the roles table): a new field without an entry fails them.

use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

/// The committed SDL.
pub fn committed_sdl() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../api/schema.graphql");
    std::fs::read_to_string(path).expect("api/schema.graphql")
}

/// The field names of the object type `type_name` (`Query`, `Mutation`, `Subscription`).
pub fn root_fields(type_name: &str) -> Vec<String> {
    let document = async_graphql::parser::parse_schema(committed_sdl()).expect("the SDL parses");
    let mut fields = Vec::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        if ty.node.name.node != type_name {
            continue;
        }
        if let TypeKind::Object(object) = ty.node.kind {
            fields.extend(
                object
                    .fields
                    .into_iter()
                    .map(|f| f.node.name.node.to_string()),
            );
        }
    }
    fields
}

/// The root fields a GraphQL document selects (`{ a b }` -> `a`, `b`).
pub fn selected_root_fields(document: &str) -> Vec<String> {
    use async_graphql::parser::types::Selection;
    let doc = async_graphql::parser::parse_query(document).expect("the document parses");
    doc.operations
        .iter()
        .flat_map(|(_, op)| op.node.selection_set.node.items.clone())
        .filter_map(|item| match item.node {
            Selection::Field(field) => Some(field.node.name.node.to_string()),
            _ => None,
        })
        .collect()
}
