// Dutch formatting and parsing: amounts as € 1.234,56, dates as 20 juni 2026.

export const MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
  "september", "oktober", "november", "december"];

const NAMES = {
  zorgtoeslag: "Zorgtoeslag",
  huurtoeslag: "Huurtoeslag",
  kindgebonden_budget: "Kindgebonden budget",
  kinderopvangtoeslag: "Kinderopvangtoeslag",
};
export const TOESLAGEN = Object.keys(NAMES);
export const toeslagName = (t) => NAMES[t] || t;

function group(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

/**
 * The one euro format of the app (issue #14), the same as the server's texts (api/util.euro_whole):
 * a whole amount without cents, "€ 851"; an amount with cents with them, "€ 8.400,72". The law rounds
 * the voorschot and the yearly amounts to whole euros, so they read without cents everywhere; cents
 * appear where they matter (hourly rates, the intermediate amounts of an explanation). A no-break
 * space keeps "€" and the amount together; negative amounts as -€ 12. `cents: true` always writes
 * the cents (an amount put back into an input field: "1.250,00").
 */
export function euro(cents, { cents: always = false } = {}) {
  if (cents === null || cents === undefined || Number.isNaN(cents)) return "–";
  const neg = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const e = Math.floor(abs / 100);
  const c = abs % 100;
  const body = !always && c === 0 ? `€\u00a0${group(e)}` : `€\u00a0${group(e)},${String(c).padStart(2, "0")}`;
  return neg ? `-${body}` : body;
}

/** + € 12 / - € 12,50 / € 0: a difference with its sign spelled out. */
export function signedEuro(cents) {
  if (!cents) return euro(0);
  return (cents > 0 ? "+ " : "- ") + euro(Math.abs(cents));
}

export function monthName(m) {
  return MONTHS[m - 1] || "";
}

/** "2026-06-20" -> "20 juni 2026" */
export function longDate(iso) {
  if (!iso || typeof iso !== "string") return "";
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  if (!y || !m || !d) return iso;
  return `${d} ${monthName(m)} ${y}`;
}

export function isoDate(date) {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/**
 * Parses an amount typed in Dutch (or plain) notation into euro cents.
 * Returns {cents} or {error: "plain Dutch message"}; an empty field gives {empty: true}.
 * Accepted: "1234", "1.234", "1234,56", "1.234,56", "€ 1.234,5", "1234.56" (a dot followed by
 * one or two digits at the end is read as a decimal point), and "12," or "12." while typing.
 */
export function parseEuro(text, { max = 1e12 } = {}) {
  // a separator typed last ("12,", "12.", "1.250.") is half-typed: read it as the amount so far
  let s = String(text ?? "").trim().replace(/^€\s*/, "").replace(/\s+/g, "").replace(/^(\d[\d.]*)\.$/, "$1");
  if (s === "") return { empty: true };
  if (s.startsWith("-")) return { error: "Vul een bedrag in zonder min-teken." };
  let euros;
  let cents = 0;
  let m;
  if ((m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{0,2}))?$/.exec(s))) {
    euros = m[1].replace(/\./g, "");
    if (m[2]) cents = Number(m[2].padEnd(2, "0"));
  } else if ((m = /^(\d+)\.(\d{1,2})$/.exec(s))) {
    euros = m[1];
    cents = Number(m[2].padEnd(2, "0"));
  } else if (/,\d{3,}$/.test(s)) {
    return { error: "Gebruik hoogstens twee cijfers na de komma." };
  } else {
    return { error: "Vul een bedrag in met alleen cijfers, bijvoorbeeld 1.250,00." };
  }
  const total = Number(euros) * 100 + cents;
  if (!Number.isSafeInteger(total) || total > max) return { error: `Dit bedrag is te hoog. Het kan hoogstens ${euro(max, { whole: true })} zijn.` };
  return { cents: total };
}

/** Whole number (hours). "10.000" is read as ten thousand (and then is too high); every other wrong
 *  input gets a message that names what is wrong with it. */
export function parseWhole(text, { min = 0, max = 744, unit = "" } = {}) {
  const s = String(text ?? "").trim();
  if (s === "") return { empty: true };
  if (s.startsWith("-")) return { error: "Vul een getal in zonder min-teken." };
  let digits = s;
  if (/^\d{1,3}(\.\d{3})+$/.test(s)) digits = s.replace(/\./g, "");
  else if (/^\d*,\d*$/.test(s)) return { error: "Vul een heel getal in, zonder komma." };
  else if (/^\d*\.\d*$/.test(s)) return { error: "Vul een heel getal in, zonder punt." };
  else if (!/^\d+$/.test(s)) return { error: "Vul een heel getal in, met alleen cijfers." };
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n < min || n > max) return { error: `Vul een getal in van ${min} tot en met ${max}${unit ? " " + unit : ""}.` };
  return { value: n };
}

/** Text such as a name or a street: trimmed; {empty: true} when blank; at most `max` characters
 *  (what the API takes; an emoji counts as one). */
export function parseText(text, { max = 80 } = {}) {
  const s = String(text ?? "").trim();
  if (s === "") return { empty: true };
  if ([...s].length > max) return { error: `Dit is te lang. Gebruik hoogstens ${max} tekens.` };
  return { value: s };
}

/** Plain Dutch for the stable reason codes of shared_rules. */
const REASONS = {
  income_above_limit: "Het inkomen is te hoog.",
  assets_above_limit: "Het vermogen is te hoog.",
  not_insured: "Er is geen Nederlandse zorgverzekering.",
  under_18: "Je bent jonger dan 18 jaar.",
  no_children: "Er wonen geen kinderen bij je voor wie je kinderbijslag krijgt.",
  no_rent: "Je huurt geen woning.",
  no_childcare: "Er is geen kinderopvang.",
  below_minimum: "Het bedrag is te laag: minder dan € 24 per jaar.",
  no_parameters: "Voor dit jaar kunnen we het nog niet uitrekenen.",
  no_qualifying_activity: "Jij of je partner werkt niet, studeert niet en volgt geen traject.",
  rent_below_basishuur: "Je huur is niet hoger dan het deel dat je altijd zelf betaalt (de basishuur).",
  rent_above_limit: "Je huur is hoger dan de grens voor huurtoeslag.",
  child_in_secondary_school: "Je kind gaat naar de middelbare school. Dan is er geen kinderopvangtoeslag.",
};
export function reasonText(code) {
  return REASONS[code] || `Geen recht (${String(code).replace(/_/g, " ")}).`;
}
