//! The `lieu-api` binary as people use it: `user add`, `serve` (and `--demo`), SIGTERM,
//! `schema`, `--help`. Runs on the backend chosen by `LIEU_TEST_DATABASE`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lieu_tests::TestDatabase;
use lieu_tests::serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_lieu-api");

fn user_add(url: &str, email: &str, role: &str, password: &str) -> std::process::Output {
    let mut child = Command::new(BIN)
        .args([
            "user",
            "add",
            "--database-url",
            url,
            "--email",
            email,
            "--role",
            role,
            "--name",
            "Test",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lieu-api");
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    child: Child,
    base: String,
    stderr_lines: std::sync::mpsc::Receiver<String>,
}

impl Server {
    fn start(url: &str, extra: &[&str]) -> Self {
        let port = free_port();
        let bind = format!("127.0.0.1:{port}");
        let mut child = Command::new(BIN)
            .args(["serve", "--database-url", url, "--bind", &bind])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lieu-api serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            base: format!("http://{bind}"),
            stderr_lines: rx,
        }
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = reqwest::Client::new();
        while Instant::now() < deadline {
            if let Ok(response) = client.get(format!("{}/readyz", self.base)).send().await
                && response.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("server did not become ready");
    }

    async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = reqwest::Client::new()
            .post(format!("{}/graphql", self.base))
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap().json().await.unwrap()
    }

    /// SIGTERM, then the exit status.
    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "server ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stderr_until(&self, needle: &str) -> String {
        let mut seen = String::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(line) = self.stderr_lines.recv_timeout(Duration::from_millis(200)) {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(needle) {
                    return seen;
                }
            }
        }
        panic!("never saw `{needle}` on stderr:\n{seen}");
    }
}

const LOGIN: &str =
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

#[tokio::test]
async fn user_add_then_login_over_http_then_sigterm() {
    let database = TestDatabase::new().await;
    let added = user_add(
        &database.url,
        "Marie@Example.org",
        "manager",
        "a long enough password",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let short = user_add(&database.url, "paul@example.org", "volunteer", "short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10"));

    let duplicate = user_add(
        &database.url,
        "marie@EXAMPLE.org",
        "admin",
        "another long password",
    );
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));

    let server = Server::start(&database.url, &[]);
    server.wait_ready().await;
    let login = server
        .gql(
            None,
            LOGIN,
            json!({"e": "marie@example.org", "p": "a long enough password"}),
        )
        .await;
    let token = login["data"]["login"]["token"]
        .as_str()
        .expect("a token")
        .to_string();
    let me = server
        .gql(Some(&token), "{ me { email role } }", json!({}))
        .await;
    assert_eq!(me["data"]["me"]["role"], "MANAGER");
    // SIGTERM while a login (tens of milliseconds of argon2) is in flight: it still gets its answer.
    let in_flight = {
        let url = format!("{}/graphql", server.base);
        // Built before the clock starts: with TLS support, building a client loads the
        // system's roots, which can take longer than the 5 ms before the SIGTERM.
        let client = reqwest::Client::new();
        tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({"query": LOGIN, "variables": {"e": "marie@example.org", "p": "a long enough password"}}))
                .send()
                .await
                .expect("the in-flight request is answered, not cut")
                .json::<Value>()
                .await
                .unwrap()
        })
    };
    tokio::time::sleep(Duration::from_millis(5)).await;
    let status = server.terminate();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
    let body = in_flight.await.unwrap();
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
}

#[tokio::test]
async fn serve_demo_prints_logins_that_work() {
    let database = TestDatabase::new().await;
    let server = Server::start(&database.url, &["--demo"]);
    let banner = server.stderr_until("never use --demo");
    assert!(banner.contains("admin@demo.lieu"), "{banner}");
    server.wait_ready().await;
    let login = server
        .gql(
            None,
            LOGIN,
            json!({"e": "admin@demo.lieu", "p": "demo-admin-pass"}),
        )
        .await;
    let token = login["data"]["login"]["token"]
        .as_str()
        .expect("demo admin logs in")
        .to_string();
    let sites = server
        .gql(Some(&token), "{ sites { name } }", json!({}))
        .await;
    assert!(
        sites["data"]["sites"].as_array().unwrap().len() >= 2,
        "{sites}"
    );
    let status = server.terminate();
    assert!(
        status.success(),
        "a stop after the demo exits 0, got {status}"
    );

    // A second start on the same database does not seed again, and says the logins again.
    let again = Server::start(&database.url, &["--demo"]);
    let lines = again.stderr_until("never use --demo");
    assert!(
        lines.contains("already holds the demo venue (nothing was added)"),
        "{lines}"
    );
    assert!(lines.contains("admin@demo.lieu"), "{lines}");
    let status = again.terminate();
    assert!(
        status.success(),
        "a stop right after start-up exits 0, got {status}"
    );
}

#[test]
fn schema_command_prints_the_sdl() {
    let output = Command::new(BIN).arg("schema").output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        lieu_api::graphql::sdl()
    );
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "list", "--help"],
        vec!["user", "set-role", "--help"],
        vec!["user", "deactivate", "--help"],
        vec!["user", "reactivate", "--help"],
        vec!["user", "reset-password", "--help"],
        vec!["schema", "--help"],
        vec!["seed", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
    ] {
        let output = Command::new(BIN).args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// import people | memberships

mod import;

// ---------------------------------------------------------------------------------------------
// user list | set-role | deactivate | reactivate | reset-password, and errors as people read them

mod users;

// ---------------------------------------------------------------------------------------------
// /metrics, backup and restore, lieu.toml; kill -9 during a burst of bookings

mod config_file;
mod crash;
mod ops;

// ---------------------------------------------------------------------------------------------
// seed --scale: the synthetic network

mod seed;
