//! Which registrations the door shows for what was typed: a name or an email (accents and
//! case ignored), or the start of a code (spaces and dashes ignored).

use super::CheckIn;
use crate::api::model::{RegistrationRow, RegistrationStatus};

/// Letters and digits only, in capitals: how codes compare.
pub fn code_of(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub(super) fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

impl CheckIn {
    /// The registrations shown: active ones matching the search, confirmed by name, then
    /// the waitlist in order.
    pub fn visible(&self) -> Vec<&RegistrationRow> {
        let Some(desk) = &self.desk else {
            return vec![];
        };
        let words: Vec<String> = fold(self.search.trimmed())
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let code = code_of(self.search.trimmed());
        let mut list: Vec<&RegistrationRow> = desk
            .registrations
            .iter()
            .filter(|r| r.status != RegistrationStatus::Cancelled)
            .filter(|r| {
                !self.only_absent
                    || (r.status == RegistrationStatus::Confirmed && r.checked_in_at.is_none())
            })
            .filter(|r| {
                let haystack = fold(&format!(
                    "{} {}",
                    r.name,
                    r.email.as_deref().unwrap_or_default()
                ));
                words.iter().all(|w| haystack.contains(w.as_str()))
                    || (code.len() >= 3 && code_of(&r.code).starts_with(&code))
            })
            .collect();
        list.sort_by_key(|r| {
            (
                r.status != RegistrationStatus::Confirmed,
                r.position.unwrap_or(0),
                fold(&r.name),
            )
        });
        list
    }

    pub fn selection(&self) -> Option<&RegistrationRow> {
        self.visible().get(self.selected).copied()
    }

    pub(super) fn move_selection(&mut self, step: isize) {
        let len = self.visible().len();
        self.selected = if len == 0 {
            0
        } else {
            (self.selected as isize + step).clamp(0, len as isize - 1) as usize
        };
    }

    pub(super) fn find(&self, pick: impl Fn(&RegistrationRow) -> bool) -> Option<&RegistrationRow> {
        self.desk.as_ref()?.registrations.iter().find(|r| pick(r))
    }
}
