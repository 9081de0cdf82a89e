//! Rate limits (GCRA, from `governor`): logins per email and per client address, and the
//! public's registrations per client (its address, or its PUBLIC API key) and per event.
//!
//! Every attempt counts, successful or not: a burst of `n` per minute, then one every `60/n`
//! seconds. The state is per process; several API processes each apply the limit, which still
//! bounds guessing (or flooding an event's list) to a small multiple of it.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::{LoginLimits, RegistrationLimits};
use crate::error::AppError;

pub struct LoginLimiter {
    by_email: DefaultKeyedRateLimiter<String>,
    by_address: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).expect("at least one"))
}

impl LoginLimiter {
    pub fn new(limits: LoginLimits) -> Self {
        Self {
            by_email: RateLimiter::keyed(quota(limits.per_email_per_minute)),
            by_address: RateLimiter::keyed(quota(limits.per_address_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one attempt for this email and address, or says how long to wait.
    pub fn check(&self, email_key: &str, address: IpAddr) -> Result<(), AppError> {
        both(
            "login",
            &self.clock,
            self.by_address.check_key(&address),
            self.by_email.check_key(&email_key.to_string()),
        )
    }

    /// Forgets keys whose limits have fully recovered, so memory stays bounded.
    pub fn purge(&self) {
        self.by_email.retain_recent();
        self.by_email.shrink_to_fit();
        self.by_address.retain_recent();
        self.by_address.shrink_to_fit();
    }
}

type Outcome = Result<(), governor::NotUntil<governor::clock::QuantaInstant>>;

/// Both limits must let the attempt through; otherwise the longer wait (and one more refusal
/// of `limiter` in the metrics).
fn both(
    limiter: &'static str,
    clock: &DefaultClock,
    a: Outcome,
    b: Outcome,
) -> Result<(), AppError> {
    let now = clock.now();
    let wait = match (a, b) {
        (Ok(()), Ok(())) => return Ok(()),
        (Err(a), Ok(())) => a.wait_time_from(now),
        (Ok(()), Err(b)) => b.wait_time_from(now),
        (Err(a), Err(b)) => a.wait_time_from(now).max(b.wait_time_from(now)),
    };
    crate::telemetry::metrics::rate_limited(limiter);
    let retry_after_seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    // On the request's span: its id, and the API key's name when one was sent.
    tracing::info!(limiter, retry_after_seconds, "rate limited");
    Err(AppError::RateLimited {
        retry_after_seconds,
    })
}

/// Who registers, as the registration limits tell callers apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicClient {
    /// An anonymous caller, by its address.
    Address(IpAddr),
    /// A PUBLIC API key (a website whose visitors all send it), by the key.
    Key(uuid::Uuid),
}

/// The public's registrations, per client (address or PUBLIC key) and per event.
pub struct RegistrationLimiter {
    by_address: DefaultKeyedRateLimiter<IpAddr>,
    by_key: DefaultKeyedRateLimiter<uuid::Uuid>,
    by_event: DefaultKeyedRateLimiter<uuid::Uuid>,
    clock: DefaultClock,
}

impl RegistrationLimiter {
    pub fn new(limits: RegistrationLimits) -> Self {
        Self {
            by_address: RateLimiter::keyed(quota(limits.per_address_per_minute)),
            by_key: RateLimiter::keyed(quota(limits.per_public_key_per_minute)),
            by_event: RateLimiter::keyed(quota(limits.per_event_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one registration for this client and this event. The client's own limit is
    /// taken first, and the event's only when it lets the attempt through: a client over its
    /// limit does not use up the event's, so one flooder cannot close an event to everyone
    /// faster than its own limit allows.
    pub fn check(&self, event_id: uuid::Uuid, client: PublicClient) -> Result<(), AppError> {
        let own = match client {
            PublicClient::Address(address) => self.by_address.check_key(&address),
            PublicClient::Key(key) => self.by_key.check_key(&key),
        };
        if own.is_err() {
            return both("registration", &self.clock, own, Ok(()));
        }
        both(
            "registration",
            &self.clock,
            Ok(()),
            self.by_event.check_key(&event_id),
        )
    }

    pub fn purge(&self) {
        self.by_address.retain_recent();
        self.by_address.shrink_to_fit();
        self.by_key.retain_recent();
        self.by_key.shrink_to_fit();
        self.by_event.retain_recent();
        self.by_event.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_email_and_says_how_long_to_wait() {
        let limiter = LoginLimiter::new(LoginLimits {
            per_email_per_minute: 3,
            per_address_per_minute: 100,
        });
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..3 {
            limiter.check("a@x.org", ip).unwrap();
        }
        match limiter.check("a@x.org", ip) {
            Err(AppError::RateLimited {
                retry_after_seconds,
            }) => {
                assert!(
                    (1..=20).contains(&retry_after_seconds),
                    "{retry_after_seconds}"
                )
            }
            other => panic!("expected RATE_LIMITED, got {other:?}"),
        }
        // Another account from the same address is not affected.
        limiter.check("b@x.org", ip).unwrap();
    }

    #[test]
    fn registrations_per_client_then_per_event() {
        let limiter = RegistrationLimiter::new(RegistrationLimits {
            per_address_per_minute: 2,
            per_public_key_per_minute: 100,
            per_event_per_minute: 4,
        });
        let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let here = PublicClient::Address("10.0.0.1".parse().unwrap());
        let key = PublicClient::Key(uuid::Uuid::new_v4());
        limiter.check(a, here).unwrap();
        limiter.check(a, here).unwrap();
        // The address is over its limit, for every event; its refusals leave the event's.
        for _ in 0..5 {
            assert!(limiter.check(a, here).is_err());
            assert!(limiter.check(b, here).is_err());
        }
        // The key has its own, larger limit, until the event's is reached.
        limiter.check(a, key).unwrap();
        limiter.check(a, key).unwrap();
        assert!(limiter.check(a, key).is_err());
        limiter.check(b, key).unwrap();
    }

    #[test]
    fn limits_per_address_across_emails() {
        let limiter = LoginLimiter::new(LoginLimits {
            per_email_per_minute: 100,
            per_address_per_minute: 2,
        });
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        limiter.check("a@x.org", ip).unwrap();
        limiter.check("b@x.org", ip).unwrap();
        assert!(limiter.check("c@x.org", ip).is_err());
        limiter
            .check("c@x.org", "10.0.0.2".parse().unwrap())
            .unwrap();
    }
}
