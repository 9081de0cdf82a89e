//! Reading back what the exports write, with real parsers: the `csv` crate for sheets, Python's
//! standard `html.parser` for the funder report (a real HTML tokenizer, there on every machine
//! that runs the suite, where a Rust HTML parser would be a dependency for one test).

use std::io::Write;
use std::process::{Command, Stdio};
use std::str::FromStr;

use lieu_api::domain::CsvFormat;
use rust_decimal::Decimal;
use serde_json::Value;

/// A sheet parsed back: its header and its rows, by column name.
pub struct ParsedSheet {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub format: CsvFormat,
}

impl ParsedSheet {
    pub fn parse(bytes: &[u8], format: CsvFormat) -> Self {
        let text = std::str::from_utf8(bytes).expect("a sheet is UTF-8");
        let body = match format {
            CsvFormat::Fr => text
                .strip_prefix('\u{feff}')
                .expect("the fr format starts with a byte-order mark"),
            CsvFormat::Plain => {
                assert!(
                    !text.starts_with('\u{feff}'),
                    "plain has no byte-order mark"
                );
                text
            }
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(match format {
                CsvFormat::Fr => b';',
                CsvFormat::Plain => b',',
            })
            .from_reader(body.as_bytes());
        let header = reader
            .headers()
            .expect("a header row")
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                r.expect("a valid record")
                    .iter()
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        Self {
            header,
            rows,
            format,
        }
    }

    pub fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    /// The cells of a column.
    pub fn cells(&self, name: &str) -> Vec<&str> {
        let i = self.column(name);
        self.rows.iter().map(|r| r[i].as_str()).collect()
    }

    /// The sum of a numeric column, read as the format writes numbers.
    pub fn sum(&self, name: &str) -> Decimal {
        self.cells(name)
            .into_iter()
            .filter(|c| !c.is_empty())
            .map(|c| number(c, self.format))
            .sum()
    }
}

/// A number as the format writes it (`-120,50` or `-120.50`).
pub fn number(cell: &str, format: CsvFormat) -> Decimal {
    let text = match format {
        CsvFormat::Fr => {
            assert!(
                !cell.contains('.'),
                "a decimal comma in the fr format: {cell}"
            );
            cell.replace(',', ".")
        }
        CsvFormat::Plain => {
            assert!(
                !cell.contains(','),
                "a decimal dot in the plain format: {cell}"
            );
            cell.to_string()
        }
    };
    Decimal::from_str(&text).unwrap_or_else(|_| panic!("not a number: {cell}"))
}

const FIGURES: &str = r#"
import json, sys
from html.parser import HTMLParser

class Figures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures, self.stack, self.tags, self.text = {}, [], {}, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag not in ("meta", "br", "img", "link", "input"):
            self.stack.append((tag, a.get("data-figure"), a.get("data-value"), []))
    def handle_endtag(self, tag):
        while self.stack:
            t, key, value, text = self.stack.pop()
            if key:
                self.figures[key] = {"value": value, "text": "".join(text).strip()}
            if self.stack:
                self.stack[-1][3].extend(text)
            if t == tag:
                break
    def handle_data(self, data):
        self.text.append(data)
        if self.stack:
            self.stack[-1][3].append(data)

p = Figures()
p.feed(sys.stdin.read())
p.close()
json.dump({"figures": p.figures, "tags": p.tags, "text": " ".join(" ".join(p.text).split())}, sys.stdout)
"#;

/// The funder report read by Python's HTML parser: `figures` (each `data-figure` element's
/// `data-value` and text), `tags` (how many of each element) and `text` (all of it).
pub fn html_figures(html: &str) -> Value {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(FIGURES)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs (the HTML parser of the tests)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(html.as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("python3 ends");
    assert!(out.status.success(), "the HTML parser failed");
    serde_json::from_slice(&out.stdout).expect("the parser's JSON")
}
