//! The real `lieu-tui` binary under tmux against a real server: keys typed, the screen read.
//! Skipped (with a message) only where tmux is not installed; CI installs it.

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "desk"];
        args.extend(keys);
        self.run(&args);
    }

    fn text(&self, text: &str) {
        self.run(&["send-keys", "-t", "desk", "-l", text]);
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "desk"])
    }

    async fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{text:?} never showed up:\n{screen}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_desk_under_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        // On CI the test must run (.ci/run installs tmux); on a laptop without it, say so.
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is not installed, and CI must run this test: apt-get install tmux"
        );
        eprintln!("SKIPPED: tmux is not installed (apt-get install tmux); CI installs it");
        return;
    }
    let server = lieu_tests::spawn_app().await;
    lieu_api::demo::seed_if_empty(&server.db, &server.clock)
        .await
        .expect("demo venue");
    let config = tempfile::tempdir().unwrap();
    let tmux = Tmux {
        socket: format!("lieu-tui-test-{}", std::process::id()),
    };
    let command = format!(
        "{} --server {} --lang fr",
        env!("CARGO_BIN_EXE_lieu-tui"),
        server.base_url
    );
    let xdg = format!("XDG_CONFIG_HOME={}", config.path().display());
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "desk",
        "-x",
        "100",
        "-y",
        "30",
        "-e",
        &xdg,
        "-e",
        "TERM=xterm-256color",
        &command,
    ]);
    tmux.wait_for("Connexion").await;
    tmux.text("volunteer@demo.lieu");
    tmux.keys(&["Tab"]);
    tmux.text("demo-volunteer-pass");
    tmux.keys(&["Enter"]);
    let today = tmux.wait_for("Aujourd'hui —").await;
    assert!(today.contains("Connecté"), "{today}");
    println!("--- Today\n{today}");

    tmux.keys(&["2"]);
    tmux.wait_for("semaine du").await;
    let grid = tmux.wait_for(":00 —").await;
    assert!(
        grid.contains("Réservations") && grid.contains("libre"),
        "{grid}"
    );
    println!("--- Week grid\n{grid}");

    tmux.keys(&["3"]);
    tmux.wait_for("Personnes").await;
    tmux.keys(&["/"]);
    tmux.text("helene");
    tmux.wait_for("Dupré Hélène").await;
    tmux.text(" dupre");
    tmux.wait_for("1 personne").await;
    tmux.keys(&["Enter", "Enter"]);
    let card = tmux.wait_for("Fiche — Hélène Dupré").await;
    let card = if card.contains("Adhésions") {
        card
    } else {
        tmux.wait_for("Adhésions").await
    };
    println!("--- Card\n{card}");

    tmux.keys(&["?"]);
    let help = tmux.wait_for("Aide").await;
    assert!(help.contains("renouveler"), "{help}");
    tmux.keys(&["Escape"]);

    // q quits and the terminal is given back: the pane's program has ended.
    tmux.keys(&["Escape"]);
    tmux.keys(&["q"]);
    let start = Instant::now();
    while tmux
        .run(&["list-panes", "-t", "desk", "-F", "#{pane_dead}"])
        .trim()
        == "0"
        && start.elapsed() < Duration::from_secs(10)
        && !tmux.run(&["list-sessions"]).is_empty()
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let remembered =
        std::fs::read_to_string(config.path().join("lieu").join("tui.json")).expect("remembered");
    assert!(remembered.contains("volunteer@demo.lieu"), "{remembered}");
    assert!(remembered.contains(&server.base_url), "{remembered}");
    assert!(!remembered.contains("demo-volunteer-pass"), "{remembered}");
    server.stop().await;
}
