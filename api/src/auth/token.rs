//! Session tokens and API keys: 256 random bits, given to the client once, stored only as a
//! SHA-256 hash. An API key starts with [`API_KEY_PREFIX`], so that the bearer of a request is
//! looked up in one table only (and a key pasted in a chat or a repository is recognisable).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new random token (43 URL-safe characters).
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The start of every API key.
pub const API_KEY_PREFIX: &str = "lieu_key_";

/// A new API key: the prefix and a random token.
pub fn generate_api_key() -> String {
    format!("{API_KEY_PREFIX}{}", generate())
}

/// Whether a bearer token is an API key (rather than a session token, which never has the
/// prefix: it is 43 characters of random base64).
pub fn is_api_key(bearer: &str) -> bool {
    bearer.starts_with(API_KEY_PREFIX)
}

/// What the database stores and looks up: the hex SHA-256 of the token.
pub fn hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The token of an `Authorization: Bearer …` header value, if it is one.
pub fn from_authorization(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), a);
        assert_eq!(from_authorization("Bearer abc"), Some("abc"));
        assert_eq!(from_authorization("bearer  abc "), Some("abc"));
        assert_eq!(from_authorization("Basic abc"), None);
        assert_eq!(from_authorization("Bearer "), None);
        let key = generate_api_key();
        assert!(is_api_key(&key) && !is_api_key(&a));
        assert_eq!(key.len(), API_KEY_PREFIX.len() + 43);
    }
}
