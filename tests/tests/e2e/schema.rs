//! `api/schema.graphql` is the contract: it must match what the server serves.

#[test]
fn committed_schema_matches_the_served_one() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/schema.graphql");
    let served = lieu_api::graphql::sdl();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == served,
        "api/schema.graphql is out of date. Regenerate it with\n  cargo run -p lieu-api -- schema > api/schema.graphql\nand review the diff: it is the public contract."
    );
}

#[test]
fn schema_has_the_fixed_core_names() {
    let sdl = lieu_api::graphql::sdl();
    for needle in [
        "enum Role",
        "type User",
        "type Session",
        "type Site",
        "login(email: String!, password: String!): Session!",
        "logout: Boolean!",
        "me: User",
        "sites: [Site!]!",
    ] {
        assert!(sdl.contains(needle), "schema lacks `{needle}`");
    }
}
