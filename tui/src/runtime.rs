//! The only place that waits: terminal events, ticks and API answers meet on one channel; the
//! app's [`Io`] is carried out here.

use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};
use tokio::sync::mpsc;

use crate::api::{Client, perform};
use crate::app::{Action, App, Io};
use crate::config;
use crate::ui;

pub async fn run(
    mut app: App,
    mut client: Client,
    mut terminal: DefaultTerminal,
) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    spawn_terminal_reader(tx.clone());
    let ticks = tx.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_millis(250));
        loop {
            interval.tick().await;
            if ticks.send(Action::Tick(chrono::Utc::now())).is_err() {
                break;
            }
        }
    });
    // The activity subscription, (re)started with each new session token.
    let mut live: Option<tokio::task::JoinHandle<()>> = None;
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    while app.running {
        terminal.draw(|frame| ui::render(&app, frame))?;
        let Some(action) = rx.recv().await else { break };
        let mut io = app.update(action);
        // Several actions may be waiting (a pasted text, a burst of answers): apply them all
        // before drawing again.
        while let Ok(action) = rx.try_recv() {
            io.extend(app.update(action));
        }
        for io in io {
            match io {
                Io::Perform(ticket, request) => {
                    let (client, tx) = (client.clone(), tx.clone());
                    tokio::spawn(async move {
                        let response = perform(&client, request).await;
                        let _ = tx.send(Action::Response(ticket, response));
                    });
                }
                Io::RetryAfter(delay, ticket) => {
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(delay).await;
                        let _ = tx.send(Action::Retry(ticket));
                    });
                }
                Io::SetToken(token) => {
                    if let Some(task) = live.take() {
                        task.abort();
                    }
                    if let Some(token) = &token {
                        let task = crate::live::run(app.server.clone(), token.clone(), tx.clone());
                        live = Some(tokio::spawn(task));
                    }
                    client.set_token(token);
                }
                Io::SetServer(server) => match Client::new(&server) {
                    Ok(new) => client = new,
                    Err(_) => continue,
                },
                Io::Remember { server, email } => config::save(&config::Remembered {
                    server: Some(server),
                    email: Some(email),
                }),
                Io::Quit => app.running = false,
            }
        }
    }
    Ok(())
}

/// Terminal events on their own thread (crossterm's reads block).
fn spawn_terminal_reader(tx: mpsc::UnboundedSender<Action>) {
    std::thread::spawn(move || {
        loop {
            match event::poll(Duration::from_millis(200)) {
                Ok(true) => {
                    let action = match event::read() {
                        Ok(Event::Key(key)) => Action::Key(key),
                        Ok(Event::Resize(w, h)) => Action::Resize(w, h),
                        Ok(_) => continue,
                        Err(_) => break,
                    };
                    if tx.send(action).is_err() {
                        break;
                    }
                }
                Ok(false) if tx.is_closed() => break,
                Ok(false) => {}
                Err(_) => break,
            }
        }
    });
}
