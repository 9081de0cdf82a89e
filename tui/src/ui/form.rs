//! A form: labelled fields (text or choice), one focused, errors shown under their field.
//! While a field is being typed into (`typing`), keys go to it; `Esc` leaves it and the
//! global keys work again; `Esc` once more cancels the form (asking first if something was
//! typed). Screens give their fields and decide what submitting does.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::Line;

use crate::i18n::Lang;
use crate::keymap::{Answer, Binding, Cmd, Key, bind};
use crate::ui::screen::{Ctx, Effect, Mode};
use crate::ui::widgets::{TextField, choice_spans, form_line};

pub struct Field {
    pub key: &'static str,
    fr: &'static str,
    en: &'static str,
    pub text: TextField,
    /// Some: a choice among these labels (the arrows change it).
    pub options: Option<Vec<String>>,
    pub choice: usize,
    pub error: Option<String>,
    /// Shown after the value (the floor of a pay-what-you-can plan, a format).
    pub hint: Option<String>,
}

impl Field {
    pub fn text(key: &'static str, fr: &'static str, en: &'static str, value: &str) -> Self {
        Self {
            key,
            fr,
            en,
            text: TextField::new(value),
            options: None,
            choice: 0,
            error: None,
            hint: None,
        }
    }

    pub fn choice(
        key: &'static str,
        fr: &'static str,
        en: &'static str,
        options: Vec<String>,
        choice: usize,
    ) -> Self {
        Self {
            options: Some(options),
            choice,
            ..Self::text(key, fr, en, "")
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
    pub typing: bool,
    /// Something was typed or chosen since the form opened.
    pub dirty: bool,
}

pub static TYPING_KEYS: [Binding; 4] = [
    bind(&[(Key::Enter, Cmd::Submit)], "valider", "submit"),
    bind(
        &[(Key::Tab, Cmd::NextPane), (Key::Down, Cmd::Down)],
        "champ suivant",
        "next field",
    ),
    bind(
        &[(Key::BackTab, Cmd::PrevPane), (Key::Up, Cmd::Up)],
        "précédent",
        "previous",
    ),
    bind(
        &[(Key::Esc, Cmd::Back)],
        "quitter le champ",
        "leave the field",
    ),
];

pub static NAV_KEYS: [Binding; 3] = [
    bind(&[(Key::Enter, Cmd::Submit)], "valider", "submit"),
    bind(
        &[
            (Key::Tab, Cmd::NextPane),
            (Key::Down, Cmd::Down),
            (Key::BackTab, Cmd::PrevPane),
            (Key::Up, Cmd::Up),
        ],
        "champs",
        "fields",
    ),
    bind(&[(Key::Esc, Cmd::Back)], "abandonner", "cancel"),
];

impl Form {
    pub fn new(fields: Vec<Field>) -> Self {
        Self {
            fields,
            focus: 0,
            typing: true,
            dirty: false,
        }
    }

    /// Keys go to the focused field while it is being typed into.
    pub fn mode(&self) -> Mode {
        if self.typing { Mode::Text } else { Mode::Nav }
    }

    pub fn bindings(&self) -> Vec<&'static Binding> {
        if self.typing {
            TYPING_KEYS.iter().collect()
        } else {
            NAV_KEYS.iter().collect()
        }
    }

    pub fn focused(&self) -> &'static str {
        self.fields[self.focus].key
    }

    pub fn field(&self, key: &str) -> &Field {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("no field {key}"))
    }

    pub fn field_mut(&mut self, key: &str) -> &mut Field {
        self.fields
            .iter_mut()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("no field {key}"))
    }

    pub fn value(&self, key: &str) -> &str {
        self.field(key).text.trimmed()
    }

    pub fn choice(&self, key: &str) -> usize {
        self.field(key).choice
    }

    pub fn has(&self, key: &str) -> bool {
        self.fields.iter().any(|f| f.key == key)
    }

    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
    }

    /// Puts an error under a field and the focus on it.
    pub fn error(&mut self, key: &str, message: impl Into<String>) {
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            if self.fields.iter().all(|f| f.error.is_none()) {
                self.focus = i;
                self.typing = true;
            }
            self.fields[i].error = Some(message.into());
        }
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    pub fn step(&mut self, by: isize) {
        let n = self.fields.len() as isize;
        self.focus = (self.focus as isize + by).rem_euclid(n) as usize;
        self.typing = true;
    }

    /// The moves every form shares; `None` for the commands the screen handles itself.
    pub fn command(&mut self, cmd: Cmd, ctx: &Ctx) -> Option<Vec<Effect>> {
        match cmd {
            Cmd::NextPane | Cmd::Down => self.step(1),
            Cmd::PrevPane | Cmd::Up => self.step(-1),
            Cmd::Back if self.typing => self.typing = false,
            Cmd::Back if self.dirty => {
                return Some(vec![Effect::Ask {
                    question: ctx
                        .t(
                            "Abandonner ce formulaire ? Ce qui a été saisi sera perdu.",
                            "Drop this form? What was typed will be lost.",
                        )
                        .into(),
                    answer: Answer::DropInput,
                }]);
            }
            Cmd::Back | Cmd::Yes(Answer::DropInput) => return Some(vec![Effect::Pop]),
            _ => return None,
        }
        Some(vec![])
    }

    /// A key typed into the focused field. True when it changed something.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        let field = &mut self.fields[self.focus];
        let changed = match &field.options {
            Some(options) => match key.code {
                KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if !options.is_empty() => {
                    let n = options.len();
                    field.choice = if key.code == KeyCode::Left {
                        (field.choice + n - 1) % n
                    } else {
                        (field.choice + 1) % n
                    };
                    true
                }
                _ => false,
            },
            None => {
                let before = field.text.value.clone();
                field.text.key(key);
                field.text.value != before
            }
        };
        if changed {
            field.error = None;
            self.dirty = true;
        }
        changed
    }

    pub fn lines(&self, lang: Lang, label_width: usize) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            let editing = focused && self.typing;
            let mut spans = match &f.options {
                Some(options) => choice_spans(
                    options.get(f.choice).map(String::as_str).unwrap_or("—"),
                    editing,
                ),
                None => f.text.spans(editing, false),
            };
            if let Some(hint) = &f.hint {
                spans.push(ratatui::text::Span::styled(
                    format!("  {hint}"),
                    ratatui::style::Style::new().fg(ratatui::style::Color::DarkGray),
                ));
            }
            lines.extend(form_line(
                lang.t(f.fr, f.en),
                spans,
                focused,
                f.error.as_deref(),
                label_width,
            ));
        }
        lines
    }
}
