//! The demo venue: a believable tiers-lieu to try Lieu on, seeded only into an empty database.
//! Each area adds its own part in a module of its own.

mod events;
pub mod money;
pub mod network;
pub mod people;
mod spaces;

use lieu_entity::{user, volunteer_entry};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::clock::Clock;
use crate::domain::{Email, Name, Password, Role, TimeZoneName};
use crate::error::AppResult;
use crate::service::{accounts, sites, volunteering};

/// A demo login, printed at start-up.
pub struct DemoLogin {
    pub role: Role,
    pub email: &'static str,
    pub password: &'static str,
}

pub const DEMO_LOGINS: [DemoLogin; 3] = [
    DemoLogin {
        role: Role::Admin,
        email: "admin@demo.lieu",
        password: "demo-admin-pass",
    },
    DemoLogin {
        role: Role::Manager,
        email: "manager@demo.lieu",
        password: "demo-manager-pass",
    },
    DemoLogin {
        role: Role::Volunteer,
        email: "volunteer@demo.lieu",
        password: "demo-volunteer-pass",
    },
];

/// Seeds the demo venue when no user exists yet. Returns false (and writes nothing) otherwise.
pub async fn seed_if_empty(db: &DatabaseConnection, clock: &Clock) -> AppResult<bool> {
    if user::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let main_site = sites::default_site(db).await?;
    sites::update_site(
        db,
        main_site.id,
        sites::SiteChanges {
            name: Some(Name::parse("name", "La Fabrique des Communs")?),
            address: Some(Some("12 rue des Ateliers, 44200 Nantes".into())),
            public_url: Some(Some(
                "https://fabrique-des-communs.example.org/agenda".into(),
            )),
            postal_code: Some(Some("44200".into())),
        },
    )
    .await?;
    let garden = sites::create_site(
        db,
        clock.now(),
        sites::NewSite {
            name: Name::parse("name", "Le Jardin du Moulin")?,
            timezone: TimeZoneName::parse("timezone", "Europe/Paris")?,
            address: Some("2 chemin du Moulin, 44000 Nantes".into()),
            postal_code: Some("44000".into()),
        },
    )
    .await?;
    let names = ["Camille Durand", "Karim Benali", "Lucie Martin"];
    for (login, name) in DEMO_LOGINS.iter().zip(names) {
        accounts::create_user(
            db,
            clock.now(),
            accounts::NewUser {
                email: Email::parse("email", login.email)?,
                name: Name::parse("name", name)?,
                role: login.role,
                password: Password::parse(login.password)?,
            },
        )
        .await?;
    }
    // People first: the demo bookings are made for some of them.
    people::seed_demo(db, clock.now()).await?;
    spaces::seed(db, clock, garden.id).await?;
    money::seed_demo(db, clock.now()).await?;
    link_the_desk_volunteer(db).await?;
    Ok(true)
}

/// The desk volunteer's account is one of the team who gave hours, so that their own hours
/// (the terminal's Hours screen) show something.
async fn link_the_desk_volunteer(db: &DatabaseConnection) -> AppResult<()> {
    let Some(entry) = volunteer_entry::Entity::find()
        .order_by_asc(volunteer_entry::Column::Date)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let email = Email::parse("email", DEMO_LOGINS[2].email)?;
    let volunteer = user::Entity::find()
        .filter(user::Column::EmailKey.eq(email.key()))
        .one(db)
        .await?;
    if let Some(volunteer) = volunteer {
        volunteering::link_staff(db, volunteer.id, entry.person_id).await?;
    }
    Ok(())
}

/// Whether the demo's logins are in this database (a restart with `--demo` of a database the
/// demo was seeded into: its logins are printed again).
pub async fn has_demo_logins(db: &DatabaseConnection) -> AppResult<bool> {
    let emails = DEMO_LOGINS.iter().map(|login| login.email);
    let found = user::Entity::find()
        .filter(user::Column::EmailKey.is_in(emails))
        .count(db)
        .await?;
    Ok(found == DEMO_LOGINS.len() as u64)
}

/// The lines printed after seeding, so that people can sign in straight away.
pub fn logins_banner(bind: &std::net::SocketAddr) -> String {
    let mut out = format!("Demo venue ready. GraphiQL: http://{bind}/graphql — sign in with:\n");
    for login in &DEMO_LOGINS {
        out.push_str(&format!(
            "  {:<10} {:<22} password: {}\n",
            login.role.as_str(),
            login.email,
            login.password
        ));
    }
    out.push_str("These are demo credentials: never use --demo on a real venue's database.\n");
    out
}
