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

#[test]
fn schema_has_the_fixed_names_of_people_and_memberships() {
    let sdl = lieu_api::graphql::sdl();
    for needle in [
        "people(search: String, first: Int, after: String): PersonConnection!",
        "person(id: ID!): Person",
        "organizations(search: String, first: Int, after: String): OrganizationConnection!",
        "membershipPlans(",
        "): [MembershipPlan!]!",
        "createPerson(input: CreatePersonInput!): Person!",
        "erasePerson(id: ID!): Boolean!",
        "createOrganization(input: CreateOrganizationInput!): Organization!",
        "createMembershipPlan(input: CreateMembershipPlanInput!): MembershipPlan!",
        "startMembership(input: StartMembershipInput!): Membership!",
        "renewMembership(id: ID!, amountPaid: Decimal!): Membership!",
        "activeMembership: Membership",
        "memberships: [Membership!]!",
        "minPrice: Decimal",
        "forOrganizations: Boolean!",
        "periodMonths: Int!",
        "amountPaid: Decimal!",
        "status: MembershipStatus!",
        "startsOn: Date!",
        "endsOn: Date!",
        "birthYear: Int",
        "postalCode: String",
        "resident: Boolean!",
        "kind: OrganizationKind!",
    ] {
        assert!(sdl.contains(needle), "schema lacks `{needle}`");
    }
    for (name, values) in [
        (
            "enum OrganizationKind",
            &[
                "ASSOCIATION",
                "COMPANY",
                "PUBLIC_BODY",
                "COLLECTIVE",
                "OTHER",
            ][..],
        ),
        (
            "enum PlanPeriod",
            &["ROLLING", "CALENDAR_YEAR", "SCHOOL_YEAR"],
        ),
        ("enum MembershipStatus", &["ACTIVE", "EXPIRED", "CANCELLED"]),
    ] {
        let start = sdl.find(name).unwrap_or_else(|| panic!("no {name}"));
        let body = &sdl[start..start + sdl[start..].find('}').unwrap()];
        for value in values {
            assert!(body.contains(value), "{name} lacks {value}");
        }
    }
}

/// API.md's second part: the API keys, as named there.
#[test]
fn schema_has_the_fixed_names_of_api_keys() {
    let sdl = lieu_api::graphql::sdl();
    for needle in [
        "apiKeys: [ApiKey!]!",
        "createApiKey(name: String!, scope: ApiKeyScope!, expiresAt: DateTime): CreatedApiKey!",
        "revokeApiKey(id: ID!): ApiKey!",
        "apiKey: ApiKey!",
        "key: String!",
        "lastUsedAt: DateTime",
        "expiresAt: DateTime",
        "revoked: Boolean!",
    ] {
        assert!(sdl.contains(needle), "schema lacks `{needle}`");
    }
    let start = sdl.find("enum ApiKeyScope").expect("enum ApiKeyScope");
    let body = &sdl[start..start + sdl[start..].find('}').unwrap()];
    for value in ["PUBLIC", "VOLUNTEER", "MANAGER", "ADMIN"] {
        assert!(body.contains(value), "ApiKeyScope lacks {value}");
    }
    let start = sdl.find("type ApiKey {").expect("type ApiKey");
    let body = &sdl[start..start + sdl[start..].find('}').unwrap()];
    for field in [
        "id: ID!",
        "name: String!",
        "scope: ApiKeyScope!",
        "createdAt: DateTime!",
    ] {
        assert!(body.contains(field), "ApiKey lacks {field}");
    }
}
