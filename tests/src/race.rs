//! "Exactly one of N racing requests wins": the shape of every concurrency guarantee (one
//! booking of a slot, one renewal of a membership, one person with an email).

use crate::GqlResponse;

/// Checks that exactly one response succeeded and that every other one failed with `code`;
/// returns the winner. Fails when all of them failed (a guarantee that holds because nothing
/// works proves nothing) and when two won.
pub fn exactly_one_wins<'a>(responses: &'a [GqlResponse], code: &str) -> &'a GqlResponse {
    let (winners, losers): (Vec<&GqlResponse>, Vec<&GqlResponse>) = responses
        .iter()
        .partition(|r| r.body.get("errors").is_none());
    assert_eq!(
        winners.len(),
        1,
        "expected exactly one of {} racing requests to win, {} did; a loser said {}",
        responses.len(),
        winners.len(),
        losers
            .first()
            .map_or("nothing".to_string(), |r| r.body.to_string())
    );
    for loser in &losers {
        assert_eq!(loser.error_code(), code, "{}", loser.body);
    }
    winners[0]
}

/// Counts the winners and checks every loser failed with `code`: for races where several may
/// win (seats of an event), the caller asserts the number.
pub fn winners(responses: &[GqlResponse], code: &str) -> usize {
    responses
        .iter()
        .filter(|r| {
            if r.body.get("errors").is_some() {
                assert_eq!(r.error_code(), code, "{}", r.body);
                false
            } else {
                true
            }
        })
        .count()
}
