// What every change form is made of: the fields, reading them, and what the forms show of the
// household (who lives here today, the estimate known now). Only for building and reading the
// forms: what a change does is worked out by shared_rules.changes (rules.js previewChange).

import { euro, parseText } from "../../format.js";
import { textField } from "../../components/form.js";

/** The household as the forms of another open toeslag year see it (#/jaar/2025/wijzigen/partner):
 *  `year` that year; `today` the day whose household the forms show (who lives here, the home) —
 *  the end of a past year, today for next year; dates from 1 January of that year; the toeslagen
 *  the household has in that year (GET /api/years). */
export function yearHousehold(hh, yr) {
  const end = `${yr.year}-12-31`;
  return { ...hh, year: yr.year, today: end < hh.today ? end : hh.today, date_default: `${yr.year}-01-01`,
    applications: yr.toeslagen.filter((t) => t.applied).map((t) => t.toeslag), fixed_year: yr };
}

export const memberToday = (hh, p) => p.member_from <= hh.today && (p.member_until == null || hh.today < p.member_until);
export const partnerToday = (hh) => hh.persons.find((p) => p.role === "partner" && memberToday(hh, p));
export const kidsToday = (hh) => hh.persons.filter((p) => p.role === "child" && memberToday(hh, p))
  .sort((a, b) => (a.birth_date < b.birth_date ? -1 : a.birth_date > b.birth_date ? 1 : a.id < b.id ? -1 : 1));

/** [income, assets] of the latest estimate of this year or before (GET /api/household lists the
 *  latest per person and year). */
export function estimateOf(hh, personId) {
  let best = null;
  for (const e of hh.estimates) if (e.person_id === personId && e.year <= hh.year && (!best || e.year >= best.year)) best = e;
  return best ? [best.income, best.assets] : [0, 0];
}

/* Each form (income.js, home.js, ...): {fields: [elements], read() -> {change, sendErrors?} | {incomplete: msg, missing?: [[field, msg]]}
 *  | {errors: [[field, msg]]}, sync()}. `errors` are wrong input (shown at once); `missing` and
 *  `sendErrors` are shown when the user presses "Versturen" (the preview does not need them). */

export const CARE = { dagopvang: "Dagopvang", bso: "Buitenschoolse opvang", gastouderopvang: "Gastouderopvang" };
export function dateField(hh, label, description) {
  // a form for another open year (hh.date_default, see yearHousehold) starts on 1 January of that year
  return textField({ label, name: "date", type: "date", value: hh.date_default || hh.today, min: `${hh.year}-01-01`, max: `${hh.year}-12-31`, description, width: "date" });
}

export function moneyField(label, name, description, opts = {}) {
  return textField({ label, name, inputmode: "decimal", prefix: "€", description, width: "money", ...opts });
}

export const v = (f) => f.input.value;

/** A required field that is still empty: a calm hint in the preview while typing; on "Versturen" the
 *  message shows at the field itself. */
export const incomplete = (f, msg, hint = " Dan zie je meteen wat er verandert.") => ({ incomplete: msg + hint, missing: [[f, msg]] });

/** 123456 cents -> "1.234,56" (what a user would type; the € is the field's prefix). */
export const plainEuro = (cents) => euro(cents, { cents: true }).replace("€\u00a0", "");

export function readDate(hh, f) {
  const s = v(f);
  if (!s) return { error: "Kies een datum." };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return { error: "Dit is geen geldige datum." };
  if (!s.startsWith(String(hh.year))) return { error: `Kies een datum in ${hh.year}.` };
  return { value: s };
}

/** A birth date: not before 1900 and not after today (as the server checks). */
export const badBirth = (s, today) => !/^\d{4}-\d{2}-\d{2}$/.test(s) || s > today || s < "1900-01-01";

/** Age in whole years on `day` (both YYYY-MM-DD), as the server counts it. */
export function ageOn(birth, day) {
  const [by, bm, bd] = birth.split("-").map(Number);
  const [y, m, d] = day.split("-").map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The send errors of required text fields: [[field, empty message, max length]] -> [[field, msg]]. */
export function textErrors(list) {
  const out = [];
  for (const [f, empty, max] of list) {
    const t = parseText(v(f), { max });
    if (t.empty) out.push([f, empty]);
    else if (t.error) out.push([f, t.error]);
  }
  return out;
}

export function currentHome(hh) {
  let home = null;
  for (const x of hh.homes) if (x.valid_from <= hh.today) home = x;
  return home;
}
