// A venue's agenda page on top of Lieu's public GraphQL API: the coming public events, their
// remaining seats, and a registration form on each. No framework, no build step: copy the two
// files to the website and set the two <meta> tags in index.html (or ?api=…&key=… to try).
//
// The Lieu server must allow the page's origin: `lieu-api serve --cors-origin https://www.example.org`.

const params = new URLSearchParams(location.search);
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? "";
const config = {
  api: (params.get("api") || meta("lieu-api")).replace(/\/+$/, ""),
  key: params.get("key") || meta("lieu-key"),
  lang: params.get("lang") || (navigator.language.startsWith("fr") ? "fr" : "en"),
  // The venue's own time zone, so that a visitor abroad sees the times on the posters.
  timeZone: params.get("tz") || meta("lieu-timezone") || "Europe/Paris",
};

const TEXT = {
  fr: {
    title: "Agenda",
    intro: "Les prochains événements ouverts à toutes et tous. Inscription en ligne, sans compte.",
    loading: "Chargement de l'agenda…",
    empty: "Aucun événement public à venir pour l'instant. Revenez bientôt !",
    more: "Plus d'événements",
    name: "Prénom et nom",
    email: "Adresse e-mail",
    seats: "Places",
    register: "S'inscrire",
    sending: "Envoi…",
    free: "Gratuit",
    payWhatYouCan: (min) => `Prix libre, dès ${min}`,
    members: (price) => `adhérent·es : ${price}`,
    unlimited: "Entrée libre",
    remaining: (n) => (n === 0 ? "Complet : liste d'attente" : n === 1 ? "1 place restante" : `${n} places restantes`),
    confirmed: (code) => `Inscription confirmée. Votre code : ${code} (à montrer à l'accueil).`,
    waitlisted: (pos, code) => `Complet : vous êtes sur liste d'attente, en position ${pos}. Votre code : ${code}. Si une place se libère, la liste avance dans l'ordre d'arrivée.`,
    network: "Le serveur de l'agenda ne répond pas, ou n'autorise pas ce site (CORS). Réessayez plus tard.",
    rateLimited: (s) => `Trop d'inscriptions depuis cette connexion : réessayez dans ${s} s.`,
    key: "La clé d'API de ce site n'est plus valable : prévenez la personne qui gère le site.",
    gone: "Cet événement n'est plus à l'agenda.",
    closed: "Cet événement ne prend plus d'inscriptions",
    failed: "L'inscription n'a pas pu être enregistrée",
  },
  en: {
    title: "What's on",
    intro: "The coming events open to everyone. Register online, no account needed.",
    loading: "Loading the agenda…",
    empty: "No public event is coming up yet. Come back soon!",
    more: "More events",
    name: "Full name",
    email: "Email address",
    seats: "Seats",
    register: "Register",
    sending: "Sending…",
    free: "Free",
    payWhatYouCan: (min) => `Pay what you can, from ${min}`,
    members: (price) => `members: ${price}`,
    unlimited: "Open to all",
    remaining: (n) => (n === 0 ? "Full: waiting list" : n === 1 ? "1 seat left" : `${n} seats left`),
    confirmed: (code) => `You are registered. Your code: ${code} (show it at the door).`,
    waitlisted: (pos, code) => `Full: you are on the waiting list, position ${pos}. Your code: ${code}. When a seat frees up, the list moves on in order.`,
    network: "The agenda server does not answer, or does not allow this site (CORS). Try again later.",
    rateLimited: (s) => `Too many registrations from this connection: try again in ${s} s.`,
    key: "This site's API key is no longer valid: tell whoever runs the website.",
    gone: "This event is no longer in the agenda.",
    closed: "This event takes no more registrations",
    failed: "The registration could not be recorded",
  },
}[config.lang === "fr" ? "fr" : "en"];

const AGENDA = `query Agenda($from: DateTime!, $after: String) {
  events(filter: {from: $from, publicOnly: true}, first: 20, after: $after) {
    edges { node { id title description start end price memberPrice minPrice remainingSeats spaces { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SEATS = `query Seats($id: ID!) { event(id: $id) { id remainingSeats } }`;
const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { status waitlistPosition code seats }
}`;

/** An error the API answered with: its `extensions.code` is what a program looks at. */
class ApiError extends Error {
  constructor(code, message, extensions = {}) {
    super(message);
    this.code = code;
    this.extensions = extensions;
  }
}

