//! Staff accounts from the command line, and what a failing command prints.

use super::*;

fn user(url: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .arg("user")
        .args(args)
        .args(["--database-url", url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lieu-api user");
    if let Some(line) = stdin {
        writeln!(child.stdin.take().unwrap(), "{line}").unwrap();
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn login_status(server: &Server, email: &str, password: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{}/graphql", server.base))
        .json(&json!({"query": LOGIN, "variables": {"e": email, "p": password}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_manages_accounts_from_the_command_line() {
    let database = TestDatabase::new().await;
    let url = &database.url;
    assert!(
        user_add(url, "ana@x.org", "admin", "correct horse battery")
            .status
            .success()
    );
    assert!(
        user_add(url, "lea@x.org", "volunteer", "front desk 2026")
            .status
            .success()
    );

    let (ok, out, _) = user(url, &["list"], None);
    assert!(ok);
    assert!(out.contains("ana@x.org\tADMIN\tTest\tactive"), "{out}");
    assert!(out.contains("lea@x.org\tVOLUNTEER\tTest\tactive"), "{out}");

    // The last admin stays, said in words.
    let (ok, _, err) = user(
        url,
        &["set-role", "--email", "ANA@x.org", "--role", "manager"],
        None,
    );
    assert!(!ok);
    assert!(err.contains("last active administrator"), "{err}");
    assert!(
        !err.contains("Backtrace") && !err.contains("INVALID_STATE"),
        "{err}"
    );
    let (ok, _, err) = user(url, &["deactivate", "--email", "ana@x.org"], None);
    assert!(!ok, "{err}");

    let (ok, _, err) = user(
        url,
        &["set-role", "--email", "lea@x.org", "--role", "manager"],
        None,
    );
    assert!(ok, "{err}");
    assert!(err.contains("lea@x.org is now MANAGER"), "{err}");
    let (ok, _, err) = user(url, &["deactivate", "--email", "nobody@x.org"], None);
    assert!(!ok);
    assert!(
        err.contains("no account has the email nobody@x.org"),
        "{err}"
    );

    // Reset, then deactivate and reactivate, as seen by a running server.
    let (ok, _, err) = user(
        url,
        &["reset-password", "--email", "lea@x.org", "--password-stdin"],
        Some("a brand new passphrase"),
    );
    assert!(ok, "{err}");
    let (ok, _, err) = user(
        url,
        &["reset-password", "--email", "lea@x.org", "--password-stdin"],
        Some("short"),
    );
    assert!(!ok);
    assert!(err.contains("use at least 10"), "{err}");
    let server = Server::start(url, &[]);
    server.wait_ready().await;
    let old = login_status(&server, "lea@x.org", "front desk 2026").await;
    assert_eq!(old["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let new = login_status(&server, "lea@x.org", "a brand new passphrase").await;
    assert!(new["data"]["login"]["token"].is_string(), "{new}");
    let (ok, _, err) = user(url, &["deactivate", "--email", "lea@x.org"], None);
    assert!(ok, "{err}");
    let (_, out, _) = user(url, &["list"], None);
    assert!(
        out.contains("lea@x.org\tMANAGER\tTest\tdeactivated"),
        "{out}"
    );
    let refused = login_status(&server, "lea@x.org", "a brand new passphrase").await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    let (ok, _, err) = user(url, &["reactivate", "--email", "lea@x.org"], None);
    assert!(ok, "{err}");
    let back = login_status(&server, "lea@x.org", "a brand new passphrase").await;
    assert!(back["data"]["login"]["token"].is_string(), "{back}");
    server.terminate();
}

#[test]
fn a_failing_command_prints_its_reasons_without_a_backtrace_unless_verbose() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder").join("lieu.db");
    let url = format!("sqlite://{}?mode=rwc", missing.display());
    let run = |extra: &[&str]| {
        let output = Command::new(BIN)
            .args(["migrate", "--database-url", &url])
            .args(extra)
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        assert!(!output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let plain = run(&[]);
    assert!(
        plain.starts_with("error: connecting to the database"),
        "{plain}"
    );
    assert!(plain.contains("  because: "), "{plain}");
    assert!(plain.contains("check that its folder exists"), "{plain}");
    assert!(
        !plain.contains("Stack backtrace") && !plain.contains("Caused by"),
        "{plain}"
    );
    let verbose = run(&["--verbose"]);
    assert!(verbose.contains("Caused by"), "{verbose}");

    // Without mode=rwc, the message says to add it.
    let absent = dir.path().join("absent.db");
    let output = Command::new(BIN)
        .args([
            "migrate",
            "--database-url",
            &format!("sqlite://{}", absent.display()),
        ])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("add ?mode=rwc"), "{said}");
}
