# Lieu's API server in a container. Not built on the development machines (no Docker there):
# see docs/deploy.md, "Docker".
#
#   docker build -t lieu .
#   docker run -d -p 127.0.0.1:8080:8080 -v lieu-data:/var/lib/lieu lieu

# --- build: the release binary, the downloaded dependencies cached in their own layer --------
FROM rust:1.95-bookworm AS build
WORKDIR /src
# The manifests first: as long as they do not change, the crates are not downloaded again
# (placeholder sources make the workspace valid for `cargo fetch`).
COPY Cargo.toml Cargo.lock ./
COPY api/Cargo.toml api/Cargo.toml
COPY entity/Cargo.toml entity/Cargo.toml
COPY migration/Cargo.toml migration/Cargo.toml
COPY tui/Cargo.toml tui/Cargo.toml
COPY tests/Cargo.toml tests/Cargo.toml
RUN for crate in api entity migration tui tests; do \
      mkdir -p $crate/src && echo 'fn main() {}' > $crate/src/main.rs && touch $crate/src/lib.rs; \
    done \
 && cargo fetch --locked \
 && rm -rf api/src entity/src migration/src tui/src tests/src
COPY . .
RUN cargo build --release --locked -p lieu-api \
 && strip target/release/lieu-api

# --- run: a slim Debian, an unprivileged user, the SQLite file in a volume --------------------
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/lieu --shell /usr/sbin/nologin lieu \
 && install -d -o lieu -g lieu -m 0750 /var/lib/lieu
COPY --from=build /src/target/release/lieu-api /usr/local/bin/lieu-api
USER lieu
WORKDIR /var/lib/lieu
VOLUME /var/lib/lieu
# Inside the container the server listens on every interface; publish the port to 127.0.0.1
# (or to the reverse proxy's network) only.
ENV LIEU_BIND=0.0.0.0:8080 \
    LIEU_DATABASE_URL=sqlite:///var/lib/lieu/lieu.db?mode=rwc \
    LIEU_LOG_FORMAT=json
EXPOSE 8080
# SIGTERM (docker stop) finishes the requests in flight.
STOPSIGNAL SIGTERM
ENTRYPOINT ["lieu-api"]
CMD ["serve"]
