//! `lieu-api import people|memberships FILE.csv`: bring a venue's spreadsheet (or another
//! association tool's export) into Lieu. A dry run by default: every line is checked against
//! the file and the database and reported (what would be created, or what is wrong). With
//! `--apply`, everything is written in one transaction, or nothing when any line is wrong.

mod memberships;
mod people;
pub mod table;

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub use memberships::import_memberships;
pub use people::import_people;

/// Rows per multi-row INSERT: few statements, well under the parameter limits of SQLite
/// (32,766) and PostgreSQL (65,535).
const BATCH: usize = 500;

/// What to do with a line that names somebody Lieu already knows (by email, else by name and
/// postal code).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OnExisting {
    /// Report the line as an error: nothing is written (the default, for a first import).
    #[default]
    Error,
    /// Leave the person as Lieu has them and go on with the other lines.
    Skip,
    /// Fill in what the line gives (an empty cell keeps what Lieu has).
    Update,
}

/// What an import found and did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines that are fine (created with `--apply`, would be created without).
    pub ok: usize,
    /// Lines of people already known, left as they are (`--on-existing skip`).
    pub skipped: usize,
    /// Lines of people already known, updated (`--on-existing update`; counted even when
    /// nothing differs).
    pub updated: usize,
    /// Lines with at least one problem.
    pub bad: usize,
    /// Whether the database was written.
    pub written: bool,
}

/// The per-line report, written as the import goes.
pub struct Report<'a> {
    out: &'a mut dyn Write,
    pub summary: Summary,
}

impl<'a> Report<'a> {
    pub fn new(out: &'a mut dyn Write) -> Self {
        Self {
            out,
            summary: Summary::default(),
        }
    }

    pub fn say(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
    }

    pub fn line_ok(&mut self, line: u64, what: &str, apply: bool) {
        self.summary.ok += 1;
        let verb = if apply { "create" } else { "would create" };
        let _ = writeln!(self.out, "line {line}: {verb} {what}");
    }

    pub fn line_skipped(&mut self, line: u64, what: &str, known: uuid::Uuid, apply: bool) {
        self.summary.skipped += 1;
        let verb = if apply { "skipped" } else { "would skip" };
        let _ = writeln!(
            self.out,
            "line {line}: {verb} {what} (already person {known})"
        );
    }

    pub fn line_updated(
        &mut self,
        line: u64,
        what: &str,
        known: uuid::Uuid,
        fields: &[&str],
        apply: bool,
    ) {
        self.summary.updated += 1;
        let text = match (fields.is_empty(), apply) {
            (true, _) => format!("{what} is already up to date (person {known})"),
            (false, true) => format!("updated {what}: {} (person {known})", fields.join(", ")),
            (false, false) => {
                format!(
                    "would update {what}: {} (person {known})",
                    fields.join(", ")
                )
            }
        };
        let _ = writeln!(self.out, "line {line}: {text}");
    }

    pub fn line_bad(&mut self, line: u64, problems: &[String]) {
        self.summary.bad += 1;
        let _ = writeln!(self.out, "line {line}: ERROR {}", problems.join("; "));
    }
}

/// A progress bar on stderr, hidden when stderr is not a terminal (pipes, CI, tests).
pub fn progress(len: usize, message: &'static str) -> ProgressBar {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} lines ({eta})")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// The closing lines of a report.
/// `noun` is (one, many): ("person", "people").
pub fn conclude(report: &mut Report<'_>, apply: bool, noun: (&str, &str)) {
    let Summary {
        ok,
        bad,
        written,
        skipped,
        updated,
    } = report.summary;
    let (one, many) = noun;
    let noun = if ok == 1 { one } else { many };
    let mut known = String::new();
    if skipped > 0 {
        known.push_str(&format!(", {skipped} already known left as they are"));
    }
    if updated > 0 {
        known.push_str(&format!(", {updated} already known updated"));
    }
    let text = if bad > 0 {
        let fine = ok + skipped + updated;
        format!(
            "{bad} line(s) with errors, {fine} fine: nothing was written. Fix the lines above and run again."
        )
    } else if written {
        format!("Done: {ok} {noun} created{known}.")
    } else if apply && skipped + updated > 0 {
        format!("Nothing new to write: {ok} {noun} created{known}.")
    } else if apply {
        format!("Nothing to import: the file has no {many}.")
    } else {
        let known = known
            .replace("left as", "would be left as")
            .replace("known updated", "known would be updated");
        format!(
            "Dry run: {ok} {noun} would be created{known}; nothing was written. Run again with --apply to write them."
        )
    };
    report.say(&text);
}

/// Parses an amount as typed in a French or English spreadsheet: `12,50`, `12.50`, `12,50 €`,
/// `1 234,5`.
pub fn parse_amount(raw: &str) -> Option<rust_decimal::Decimal> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€' && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    let cleaned = cleaned.trim_end_matches("EUR").replace(',', ".");
    cleaned.parse().ok()
}

/// Parses a day written `2026-09-01`, `01/09/2026` or `1/9/2026` (day first, as in France).
pub fn parse_day(raw: &str) -> Option<chrono::NaiveDate> {
    let raw = raw.trim();
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(raw, "%d-%m-%Y"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(raw, "%d.%m.%Y"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_days_as_spreadsheets_write_them() {
        use rust_decimal::Decimal;
        assert_eq!(parse_amount("12,50"), Some(Decimal::new(1250, 2)));
        assert_eq!(parse_amount(" 12.5 € "), Some(Decimal::new(125, 1)));
        assert_eq!(parse_amount("1 234,00"), Some(Decimal::new(123400, 2)));
        assert_eq!(parse_amount("15 EUR"), Some(Decimal::from(15)));
        assert_eq!(parse_amount("quinze"), None);
        let d = chrono::NaiveDate::from_ymd_opt(2026, 9, 1);
        assert_eq!(parse_day("2026-09-01"), d);
        assert_eq!(parse_day("01/09/2026"), d);
        assert_eq!(parse_day("1/9/2026"), d);
        assert_eq!(parse_day("31/02/2026"), None);
        assert_eq!(parse_day("09/2026"), None);
    }
}
