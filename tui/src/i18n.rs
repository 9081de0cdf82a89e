//! French and English. Strings sit next to their use as `lang.t("fr", "en")`, so that the two
//! versions are always read (and changed) together.

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// English when the locale says so, French otherwise (a French venue's default).
    pub fn from_env() -> Self {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty())
            .unwrap_or_default();
        Self::from_locale(&locale)
    }

    pub fn from_locale(locale: &str) -> Self {
        if locale.starts_with("en") {
            Lang::En
        } else {
            Lang::Fr
        }
    }

    pub fn t(self, fr: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// A name quoted the way the language does: « Salle » / “Room”.
    pub fn quoted(self, text: &str) -> String {
        match self {
            Lang::Fr => format!("« {text} »"),
            Lang::En => format!("“{text}”"),
        }
    }

    pub fn other(self) -> Self {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn locale_picks_the_language() {
        assert_eq!(Lang::from_locale("en_GB.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("fr_FR.UTF-8"), Lang::Fr);
        assert_eq!(Lang::from_locale(""), Lang::Fr);
        assert_eq!(Lang::from_locale("C.UTF-8"), Lang::Fr);
    }
}
