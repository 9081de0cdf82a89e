//! Login rate limits, per email and per client address (GCRA, from `governor`).
//!
//! Every attempt counts, successful or not: a burst of `n` per minute, then one every `60/n`
//! seconds. The state is per process; several API processes each apply the limit, which still
//! bounds guessing to a small multiple of it.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::LoginLimits;
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
        let now = self.clock.now();
        let wait = match (
            self.by_address.check_key(&address),
            self.by_email.check_key(&email_key.to_string()),
        ) {
            (Ok(()), Ok(())) => return Ok(()),
            (Err(a), Ok(())) => a.wait_time_from(now),
            (Ok(()), Err(e)) => e.wait_time_from(now),
            (Err(a), Err(e)) => a.wait_time_from(now).max(e.wait_time_from(now)),
        };
        Err(AppError::RateLimited {
            retry_after_seconds: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
        })
    }

    /// Forgets keys whose limits have fully recovered, so memory stays bounded.
    pub fn purge(&self) {
        self.by_email.retain_recent();
        self.by_email.shrink_to_fit();
        self.by_address.retain_recent();
        self.by_address.shrink_to_fit();
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
