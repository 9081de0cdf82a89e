//! `lieu-tui`: the front-desk terminal client.

mod api;
mod app;
mod config;
mod format;
mod i18n;
mod keymap;
mod live;
mod runtime;
mod ui;

#[cfg(test)]
mod tests;

use clap::Parser;

/// Lieu's front-desk terminal client.
#[derive(Parser, Debug)]
#[command(name = "lieu-tui", version, about)]
struct Args {
    /// The Lieu server [default: the last one used, else http://127.0.0.1:8080].
    #[arg(long, env = "LIEU_SERVER")]
    server: Option<String>,
    /// Interface language: fr or en [default: from the locale, French unless English].
    #[arg(long, env = "LIEU_LANG")]
    lang: Option<i18n::Lang>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let lang = args.lang.unwrap_or_else(i18n::Lang::from_env);
    let remembered = config::load();
    let server = args
        .server
        .or(remembered.server)
        .unwrap_or_else(|| "http://127.0.0.1:8080".to_string());
    let client = api::Client::new(&server)?;
    let app = app::App::new(
        &server,
        remembered.email.as_deref().unwrap_or_default(),
        lang,
        chrono::Utc::now(),
    );
    // ratatui::init installs a panic hook that restores the terminal before the panic message
    // is printed; the guard restores it on every other way out (errors included).
    let terminal = ratatui::init();
    let _guard = TerminalGuard;
    runtime::run(app, client, terminal).await
}

/// Restores the terminal (raw mode off, main screen back) however `main` ends.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
