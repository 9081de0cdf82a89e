//! argon2id password hashing, off the async runtime (hashing takes tens of milliseconds).

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane (the crate's defaults, stated
    // here so that a crate upgrade cannot silently weaken them).
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::internal(anyhow::anyhow!("password hashing failed: {e}")))
    })
    .await
    .map_err(AppError::internal)?
}

/// True when `password` matches `phc`. A malformed stored hash is an internal error.
pub async fn verify(password: String, phc: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&phc).map_err(|e| {
            AppError::internal(anyhow::anyhow!("stored password hash unreadable: {e}"))
        })?;
        Ok(hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(AppError::internal)?
}

/// A valid hash of a random password, verified against when the email is unknown, so that a
/// login for a missing account takes as long as one with a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(b"decoy password that matches nothing", &salt)
            .expect("hashing a constant works")
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_and_verifies() {
        let phc = hash("correct horse battery".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(
            verify("correct horse battery".into(), phc.clone())
                .await
                .unwrap()
        );
        assert!(!verify("wrong horse battery".into(), phc).await.unwrap());
    }
}
