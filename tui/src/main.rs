//! `lieu-tui`: the front-desk terminal client. Sign in, then work without a browser.

mod action;
mod api;
mod app;
mod i18n;
mod keymap;
mod ui;

use clap::Parser;

/// Lieu's front-desk terminal client.
#[derive(Parser, Debug)]
#[command(name = "lieu-tui", version, about)]
struct Args {
    /// The Lieu server to talk to.
    #[arg(long, env = "LIEU_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// Interface language: fr or en [default: from LANG, else fr].
    #[arg(long, env = "LIEU_LANG")]
    lang: Option<i18n::Lang>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let lang = args.lang.unwrap_or_else(i18n::Lang::from_env);
    let client = api::Client::new(&args.server)?;
    // ratatui::init installs a panic hook that restores the terminal before the panic message;
    // the guard restores it on every other way out.
    let terminal = ratatui::init();
    let _guard = TerminalGuard;
    app::App::new(client, lang).run(terminal).await
}

/// Restores the terminal (raw mode off, main screen back) however `main` ends.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
