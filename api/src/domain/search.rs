//! Accent- and case-blind text: what people type at the front desk ("helene", "DUPRE", "Hél")
//! must find "Hélène Dupré". Names are folded on write into lower-case ASCII words; a search is
//! folded the same way and each of its words must appear somewhere in the folded text.

/// Folds text to lower-case ASCII words separated by single spaces: `"Hélène  Dupré-Ñúñez"`
/// becomes `"helene dupre nunez"`. Anything that is not a letter or a digit separates words, so
/// the result only ever holds `[a-z0-9 ]` (safe inside a `LIKE` pattern without escaping).
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A search typed by a user, as folded words. At most [`SearchTerms::MAX_WORDS`] words are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchTerms(Vec<String>);

impl SearchTerms {
    pub const MAX_WORDS: usize = 6;
    const MAX_WORD_CHARS: usize = 60;

    /// `None` when the search holds no letter or digit (then the list is not filtered).
    pub fn parse(raw: Option<&str>) -> Option<Self> {
        let folded = fold(raw?);
        let mut words: Vec<String> = Vec::new();
        for word in folded.split(' ').filter(|w| !w.is_empty()) {
            let word: String = word.chars().take(Self::MAX_WORD_CHARS).collect();
            if !words.contains(&word) {
                words.push(word);
            }
            if words.len() == Self::MAX_WORDS {
                break;
            }
        }
        (!words.is_empty()).then_some(Self(words))
    }

    pub fn words(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_strips_accents_case_and_punctuation() {
        assert_eq!(fold("Hélène Dupré"), "helene dupre");
        assert_eq!(fold("  ÉLODIE   Le Bœuf "), "elodie le boeuf");
        assert_eq!(fold("Jean-François O'Neil"), "jean francois o neil");
        assert_eq!(fold("helene.dupre@Exemple.fr"), "helene dupre exemple fr");
        assert_eq!(fold("Ñúñez Çağlar Øystein"), "nunez caglar oystein");
        assert_eq!(fold("%_'\""), "");
    }

    #[test]
    fn search_terms_are_folded_deduplicated_and_bounded() {
        assert_eq!(SearchTerms::parse(None), None);
        assert_eq!(SearchTerms::parse(Some("  -- ")), None);
        let terms = SearchTerms::parse(Some("Hél DUPRÉ hel")).unwrap();
        assert_eq!(terms.words(), ["hel", "dupre"]);
        let many = SearchTerms::parse(Some("a b c d e f g h")).unwrap();
        assert_eq!(many.words().len(), SearchTerms::MAX_WORDS);
        for word in SearchTerms::parse(Some("100% o'neil_x")).unwrap().words() {
            assert!(word.chars().all(|c| c.is_ascii_alphanumeric()), "{word}");
        }
    }
}
