//! What the client remembers between runs: the server and the last email used to sign in.
//! Never the password, never the token. `<config dir>/lieu/tui.json` (XDG on Linux).

use std::path::PathBuf;

use etcetera::BaseStrategy;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    pub server: Option<String>,
    pub email: Option<String>,
}

pub fn path() -> Option<PathBuf> {
    let strategy = etcetera::choose_base_strategy().ok()?;
    Some(strategy.config_dir().join("lieu").join("tui.json"))
}

pub fn load() -> Remembered {
    path()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Best effort: a read-only home must not stop the front desk.
pub fn save(remembered: &Remembered) {
    let Some(path) = path() else { return };
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(text) = serde_json::to_string_pretty(remembered) else {
        return;
    };
    // Write then rename, so that a crash never leaves half a file.
    let tmp = path.with_extension("json.tmp");
    if std::fs::write(&tmp, text).is_ok() {
        let _ = std::fs::rename(&tmp, &path);
    }
}

#[cfg(test)]
mod tests {
    use super::Remembered;

    #[test]
    fn only_the_server_and_the_email_are_kept() {
        let r = Remembered {
            server: Some("http://127.0.0.1:8080".into()),
            email: Some("ana@lieu.org".into()),
        };
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(
            text,
            r#"{"server":"http://127.0.0.1:8080","email":"ana@lieu.org"}"#
        );
    }
}
