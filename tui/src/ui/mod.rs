//! Pure rendering: `render(&App, &mut Frame)`, one module per screen.

mod home;
mod login;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Style, Stylize};
use ratatui::text::Line;

use crate::app::{App, Screen};

pub fn render(app: &App, frame: &mut Frame) {
    let [title, body, help] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    let text = app.text();
    frame.render_widget(
        Line::from(format!(
            " {} · {} {}",
            text.app_title, text.server, app.client.server
        ))
        .style(Style::new().bold().reversed()),
        title,
    );
    let help_text = match &app.screen {
        Screen::Login(state) => {
            login::render(app, state, frame, body);
            text.login_help
        }
        Screen::Home(state) => {
            home::render(app, state, frame, body);
            text.home_help
        }
    };
    frame.render_widget(Line::from(format!(" {help_text}")).dim(), help);
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::action::Action;
    use crate::api::{Client, Me, SiteRow};
    use crate::app::App;
    use crate::i18n::Lang;

    fn draw(app: &App) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 16)).unwrap();
        terminal.draw(|frame| super::render(app, frame)).unwrap();
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    fn app(lang: Lang) -> App {
        App::new(Client::new("http://127.0.0.1:8080").unwrap(), lang)
    }

    #[tokio::test]
    async fn login_screen_in_both_languages_masks_the_password() {
        let mut app = app(Lang::Fr);
        for c in "ana@lieu.org".chars() {
            app.update(Action::Input(c));
        }
        app.update(Action::NextField);
        for c in "secret-pass".chars() {
            app.update(Action::Input(c));
        }
        let screen = draw(&app);
        assert!(screen.contains("Connexion"), "{screen}");
        assert!(screen.contains("ana@lieu.org"));
        assert!(
            !screen.contains("secret-pass"),
            "password shown in clear:\n{screen}"
        );
        assert!(screen.contains("•••••••••••"));
        insta::assert_snapshot!("login_fr", screen);

        app.update(Action::ToggleLang);
        let screen = draw(&app);
        assert!(screen.contains("Sign in"), "{screen}");
        insta::assert_snapshot!("login_en", screen);
    }

    #[tokio::test]
    async fn home_screen_shows_the_user_and_sites_then_the_empty_state() {
        let mut app = app(Lang::En);
        let me = Me {
            id: "1".into(),
            email: "lucie@lieu.org".into(),
            name: "Lucie Martin".into(),
            role: "VOLUNTEER".into(),
        };
        app.update(Action::LoggedIn(Ok(("token".into(), me))));
        let loading = draw(&app);
        assert!(
            loading.contains("Lucie Martin") && loading.contains("Loading"),
            "{loading}"
        );

        app.update(Action::SitesLoaded(Ok(vec![SiteRow {
            id: "s".into(),
            name: "La Fabrique".into(),
            timezone: "Europe/Paris".into(),
            address: Some("1 rue des Communs".into()),
        }])));
        let screen = draw(&app);
        assert!(
            screen.contains("La Fabrique") && screen.contains("Europe/Paris"),
            "{screen}"
        );
        insta::assert_snapshot!("home_en", screen);

        app.update(Action::SitesLoaded(Ok(vec![])));
        assert!(draw(&app).contains("No site."));
    }

    #[tokio::test]
    async fn errors_say_what_to_do() {
        let mut app = app(Lang::Fr);
        app.update(Action::Submit);
        assert!(draw(&app).contains("Saisissez votre email"));
        app.update(Action::LoggedIn(Err(crate::api::ApiError::Graphql {
            code: "RATE_LIMITED".into(),
            message: "x".into(),
            retry_after_seconds: Some(12),
        })));
        assert!(draw(&app).contains("réessayez dans 12 s"));
        app.update(Action::LoggedIn(Err(crate::api::ApiError::Unreachable(
            "refused".into(),
        ))));
        assert!(draw(&app).contains("lieu-api serve"));
    }
}
