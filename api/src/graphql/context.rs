use std::net::{IpAddr, Ipv4Addr};

use async_graphql::Context;

use crate::auth::Caller;
use crate::state::AppState;

/// The client's address, as seen by the HTTP layer (used by rate limits).
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub IpAddr);

/// Typed access to what the HTTP layer puts into every request.
pub trait ContextExt {
    fn state(&self) -> &AppState;
    fn caller(&self) -> &Caller;
    fn client_addr(&self) -> IpAddr;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn caller(&self) -> &Caller {
        self.data_opt::<Caller>().unwrap_or(&Caller::Anonymous)
    }

    fn client_addr(&self) -> IpAddr {
        self.data_opt::<ClientAddr>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.0)
    }
}
