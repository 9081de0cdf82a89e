//! `lieu.toml`: read from the working directory or `--config`, below the environment and the
//! flags; a misspelt key is refused by name.

use super::*;

/// `serve` from a working directory, with environment variables.
fn serve_in(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Child {
    let mut command = Command::new(BIN);
    command
        .arg("serve")
        .args(args)
        .current_dir(dir)
        .env_remove("LIEU_BIND")
        .env_remove("LIEU_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    command.spawn().unwrap()
}

async fn answers(address: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(response) = reqwest::get(format!("http://{address}/readyz")).await
            && response.status().is_success()
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

fn kill(mut child: Child) {
    child.kill().ok();
    child.wait().ok();
}

#[tokio::test]
async fn lieu_toml_gives_way_to_the_environment_which_gives_way_to_flags() {
    let database = TestDatabase::new().await;
    let dir = tempfile::tempdir().unwrap();
    let (file, env, flag) = (
        format!("127.0.0.1:{}", free_port()),
        format!("127.0.0.1:{}", free_port()),
        format!("127.0.0.1:{}", free_port()),
    );
    std::fs::write(
        dir.path().join("lieu.toml"),
        format!(
            "# the venue's settings\ndatabase_url = \"{}\"\nbind = \"{file}\"\nrequest_timeout_secs = 20\n",
            database.url
        ),
    )
    .unwrap();
    // ./lieu.toml is read when present: its address and its database.
    let server = serve_in(dir.path(), &[], &[]);
    assert!(answers(&file).await, "listens where lieu.toml says");
    kill(server);
    // The environment wins over the file.
    let server = serve_in(dir.path(), &[], &[("LIEU_BIND", &env)]);
    assert!(answers(&env).await, "listens where LIEU_BIND says");
    kill(server);
    // A flag wins over both.
    let server = serve_in(dir.path(), &["--bind", &flag], &[("LIEU_BIND", &env)]);
    assert!(answers(&flag).await, "listens where --bind says");
    kill(server);

    // A misspelt key is refused by name, and nothing starts.
    std::fs::write(
        dir.path().join("typo.toml"),
        "bind = \"127.0.0.1:0\"\nbnid = \"x\"\n",
    )
    .unwrap();
    let output = Command::new(BIN)
        .args(["serve", "--config", "typo.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("typo.toml") && err.contains("unknown field `bnid`"),
        "{err}"
    );
    // A --config that does not exist is an error (only the default file is optional).
    let output = Command::new(BIN)
        .args(["serve", "--config", "missing.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("cannot read the configuration file missing.toml")
    );
}
