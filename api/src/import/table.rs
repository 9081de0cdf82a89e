//! Reading a spreadsheet export: UTF-8 (with or without a BOM) or Windows-1252, `;` or `,`
//! separated (French spreadsheets use `;`), with a header line whose columns are recognised by
//! name in French or English, ignoring case, accents, spaces and punctuation.

use crate::domain::fold;

/// A decoded CSV file: its header and its records with their line numbers.
pub struct Table {
    pub encoding: &'static str,
    pub separator: char,
    pub headers: Vec<String>,
    /// (line number in the file, cells)
    pub records: Vec<(u64, Vec<String>)>,
}

/// Decodes the bytes of a file: valid UTF-8 (a BOM is dropped), otherwise Windows-1252 (what
/// Excel on Windows writes as "CSV").
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// The separator of the header line: `;`, `,` or a tab, whichever occurs most outside quotes.
fn detect_separator(text: &str) -> char {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [(';', 0usize), (',', 0), ('\t', 0)];
    let mut quoted = false;
    for c in header.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(sep, _)| *sep == c) {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(sep, n)| (*n, *sep == ';'))
        .map_or(';', |(sep, _)| *sep)
}

pub fn read(bytes: &[u8]) -> Result<Table, String> {
    let (text, encoding) = decode(bytes);
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    let separator = detect_separator(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the header line: {e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut records = Vec::new();
    let mut record = csv::StringRecord::new();
    let (mut line, mut counted) = (1u64, 0usize);
    loop {
        // Where the previous record ended; this one starts after any line breaks (blank lines
        // are skipped). The csv crate's own line count is off after blank lines and CRLF.
        let mut start = (reader.position().byte() as usize).min(text.len());
        let more = reader
            .read_record(&mut record)
            .map_err(|e| format!("cannot read the file as CSV: {e}"))?;
        if !more {
            break;
        }
        let bytes = text.as_bytes();
        while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
            start += 1;
        }
        // Lines are counted incrementally: recounting from the top would be quadratic.
        line += bytes[counted..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        counted = start;
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue; // lines of empty cells at the end of spreadsheet exports
        }
        records.push((line, cells));
    }
    Ok(Table {
        encoding,
        separator,
        headers,
        records,
    })
}

/// A header as compared with the known names: folded, without spaces (`"Code postal"` →
/// `"codepostal"`, `"E-mail"` → `"email"`).
pub fn header_key(header: &str) -> String {
    fold(header).replace(' ', "")
}

/// Which column holds each wanted field, by the first header matching one of its names.
/// Returns the column index of each field (None when absent) and the unrecognised headers.
pub fn map_columns<F: Copy + PartialEq>(
    headers: &[String],
    fields: &[(F, &[&str])],
) -> (Vec<(F, Option<usize>)>, Vec<String>) {
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let mut used = vec![false; headers.len()];
    let mut mapping = Vec::new();
    for (field, names) in fields {
        let index = keys
            .iter()
            .enumerate()
            .find(|(i, k)| !used[*i] && names.contains(&k.as_str()))
            .map(|(i, _)| i);
        if let Some(i) = index {
            used[i] = true;
        }
        mapping.push((*field, index));
    }
    let ignored = headers
        .iter()
        .zip(&used)
        .filter(|(h, used)| !**used && !h.trim().is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    (mapping, ignored)
}

/// The cell of `field` in a record (empty when the column is absent or the line is short).
pub fn cell<'a, F: PartialEq>(
    mapping: &[(F, Option<usize>)],
    cells: &'a [String],
    field: F,
) -> &'a str {
    mapping
        .iter()
        .find(|(f, _)| *f == field)
        .and_then(|(_, i)| *i)
        .and_then(|i| cells.get(i))
        .map_or("", |s| s.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_and_utf8_with_bom_decode_alike() {
        let cp1252 = b"Pr\xe9nom;Nom\nH\xe9l\xe8ne;Dupr\xe9\n";
        let (text, encoding) = decode(cp1252);
        assert_eq!(encoding, "Windows-1252");
        assert_eq!(text, "Prénom;Nom\nHélène;Dupré\n");
        let mut utf8 = b"\xEF\xBB\xBF".to_vec();
        utf8.extend("Prénom;Nom\nHélène;Dupré\n".as_bytes());
        let (text, encoding) = decode(&utf8);
        assert_eq!(encoding, "UTF-8");
        assert_eq!(text, "Prénom;Nom\nHélène;Dupré\n");
    }

    #[test]
    fn separator_is_read_from_the_header() {
        assert_eq!(detect_separator("a;b;c\n1,5;2;3"), ';');
        assert_eq!(detect_separator("a,b,c\n1;2;3"), ',');
        assert_eq!(detect_separator("\"a;b\",c\n"), ',');
        assert_eq!(detect_separator("a\tb\n"), '\t');
        assert_eq!(detect_separator("alone\n"), ';');
    }

    #[test]
    fn records_keep_their_line_numbers_and_quoted_separators() {
        let table =
            read("Nom,Notes\nA,\"un, deux\"\n\nB,\"sur\ndeux lignes\"\nC,x\n".as_bytes()).unwrap();
        assert_eq!(table.separator, ',');
        let lines: Vec<u64> = table.records.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 4, 6]);
        assert_eq!(table.records[0].1[1], "un, deux");
    }

    #[test]
    fn headers_map_in_french_and_english() {
        #[derive(Clone, Copy, PartialEq, Debug)]
        enum F {
            First,
            Postal,
            Email,
        }
        let headers: Vec<String> = ["PRÉNOM", "Code Postal", "E-mail", "Couleur"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (mapping, ignored) = map_columns(
            &headers,
            &[
                (F::First, &["prenom", "firstname"]),
                (F::Postal, &["codepostal", "postalcode"]),
                (F::Email, &["email", "courriel"]),
            ],
        );
        assert_eq!(
            mapping,
            [
                (F::First, Some(0)),
                (F::Postal, Some(1)),
                (F::Email, Some(2))
            ]
        );
        assert_eq!(ignored, ["Couleur"]);
    }
}
