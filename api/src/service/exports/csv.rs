//! Spreadsheets that open right: a header row in French or English, then one row per record,
//! in one of the two [`CsvFormat`]s, written with the `csv` crate (quoting is its business).
//!
//! Formula injection (OWASP, "CSV Injection"): a text cell that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return is run by a spreadsheet as a formula, so such a cell is written
//! with a leading single quote, which the spreadsheet shows as text. Only text cells are
//! neutralised: the numbers Lieu formats itself (a reversal's `-120,50`) stay numbers, or the
//! sums the accountant makes would skip them.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::{CsvFormat, Hours, Lang, Money};
use crate::error::{AppError, AppResult};

/// One cell, typed so that the format decides how it reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Free text from the data: neutralised.
    Text(String),
    Money(Money),
    Hours(Hours),
    Int(i64),
    Date(NaiveDate),
    /// A local date and time (minutes).
    DateTime(NaiveDateTime),
    Bool(bool),
    Empty,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Self {
        Self::Text(value.into())
    }

    pub fn opt_text(value: Option<impl Into<String>>) -> Self {
        value.map_or(Self::Empty, |v| Self::Text(v.into()))
    }
}

/// `'=1+1` for `=1+1`: what a spreadsheet shows as text (see the module's comment).
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// An amount as the format writes it: `1234,50` or `1234.50` (no thousands separator: a
/// spreadsheet would read `1 234,50` as text).
pub fn decimal_text(value: rust_decimal::Decimal, format: CsvFormat) -> String {
    let text = value.to_string();
    match format {
        CsvFormat::Fr => text.replace('.', ","),
        CsvFormat::Plain => text,
    }
}

/// A sheet being written, in memory (a year of a venue's lines is a few megabytes at most).
pub struct Sheet {
    format: CsvFormat,
    lang: Lang,
    writer: csv::Writer<Vec<u8>>,
    rows: usize,
}

impl Sheet {
    /// A sheet with its header row: each column is named (French, English).
    pub fn new(format: CsvFormat, lang: Lang, columns: &[(&str, &str)]) -> AppResult<Self> {
        let mut out = Vec::new();
        if format == CsvFormat::Fr {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        let writer = csv::WriterBuilder::new()
            .delimiter(match format {
                CsvFormat::Fr => b';',
                CsvFormat::Plain => b',',
            })
            // CRLF, as RFC 4180 and Excel expect.
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let mut sheet = Self {
            format,
            lang,
            writer,
            rows: 0,
        };
        let header: Vec<String> = columns
            .iter()
            .map(|(fr, en)| lang.pick(fr, en).to_string())
            .collect();
        sheet
            .writer
            .write_record(&header)
            .map_err(AppError::internal)?;
        Ok(sheet)
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    fn render(&self, cell: &Cell) -> String {
        let iso = self.format == CsvFormat::Plain;
        match cell {
            Cell::Text(text) => neutralise(text).into_owned(),
            Cell::Money(m) => decimal_text(m.to_decimal(), self.format),
            Cell::Hours(h) => decimal_text(h.to_decimal(), self.format),
            Cell::Int(n) => n.to_string(),
            Cell::Date(d) if iso => d.format("%Y-%m-%d").to_string(),
            Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
            Cell::DateTime(t) if iso => t.format("%Y-%m-%d %H:%M").to_string(),
            Cell::DateTime(t) => t.format("%d/%m/%Y %H:%M").to_string(),
            Cell::Bool(b) => self
                .lang
                .pick(
                    if *b { "oui" } else { "non" },
                    if *b { "yes" } else { "no" },
                )
                .to_string(),
            Cell::Empty => String::new(),
        }
    }

    pub fn row(&mut self, cells: &[Cell]) -> AppResult<()> {
        let record: Vec<String> = cells.iter().map(|c| self.render(c)).collect();
        self.writer
            .write_record(&record)
            .map_err(AppError::internal)?;
        self.rows += 1;
        Ok(())
    }

    /// The bytes and the number of rows (the header aside).
    pub fn finish(self) -> AppResult<(Vec<u8>, usize)> {
        let rows = self.rows;
        let bytes = self
            .writer
            .into_inner()
            .map_err(|e| AppError::internal(anyhow::anyhow!("writing a CSV: {e}")))?;
        Ok((bytes, rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        let mut sheet = Sheet::new(
            CsvFormat::Fr,
            Lang::Fr,
            &[("Libellé", "Label"), ("Montant", "Amount")],
        )
        .unwrap();
        sheet
            .row(&[
                Cell::text("=HYPERLINK(\"http://x\")"),
                Cell::Money(Money::from_cents(-12050)),
            ])
            .unwrap();
        sheet
            .row(&[Cell::text("@SUM(A1)"), Cell::Money(Money::from_cents(5))])
            .unwrap();
        let (bytes, rows) = sheet.finish().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(rows, 2);
        assert!(text.starts_with("\u{feff}Libellé;Montant\r\n"));
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://x\"\")\";-120,50\r\n"),
            "{text}"
        );
        assert!(text.contains("'@SUM(A1);0,05\r\n"), "{text}");
        for safe in ["Café", "12", "a=b"] {
            assert_eq!(neutralise(safe), safe);
        }
        for risky in ["+33 6", "-2", "\tx", "\rx"] {
            assert!(neutralise(risky).starts_with('\''));
        }
    }

    #[test]
    fn the_plain_format_is_for_programs() {
        let mut sheet = Sheet::new(
            CsvFormat::Plain,
            Lang::En,
            &[("Jour", "Day"), ("Heures", "Hours")],
        )
        .unwrap();
        sheet
            .row(&[
                Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
                Cell::Hours(Hours::from_centi(350)),
            ])
            .unwrap();
        let (bytes, _) = sheet.finish().unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "Day,Hours\r\n2026-03-01,3.50\r\n"
        );
    }
}
