//! Sites: public to read, ADMIN to create and rename.

pub mod opening_hours;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use lieu_entity::site;

use crate::auth::guard::{Permission, Require};
use crate::domain::{Name, TimeZoneName, optional_text, parse_id, parse_postal_code};
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::inputs::change;
use crate::service::sites;

/// A venue, or one building of it. Every "day" of the API is a local day in its time zone.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Site {
    pub id: ID,
    pub name: String,
    /// IANA time zone name, e.g. `Europe/Paris`.
    pub timezone: String,
    pub address: Option<String>,
    /// The venue's public web page (its agenda), linked from the calendar feed's events.
    pub public_url: Option<String>,
    /// The commune of reference for the impact report's territories: participants with this
    /// postal code are from the COMMUNE, with its first two digits (2A/2B, 97x) from the
    /// DEPARTEMENT.
    pub postal_code: Option<String>,
}

impl From<site::Model> for Site {
    fn from(model: site::Model) -> Self {
        Self {
            id: ID(model.id.to_string()),
            name: model.name,
            timezone: model.timezone,
            address: model.address,
            public_url: model.public_url,
            postal_code: model.postal_code,
        }
    }
}

#[derive(InputObject)]
pub struct CreateSiteInput {
    pub name: String,
    /// IANA time zone name; defaults to `Europe/Paris`.
    pub timezone: Option<String>,
    pub address: Option<String>,
    /// The commune of reference (`44200`).
    pub postal_code: Option<String>,
}

impl TryFrom<CreateSiteInput> for sites::NewSite {
    type Error = AppError;

    fn try_from(input: CreateSiteInput) -> AppResult<Self> {
        Ok(Self {
            name: Name::parse("name", &input.name)?,
            timezone: TimeZoneName::parse(
                "timezone",
                input.timezone.as_deref().unwrap_or("Europe/Paris"),
            )?,
            address: optional_text("address", input.address.as_deref(), 500)?,
            postal_code: match input.postal_code.as_deref() {
                Some(code) => parse_postal_code("postalCode", code)?,
                None => None,
            },
        })
    }
}

#[derive(InputObject)]
pub struct UpdateSiteInput {
    pub name: Option<String>,
    /// The postal address; an empty string clears it.
    pub address: Option<String>,
    /// The venue's public page, `https://…`; an empty string clears it.
    pub public_url: Option<String>,
    /// The commune of reference (`44200`); an empty string clears it.
    pub postal_code: Option<String>,
}

impl TryFrom<UpdateSiteInput> for sites::SiteChanges {
    type Error = AppError;

    fn try_from(input: UpdateSiteInput) -> AppResult<Self> {
        Ok(Self {
            name: input
                .name
                .as_deref()
                .map(|n| Name::parse("name", n))
                .transpose()?,
            address: input
                .address
                .as_deref()
                .map(|a| optional_text("address", Some(a), 500))
                .transpose()?,
            public_url: change(input.public_url.as_deref(), |u| web_address("publicUrl", u))?,
            postal_code: change(input.postal_code.as_deref(), |c| {
                parse_postal_code("postalCode", c)
            })?,
        })
    }
}

/// A web address people can open: `http(s)://…`, empty for none.
fn web_address(field: &str, raw: &str) -> AppResult<Option<String>> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if !(value.starts_with("https://") || value.starts_with("http://"))
        || value.len() > 500
        || value.contains(char::is_whitespace)
    {
        return Err(AppError::validation(
            field,
            format!("'{value}' is not a web address like https://exemple.fr/agenda"),
        ));
    }
    Ok(Some(value.to_string()))
}

#[derive(Default)]
pub struct SiteQuery;

#[Object]
impl SiteQuery {
    /// Every site, the default site (the first one) first. Public.
    async fn sites(&self, ctx: &Context<'_>) -> AppResult<Vec<Site>> {
        let models = sites::list_sites(&ctx.state()?.db).await?;
        Ok(models.into_iter().map(Site::from).collect())
    }
}

#[derive(Default)]
pub struct SiteMutation;

#[Object]
impl SiteMutation {
    /// Adds a site. ADMIN only.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn create_site(&self, ctx: &Context<'_>, input: CreateSiteInput) -> AppResult<Site> {
        let new_site = sites::NewSite::try_from(input)?;
        let state = ctx.state()?;
        Ok(sites::create_site(&state.db, state.clock.now(), new_site)
            .await?
            .into())
    }

    /// Renames a site. ADMIN only.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn rename_site(&self, ctx: &Context<'_>, id: ID, name: String) -> AppResult<Site> {
        let changes = sites::SiteChanges::try_from(UpdateSiteInput {
            name: Some(name),
            address: None,
            public_url: None,
            postal_code: None,
        })?;
        let id = parse_id("id", &id)?;
        Ok(sites::update_site(&ctx.state()?.db, id, changes)
            .await?
            .into())
    }

    /// Changes a site's name and/or address (an empty address clears it). ADMIN only. The time
    /// zone cannot change: every stored local day of the site depends on it.
    #[graphql(guard = "Require(Permission::Administer)")]
    async fn update_site(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateSiteInput,
    ) -> AppResult<Site> {
        let changes = sites::SiteChanges::try_from(input)?;
        let id = parse_id("id", &id)?;
        Ok(sites::update_site(&ctx.state()?.db, id, changes)
            .await?
            .into())
    }
}
