//! What each code reads as for a person, in French and in English: the exports and the funder
//! report say "Café" and "Région", not `CAFE_BAR` and `REGION`.

use crate::domain::{
    FunderKind, GrantStatus, ImpactMetric, Lang, RegistrationStatus, RevenueStream,
    VolunteerActivity,
};

pub fn stream(s: RevenueStream, lang: Lang) -> &'static str {
    use RevenueStream::*;
    let (fr, en) = match s {
        SpaceRental => ("Location de salles", "Room hire"),
        Coworking => ("Coworking", "Coworking"),
        Membership => ("Adhésions", "Memberships"),
        EventTickets => ("Billetterie", "Event tickets"),
        CafeBar => ("Café", "Café"),
        Services => ("Prestations", "Services"),
        Sales => ("Ventes", "Sales"),
        Donation => ("Dons", "Donations"),
        Sponsorship => ("Mécénat", "Sponsorship"),
        Other => ("Autres recettes", "Other income"),
    };
    lang.pick(fr, en)
}

pub fn funder_kind(k: FunderKind, lang: Lang) -> &'static str {
    use FunderKind::*;
    let (fr, en) = match k {
        State => ("État", "State"),
        Region => ("Région", "Region"),
        Department => ("Département", "Département"),
        Intercommunality => ("Intercommunalité", "Intercommunality"),
        Municipality => ("Commune", "Municipality"),
        Eu => ("Union européenne", "European Union"),
        Foundation => ("Fondation", "Foundation"),
        Company => ("Entreprise", "Company"),
        Other => ("Autre financeur", "Other funder"),
    };
    lang.pick(fr, en)
}

pub fn public_or_private(k: FunderKind, lang: Lang) -> &'static str {
    if k.is_public() {
        lang.pick("Public", "Public")
    } else {
        lang.pick("Privé", "Private")
    }
}

pub fn grant_status(s: GrantStatus, lang: Lang) -> &'static str {
    use GrantStatus::*;
    let (fr, en) = match s {
        Draft => ("Brouillon", "Draft"),
        Submitted => ("Déposée", "Submitted"),
        Awarded => ("Accordée", "Awarded"),
        Rejected => ("Refusée", "Rejected"),
        Closed => ("Soldée", "Closed"),
    };
    lang.pick(fr, en)
}

pub fn activity(a: VolunteerActivity, lang: Lang) -> &'static str {
    use VolunteerActivity::*;
    let (fr, en) = match a {
        FrontDesk => ("Accueil", "Front desk"),
        Events => ("Événements", "Events"),
        Maintenance => ("Entretien", "Maintenance"),
        Garden => ("Jardin", "Garden"),
        Cafe => ("Café", "Café"),
        Admin => ("Administration", "Administration"),
        Communication => ("Communication", "Communication"),
        Other => ("Autre", "Other"),
    };
    lang.pick(fr, en)
}

pub fn registration_status(s: RegistrationStatus, lang: Lang) -> &'static str {
    use RegistrationStatus::*;
    let (fr, en) = match s {
        Confirmed => ("Confirmée", "Confirmed"),
        Waitlisted => ("Liste d'attente", "Waitlisted"),
        Cancelled => ("Annulée", "Cancelled"),
    };
    lang.pick(fr, en)
}

pub fn metric(m: ImpactMetric, lang: Lang) -> &'static str {
    use ImpactMetric::*;
    let (fr, en) = match m {
        UniqueParticipants => ("Participants uniques", "Unique participants"),
        EventsHeld => ("Événements tenus", "Events held"),
        VolunteerHours => ("Heures de bénévolat", "Volunteer hours"),
        ActiveMembers => ("Adhérents actifs", "Active members"),
        SelfFinancingRatio => ("Taux d'autofinancement", "Self-financing ratio"),
        ShareFromDepartement => (
            "Part du public du département",
            "Share from the département",
        ),
    };
    lang.pick(fr, en)
}

/// What stands for a person whose data was erased (GDPR): no name, no email.
pub fn erased(lang: Lang) -> &'static str {
    lang.pick("(personne effacée)", "(erased person)")
}