async function graphql(query, variables) {
  const headers = { "Content-Type": "application/json" };
  if (config.key) headers.Authorization = `Bearer ${config.key}`;
  let response;
  try {
    response = await fetch(`${config.api}/graphql`, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    // A refused CORS check looks exactly like an unreachable server to a page.
    throw new ApiError("NETWORK", TEXT.network);
  }
  const body = await response.json().catch(() => null);
  if (!body) throw new ApiError("NETWORK", TEXT.network);
  if (body.errors?.length) {
    const [error] = body.errors;
    throw new ApiError(error.extensions?.code ?? "INTERNAL", error.message, error.extensions ?? {});
  }
  return body.data;
}

/** What a visitor should read for an error, in the page's language. */
function explain(error) {
  switch (error.code) {
    case "NETWORK": return TEXT.network;
    case "RATE_LIMITED": return TEXT.rateLimited(error.extensions.retryAfterSeconds ?? 60);
    case "UNAUTHENTICATED": return TEXT.key;
    case "NOT_FOUND": return TEXT.gone;
    case "INVALID_STATE": return `${TEXT.closed} (${error.message}).`;
    default: return `${TEXT.failed}: ${error.message}`;
  }
}

const when = (start, end) => {
  const day = new Intl.DateTimeFormat(config.lang, { dateStyle: "full", timeZone: config.timeZone });
  const hour = new Intl.DateTimeFormat(config.lang, { timeStyle: "short", timeZone: config.timeZone });
  return `${day.format(new Date(start))}, ${hour.format(new Date(start))} – ${hour.format(new Date(end))}`;
};
const money = (amount) =>
  new Intl.NumberFormat(config.lang, { style: "currency", currency: "EUR" }).format(Number(amount));

function price(event) {
  if (event.minPrice) return TEXT.payWhatYouCan(money(event.minPrice));
  if (!event.price || Number(event.price) === 0) return TEXT.free;
  return event.memberPrice ? `${money(event.price)} (${TEXT.members(money(event.memberPrice))})` : money(event.price);
}

function showSeats(card, remaining) {
  const seats = card.querySelector(".seats");
  seats.textContent = remaining === null ? TEXT.unlimited : TEXT.remaining(remaining);
  seats.classList.toggle("full", remaining === 0);
  card.dataset.remainingSeats = remaining === null ? "" : String(remaining);
}

function card(event) {
  const node = document.querySelector("#event-card").content.firstElementChild.cloneNode(true);
  node.dataset.eventId = event.id;
  node.querySelector("h2").textContent = event.title;
  node.querySelector(".when").textContent = when(event.start, event.end);
  node.querySelector(".description").textContent = event.description ?? "";
  const where = node.querySelector(".where");
  if (event.spaces.length) where.textContent = event.spaces.map((s) => s.name).join(", ");
  else where.remove();
  node.querySelector(".price").textContent = price(event);
  showSeats(node, event.remainingSeats);

  const form = node.querySelector("form");
  for (const [field, label] of [["name", TEXT.name], ["email", TEXT.email], ["seats", TEXT.seats]]) {
    form.elements[field].placeholder = label;
    form.elements[field].setAttribute("aria-label", label);
  }
  const button = form.querySelector("button");
  button.textContent = TEXT.register;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    register(node, form, button);
  });
  return node;
}

async function register(node, form, button) {
  const result = node.querySelector(".result");
  for (const input of form.elements) input.removeAttribute("aria-invalid");
  button.disabled = true; // one click, one registration
  button.textContent = TEXT.sending;
  result.className = "result";
  result.textContent = "";
  try {
    const input = {
      eventId: node.dataset.eventId,
      name: form.elements.name.value.trim(),
      email: form.elements.email.value.trim(),
      seats: Number(form.elements.seats.value),
    };
    const { register: made } = await graphql(REGISTER, { input });
    result.classList.add(made.status === "CONFIRMED" ? "ok" : "waitlisted");
    result.dataset.status = made.status;
    result.textContent =
      made.status === "CONFIRMED" ? TEXT.confirmed(made.code) : TEXT.waitlisted(made.waitlistPosition, made.code);
    form.reset();
    const { event } = await graphql(SEATS, { id: node.dataset.eventId });
    if (event) showSeats(node, event.remainingSeats);
  } catch (error) {
    result.classList.add("error");
    result.dataset.status = error.code;
    result.textContent = explain(error);
    // VALIDATION names the input field at fault (`email`, `name`, `seats`).
    const field = form.elements[error.extensions?.field];
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  } finally {
    button.disabled = false;
    button.textContent = TEXT.register;
  }
}

async function load(after = null) {
  const status = document.querySelector("#status");
  const more = document.querySelector("#more");
  status.className = "";
  status.textContent = TEXT.loading;
  more.hidden = true;
  try {
    const { events } = await graphql(AGENDA, { from: new Date().toISOString(), after });
    const list = document.querySelector("#events");
    for (const { node } of events.edges) list.append(card(node));
    status.textContent = list.children.length === 0 ? TEXT.empty : "";
    status.dataset.state = list.children.length === 0 ? "empty" : "loaded";
    more.hidden = !events.pageInfo.hasNextPage;
    more.onclick = () => load(events.pageInfo.endCursor);
  } catch (error) {
    status.className = "error";
    status.dataset.state = "error";
    status.textContent = explain(error);
  }
}

document.documentElement.lang = config.lang;
for (const element of document.querySelectorAll("[data-t]")) element.textContent = TEXT[element.dataset.t];
document.title = TEXT.title;
load();
