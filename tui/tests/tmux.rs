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
    // Tonight's workshop, with Hélène registered.
    let manager = server.token_for(lieu_api::domain::Role::Manager).await;
    let start = chrono::Utc::now() + chrono::Duration::minutes(15);
    let text =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let made = server
        .gql_as(
            &manager,
            "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            serde_json::json!({"i": {"title": "Atelier sous tmux", "category": "WORKSHOP",
                "spaceIds": [], "capacity": 10, "start": text(start),
                "end": text(start + chrono::Duration::hours(2))}}),
        )
        .await;
    let event = made.data()["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    server
        .gql_as(
            &manager,
            "mutation($i: RegisterInput!) { register(input: $i) { id } }",
            serde_json::json!({"i": {"eventId": event, "name": "Hélène Tmux",
                "email": "helene.tmux@exemple.fr"}}),
        )
        .await;
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

    // The door of tonight's workshop: Hélène checks in, then is scanned again.
    tmux.keys(&["Escape", "Escape", "4"]);
    tmux.wait_for("inscrits").await;
    for _ in 0..20 {
        tmux.keys(&["Enter"]);
        let door = tmux.wait_for("places pas encore venues").await;
        if door.contains("Atelier sous tmux") {
            break;
        }
        tmux.keys(&["Escape", "Escape", "Down"]);
        tmux.wait_for("inscrits").await;
    }
    tmux.wait_for("Atelier sous tmux").await;
    tmux.text("helene");
    tmux.keys(&["Enter"]);
    let checked = tmux.wait_for("✓ Hélène Tmux — arrivé·e à").await;
    assert!(checked.contains("1 arrivés"), "{checked}");
    println!("--- Check-in\n{checked}");
    tmux.text("helene");
    tmux.keys(&["Enter"]);
    let again = tmux.wait_for("Hélène Tmux : déjà pointé·e à").await;
    assert!(
        again.contains("en direct"),
        "the door follows the activity:\n{again}"
    );
    println!("--- Scanned again\n{again}");
    tmux.keys(&["Escape"]);

    tmux.keys(&["?"]);
    let help = tmux.wait_for("Aide").await;
    assert!(
        help.contains("dépointer") && help.contains("sur place"),
        "{help}"
    );
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
