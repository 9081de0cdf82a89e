//! `lieu-api export KIND` and `lieu-api report funder`: the same files as `GET /exports/…` and
//! `GET /reports/…`, written to a file (or to stdout), with a progress bar on a terminal and a
//! last line on stderr saying what was written where.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use uuid::Uuid;

use crate::clock::Clock;
use crate::config::DatabaseArgs;
use crate::db;
use crate::domain::{CsvFormat, Lang};
use crate::service::exports::fec::{self, FecRequest};
use crate::service::exports::funder::{self, FunderRequest, ReportFormat};
use crate::service::exports::{self, Export, SheetOptions, SheetRequest};
use crate::service::reports::Period;

const SHEET_HELP: &str = "\
The sheet opens in a French spreadsheet as it is (--format fr, the default: ';' between cells,
decimal comma, dd/mm/yyyy dates, UTF-8 with a byte-order mark); --format plain is for programs
(',', decimal dot, ISO dates). Headers are in French, or in English with --lang en. A cell that
would start a formula (= + - @) is written with a leading ' so that it stays text.

Examples:
  lieu-api export revenues --from 2025-01-01 --to 2025-12-31 --out recettes-2025.csv
  lieu-api export grant-payments --from 2025-01-01 --to 2025-12-31 --format plain --lang en
  lieu-api export volunteer-hours --from 2025-01-01 --to 2025-12-31 --site <site id>";

const MEMBERS_HELP: &str = "\
The memberships active on a day (not cancelled), by name, with the plan, the period and what
was paid. Erased people are listed without any personal data.

Examples:
  lieu-api export members --on 2025-12-31 --out adherents.csv
  lieu-api export members --on 2025-06-30 --format plain --lang en";

const REGISTRATIONS_HELP: &str = "\
Every registration of one event (cancelled ones too): the door list, confirmed first, then the
waiting line in order.

Example:
  lieu-api export registrations --event <event id> --out inscriptions.csv";

const FEC_HELP: &str = "\
The FEC (fichier des écritures comptables) of a calendar year, as accounting software imports
it: the 18 legal columns, tab-separated, dates AAAAMMJJ, decimal comma. One balanced entry per
revenue line and per grant payment (bank 512 debited, the account of the stream or of the
funder's kind credited); a reversal is the opposite entry. The accounts follow the chart an
ADMIN edits with setAccountMapping (the association chart by default); when an account is
missing the file is refused and nothing is written. The legal file name starts with the SIREN:
rename FEC20251231.txt to <SIREN>FEC20251231.txt before sending it.

Examples:
  lieu-api export fec --year 2025 --out FEC20251231.txt
  lieu-api export fec --year 2025 --with-contributions --out FEC20251231.txt";

const FUNDER_HELP: &str = "\
One page for a funder: the venue, the grant and its payments, the hybrid model's figures and
the self-financing ratio, the impact against the year's objectives, volunteering and in-kind,
a bar chart of resources and the month-by-month table. HTML to print (A4, no script, works
offline) or Markdown; French, or English with --lang en. With --grant the period is the grant's,
unless --from and --to say otherwise.

Examples:
  lieu-api report funder --grant <grant id> --out rapport-region.html
  lieu-api report funder --from 2025-01-01 --to 2025-12-31 --format md --lang en";

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Revenue lines received in a period (reversals included, negative).
    #[command(after_help = SHEET_HELP)]
    Revenues(PeriodSheet),
    /// Grant payments received in a period, with their funder.
    #[command(name = "grant-payments", after_help = SHEET_HELP)]
    GrantPayments(PeriodSheet),
    /// Grants running in a period or paid within it: asked, awarded, received.
    #[command(after_help = SHEET_HELP)]
    Grants(PeriodSheet),
    /// Volunteer entries of a period, valued at the rate of their day.
    #[command(name = "volunteer-hours", after_help = SHEET_HELP)]
    VolunteerHours(PeriodSheet),
    /// Members on a day.
    #[command(after_help = MEMBERS_HELP)]
    Members(MembersSheet),
    /// The registrations of an event.
    #[command(after_help = REGISTRATIONS_HELP)]
    Registrations(RegistrationsSheet),
    /// The FEC (legal accounting journal) of a year.
    #[command(after_help = FEC_HELP)]
    Fec(FecArgs),
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The one-page report for a funder, of a grant or of a period.
    #[command(after_help = FUNDER_HELP)]
    #[command(group(clap::ArgGroup::new("what").required(true).args(["grant", "from"]).multiple(true)))]
    Funder(FunderArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Fr,
    Plain,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LangArg {
    Fr,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Fr => Lang::Fr,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Args)]
pub struct Output {
    /// Write to this file (without it: to stdout).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Args)]
pub struct SheetArgs {
    /// fr (the default): ';', decimal comma, dd/mm/yyyy, BOM; plain: ',', dot, ISO dates.
    #[arg(long, value_enum, default_value = "fr")]
    format: FormatArg,
    /// The language of the header row and of the labels.
    #[arg(long, value_enum, default_value = "fr")]
    lang: LangArg,
    #[command(flatten)]
    output: Output,
}

impl SheetArgs {
    fn options(&self) -> SheetOptions {
        SheetOptions {
            format: match self.format {
                FormatArg::Fr => CsvFormat::Fr,
                FormatArg::Plain => CsvFormat::Plain,
            },
            lang: self.lang.into(),
        }
    }
}

#[derive(Args)]
pub struct PeriodSheet {
    /// The first local day, included (2025-01-01).
    #[arg(long)]
    from: NaiveDate,
    /// The last local day, included (2025-12-31).
    #[arg(long)]
    to: NaiveDate,
    /// One site only (its id); all sites without it.
    #[arg(long)]
    site: Option<Uuid>,
    #[command(flatten)]
    sheet: SheetArgs,
}

#[derive(Args)]
pub struct MembersSheet {
    /// The day the memberships are active on.
    #[arg(long, required_unless_present = "to")]
    on: Option<NaiveDate>,
    /// Same as --on (the last day of a period).
    #[arg(long, conflicts_with = "on")]
    to: Option<NaiveDate>,
    #[command(flatten)]
    sheet: SheetArgs,
}

#[derive(Args)]
pub struct RegistrationsSheet {
    /// The event's id.
    #[arg(long)]
    event: Uuid,
    #[command(flatten)]
    sheet: SheetArgs,
}

#[derive(Args)]
pub struct FecArgs {
    /// The calendar year (2025).
    #[arg(long)]
    year: i32,
    /// Add the voluntary contributions: volunteering (864/875) and free room loans (861/871).
    #[arg(long)]
    with_contributions: bool,
    #[command(flatten)]
    output: Output,
}

#[derive(Args)]
pub struct FunderArgs {
    /// The grant the report is for (its id).
    #[arg(long)]
    grant: Option<Uuid>,
    /// The period's first local day (with --to; without --grant, required).
    #[arg(long, requires = "to")]
    from: Option<NaiveDate>,
    /// The period's last local day.
    #[arg(long, requires = "from")]
    to: Option<NaiveDate>,
    /// html (to print) or md.
    #[arg(long, default_value = "html", value_parser = ["html", "md"])]
    format: String,
    #[arg(long, value_enum, default_value = "fr")]
    lang: LangArg,
    #[command(flatten)]
    output: Output,
}

/// A bar on stderr for a long export, hidden when stderr is not a terminal (pipes, CI).
fn progress() -> ProgressBar {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("reading [{bar:40}] {pos}/{len} lines ({eta})")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar
}

async fn connect(database: DatabaseArgs) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let db = db::connect(&database.into())
        .await
        .context("connecting to the database")?;
    db::migrate(&db).await.context("applying migrations")?;
    Ok(db)
}

/// Writes the export where asked, then says so on stderr.
fn deliver(export: Export, out: Option<PathBuf>, what: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => {
            std::fs::write(&path, &export.body)
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "Wrote {} lines to {} ({what}).",
                export.lines,
                path.display()
            );
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&export.body)
                .context("writing to stdout")?;
            stdout.flush().ok();
            eprintln!("Wrote {} lines to stdout ({what}).", export.lines);
        }
    }
    Ok(())
}

