//! One module per screen: its state and update (`mod.rs`), its keys as data (`keys.rs`), its
//! pure view (`view.rs`).

pub mod booking;
pub mod booking_form;
pub mod bookings;
pub mod card;
pub mod check_in;
pub mod dashboard;
pub mod door_form;
pub mod events;
pub mod hours;
pub mod hours_form;
pub mod login;
pub mod membership_form;
pub mod people;
pub mod person_form;
pub mod today;
