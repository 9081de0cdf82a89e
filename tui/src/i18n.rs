//! French and English. Every string the user reads comes from [`Text`].

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// French unless the environment's locale says English.
    pub fn from_env() -> Self {
        let locale = std::env::var("LC_ALL")
            .or_else(|_| std::env::var("LC_MESSAGES"))
            .or_else(|_| std::env::var("LANG"))
            .unwrap_or_default();
        if locale.starts_with("en") {
            Lang::En
        } else {
            Lang::Fr
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }
}

pub struct Text {
    pub app_title: &'static str,
    pub login_title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub login_help: &'static str,
    pub signing_in: &'static str,
    pub empty_fields: &'static str,
    pub bad_credentials: &'static str,
    pub rate_limited: &'static str,
    pub unreachable: &'static str,
    pub welcome: &'static str,
    pub role: &'static str,
    pub sites: &'static str,
    pub loading: &'static str,
    pub no_sites: &'static str,
    pub home_help: &'static str,
    pub server: &'static str,
    /// ADMIN, MANAGER, VOLUNTEER as people say them.
    pub roles: [&'static str; 3],
}

impl Text {
    /// The role's name in this language (the API name when unknown).
    pub fn role_name<'a>(&self, api_name: &'a str) -> &'a str {
        match api_name {
            "ADMIN" => self.roles[0],
            "MANAGER" => self.roles[1],
            "VOLUNTEER" => self.roles[2],
            other => other,
        }
    }
}

pub static FR: Text = Text {
    app_title: "Lieu — accueil",
    login_title: "Connexion",
    email: "Email",
    password: "Mot de passe",
    login_help: "Tab : champ suivant · Entrée : se connecter · Échap : quitter · F2 : English",
    signing_in: "Connexion en cours…",
    empty_fields: "Saisissez votre email et votre mot de passe.",
    bad_credentials: "Email ou mot de passe incorrect.",
    rate_limited: "Trop de tentatives : réessayez dans {s} s.",
    unreachable: "Serveur injoignable ({url}). Vérifiez qu'il tourne : lieu-api serve",
    welcome: "Bonjour",
    role: "Rôle :",
    sites: "Sites",
    loading: "Chargement…",
    no_sites: "Aucun site.",
    home_help: "r : actualiser · d : se déconnecter · q : quitter · F2 : English",
    server: "Serveur",
    roles: ["Administration", "Gestion", "Bénévole"],
};

pub static EN: Text = Text {
    app_title: "Lieu — front desk",
    login_title: "Sign in",
    email: "Email",
    password: "Password",
    login_help: "Tab: next field · Enter: sign in · Esc: quit · F2: français",
    signing_in: "Signing in…",
    empty_fields: "Type your email and password.",
    bad_credentials: "Wrong email or password.",
    rate_limited: "Too many attempts: try again in {s} s.",
    unreachable: "Cannot reach the server ({url}). Is it running? lieu-api serve",
    welcome: "Hello",
    role: "Role:",
    sites: "Sites",
    loading: "Loading…",
    no_sites: "No site.",
    home_help: "r: refresh · d: sign out · q: quit · F2: français",
    server: "Server",
    roles: ["Administrator", "Manager", "Volunteer"],
};