/// `lieu-api export …`.
pub async fn export(command: ExportCommand) -> anyhow::Result<()> {
    let period = |p: &PeriodSheet| Period::new(p.from, p.to, p.site);
    let (request, sheet) = match command {
        ExportCommand::Fec(args) => {
            let db = connect(args.output.database).await?;
            let bar = progress();
            let export = fec::fec(
                &db,
                FecRequest {
                    year: args.year,
                    with_contributions: args.with_contributions,
                },
                &bar,
            )
            .await?;
            let what = format!("the FEC of {}, plus its header line", args.year);
            return deliver(export, args.output.out, &what);
        }
        ExportCommand::Revenues(p) => (SheetRequest::Revenues(period(&p)?), p.sheet),
        ExportCommand::GrantPayments(p) => (SheetRequest::GrantPayments(period(&p)?), p.sheet),
        ExportCommand::Grants(p) => (SheetRequest::Grants(period(&p)?), p.sheet),
        ExportCommand::VolunteerHours(p) => (SheetRequest::VolunteerHours(period(&p)?), p.sheet),
        ExportCommand::Members(m) => {
            let on =
                m.on.or(m.to)
                    .context("give --on (the day members are active on)")?;
            (SheetRequest::Members { on }, m.sheet)
        }
        ExportCommand::Registrations(r) => {
            (SheetRequest::Registrations { event_id: r.event }, r.sheet)
        }
    };
    let options = sheet.options();
    let db = connect(sheet.output.database).await?;
    let bar = progress();
    let export = exports::sheet(&db, request, options, &bar).await?;
    let what = "plus the header line".to_string();
    deliver(export, sheet.output.out, &what)
}

/// `lieu-api report …`.
pub async fn report(command: ReportCommand) -> anyhow::Result<()> {
    let ReportCommand::Funder(args) = command;
    let db = connect(args.output.database).await?;
    let request = FunderRequest {
        grant_id: args.grant,
        from: args.from,
        to: args.to,
        format: ReportFormat::parse("format", &args.format)?,
        lang: args.lang.into(),
    };
    let export = funder::funder_report(&db, Clock::system().now(), request).await?;
    let what = "the funder report".to_string();
    deliver(export, args.output.out, &what)
}
