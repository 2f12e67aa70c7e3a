// Wijziging doorgeven: income, rent, moving, childcare, partner, children. As the user types, the
// preview computed ON THE PHONE (shared_rules in MicroPython-wasm) shows what the change does.
// Half-typed or bad input gives a plain Dutch message, never a broken preview. "Versturen" puts the
// change in the outbox (with its Idempotency-Key) and sends it when there is a connection.

import { h, add } from "../dom.js";
import { euro, longDate, monthName, parseEuro, parseText, parseWhole } from "../format.js";
import { alert, button, checkbox, heading, link, para, radioGroup, selectField, textField } from "../components/form.js";
import { createPreviewPanel } from "../components/preview.js";
import { askConfirm, doubts } from "../components/confirm.js";
import { clearDraft, restoreDraft, saveDraft } from "../components/draft.js";
import { previewInput, kidsOn, membersOn, estimate } from "../change-model.js";
import { loadRules, preview, rulesState } from "../rules.js";
import { apiPost, ApiError, isOffline } from "../api.js";
import { enqueue, flush, lastResult, pendingItems, remove } from "../outbox.js";
import { currentQuery, navigate } from "../router.js";
import { invalidate, loadCore, state } from "../state.js";

export const KINDS = [
  ["inkomen", "income", "Inkomen", "Je verdient meer of minder dan je had opgegeven."],
  ["huur", "home", "Huur", "Je huur of servicekosten veranderen."],
  ["verhuizen", "address", "Verhuizen", "Je gaat ergens anders wonen."],
  ["kinderopvang", "childcare", "Kinderopvang", "Andere uren of uurprijs, of de opvang stopt."],
  ["partner", "partner", "Partner", "Er komt een partner bij je wonen, of je partner gaat weg."],
  ["kinderen", "child", "Kinderen", "Er is een kind geboren, komt bij je wonen of gaat het huis uit."],
];

const CARE = { dagopvang: "Dagopvang", bso: "Buitenschoolse opvang", gastouderopvang: "Gastouderopvang" };

export async function renderChangeList(view) {
  await loadCore();
  const items = await pendingItems();
  add(view, 
    heading(1, "Wijziging doorgeven"),
    para("Wat is er veranderd? Je ziet meteen wat het doet met je toeslagen. Pas als je op Versturen drukt, geef je het door."),
    items.length ? outboxList(items) : null,
    h("ul", { class: "app-choices", role: "list" }, KINDS
      .filter(([, kind]) => kind !== "childcare" || (state.household && state.household.contracts.length))
      .map(([slug, , title, text]) => h("li", null,
        h("a", { class: "app-choice-link", href: "#/wijzigen/" + slug }, h("span", { class: "app-choice-link__title" }, title), h("span", { class: "app-choice-link__text" }, text))))),
  );
  return "Wijziging doorgeven";
}

function outboxList(items) {
  return h("section", { class: "app-card app-card--warning", "aria-labelledby": "outbox-title" },
    h("h2", { class: "utrecht-heading-3", id: "outbox-title" }, items.length === 1 ? "1 wijziging nog niet verstuurd" : `${items.length} wijzigingen nog niet verstuurd`),
    h("ul", { class: "utrecht-unordered-list" }, items.map((it) => h("li", { class: "utrecht-unordered-list__item", dataset: { outbox: it.key } },
      it.summary, " ",
      it.status === "rejected"
        ? h("span", null, h("strong", null, "Niet verwerkt: "), it.error || "", " ",
          button("Verwijderen", { kind: "secondary", onclick: async () => { await remove(it.key); navigate("#/wijzigen"); } }))
        : h("span", { class: "app-muted" }, "Wordt verstuurd zodra je online bent.")))));
}

// -- the forms -------------------------------------------------------------------------------

function dateField(hh, label, description) {
  return textField({ label, name: "date", type: "date", value: hh.today, min: `${hh.year}-01-01`, max: `${hh.year}-12-31`, description, width: "date" });
}

function moneyField(label, name, description, opts = {}) {
  return textField({ label, name, inputmode: "decimal", prefix: "€", description, width: "money", ...opts });
}

const v = (f) => f.input.value;

/** A required field that is still empty: a calm hint in the preview while typing; on "Versturen" the
 *  message shows at the field itself. */
const incomplete = (f, msg, hint = " Dan zie je meteen wat er verandert.") => ({ incomplete: msg + hint, missing: [[f, msg]] });

/** Each form: {fields: [elements], read() -> {change, sendErrors?} | {incomplete: msg, missing?: [[field, msg]]}
 *  | {errors: [[field, msg]]}, sync()}. `errors` are wrong input (shown at once); `missing` and
 *  `sendErrors` are shown when the user presses "Versturen" (the preview does not need them). */
function incomeForm(hh) {
  const today = hh.today;
  const partner = membersOn(hh, today).find((p) => p.role === "partner");
  const applicant = hh.persons.find((p) => p.role === "applicant");
  const who = partner ? radioGroup({ legend: "Wiens inkomen is anders?", name: "person", value: "applicant", options: [["applicant", "Mijn inkomen"], ["partner", "Het inkomen van mijn toeslagpartner"]] }) : null;
  const [curIncome, curAssets] = estimate(hh, applicant.id, hh.year);
  const income = moneyField(`Nieuw inkomen voor ${hh.year}`, "income",
    `Je inkomen over heel ${hh.year}, vóór belasting (toetsingsinkomen). Nu bekend: ${euro(curIncome, { whole: true })}.`, { max: undefined });
  const assets = moneyField(`Vermogen op 1 januari ${hh.year}`, "assets",
    `Alleen invullen als het anders is. Nu bekend: ${euro(curAssets, { whole: true })}.`, { required: false });
  if (who) {
    for (const r of who.inputs) r.addEventListener("change", () => {
      const p = who.value === "partner" ? partner : applicant;
      const [inc, ass] = estimate(hh, p.id, hh.year);
      income.el.querySelector(".utrecht-form-field-description").textContent =
        `Het inkomen over heel ${hh.year}, vóór belasting (toetsingsinkomen). Nu bekend: ${euro(inc, { whole: true })}.`;
      assets.el.querySelector(".utrecht-form-field-description").textContent =
        `Alleen invullen als het anders is. Nu bekend: ${euro(ass, { whole: true })}.`;
    });
  }
  const date = dateField(hh, "Vanaf wanneer is het inkomen anders?", "Je nieuwe voorschot gaat in vanaf de maand erna.");
  return {
    fields: [who && who.el, income.el, date.el, assets.el],
    map: { "change.income": income, "change.date": date, "change.assets": assets },
    /** Fills the form from a prompt (GET /api/prompts): the projected income of an income-drift
     *  prompt, or the current estimate for an assets prompt (then the assets field is the one to check). */
    prefill(p) {
      const d = (p && p.data) || {};
      if (p.kind === "income_drift" && d.change && d.change.income != null) {
        const person = d.change.person === "partner" && who ? "partner" : "applicant";
        if (who) for (const r of who.inputs) { r.checked = r.value === person; r.dispatchEvent(new Event("change")); }
        income.input.value = plainEuro(d.change.income);
        if (d.change.date && d.change.date.startsWith(String(hh.year))) date.input.value = d.change.date;
        return income.input;
      }
      if (p.kind === "assets_near_limit") {
        income.input.value = plainEuro(curIncome);
        assets.input.value = d.assets != null ? plainEuro(d.assets) : "";
        return assets.input;
      }
      return null;
    },
    read() {
      const inc = parseEuro(v(income), { max: 10_000_000_000 });
      if (inc.error) return { errors: [[income, inc.error]] };
      const ass = parseEuro(v(assets), { max: 10_000_000_000 });
      if (ass.error) return { errors: [[assets, ass.error]] };
      if (inc.empty) return incomplete(income, "Vul je nieuwe inkomen in.");
      const d = readDate(hh, date);
      if (d.error) return { errors: [[date, d.error]] };
      const change = { kind: "income", date: d.value, person: who ? who.value : "applicant", income: inc.cents };
      if (!ass.empty) change.assets = ass.cents;
      return { change };
    },
  };
}

/** 123456 cents -> "1.234,56" (what a user would type; the € is the field's prefix). */
const plainEuro = (cents) => euro(cents).replace("€\u00a0", "");

function readDate(hh, f) {
  const s = v(f);
  if (!s) return { error: "Kies een datum." };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return { error: "Dit is geen geldige datum." };
  if (!s.startsWith(String(hh.year))) return { error: `Kies een datum in ${hh.year}.` };
  return { value: s };
}

/** A birth date: not before 1900 and not after today (as the server checks). */
const badBirth = (s, today) => !/^\d{4}-\d{2}-\d{2}$/.test(s) || s > today || s < "1900-01-01";

/** Age in whole years on `day` (both YYYY-MM-DD), as the server counts it. */
function ageOn(birth, day) {
  const [by, bm, bd] = birth.split("-").map(Number);
  const [y, m, d] = day.split("-").map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The send errors of required text fields: [[field, empty message, max length]] -> [[field, msg]]. */
function textErrors(list) {
  const out = [];
  for (const [f, empty, max] of list) {
    const t = parseText(v(f), { max });
    if (t.empty) out.push([f, empty]);
    else if (t.error) out.push([f, t.error]);
  }
  return out;
}

function currentHome(hh) {
  let home = null;
  for (const x of hh.homes) if (x.valid_from <= hh.today) home = x;
  return home;
}

function homeForm(hh) {
  const home = currentHome(hh);
  const rent = moneyField("Nieuwe kale huur per maand", "rent", home && home.rent != null ? `De huur zonder servicekosten. Nu: ${euro(home.rent)}.` : "De huur zonder servicekosten.");
  const sc = moneyField("Servicekosten per maand", "service_costs", "Alleen de kosten die meetellen, zoals schoonmaak van de gang. Geen? Laat dit leeg.", { required: false, value: home && home.service_costs ? euro(home.service_costs).replace("€\u00a0", "") : "" });
  const date = dateField(hh, "Vanaf wanneer geldt de nieuwe huur?");
  return {
    fields: [rent.el, sc.el, date.el],
    map: { "change.rent": rent, "change.service_costs": sc, "change.date": date },
    read() {
      const r = parseEuro(v(rent), { max: 1_000_000 });
      if (r.error) return { errors: [[rent, r.error]] };
      const s = parseEuro(v(sc), { max: 1_000_000 });
      if (s.error) return { errors: [[sc, s.error]] };
      if (r.empty) return incomplete(rent, "Vul je nieuwe huur in.");
      const d = readDate(hh, date);
      if (d.error) return { errors: [[date, d.error]] };
      return { change: { kind: "home", date: d.value, rent: r.cents, service_costs: s.cents || 0 } };
    },
  };
}

function addressForm(hh) {
  const street = textField({ label: "Straat", name: "street", autocomplete: "address-line1" });
  const nr = textField({ label: "Huisnummer", name: "house_number", width: "short" });
  const pc = textField({ label: "Postcode", name: "postcode", autocomplete: "postal-code", width: "short", description: "Bijvoorbeeld 1234 AB." });
  const city = textField({ label: "Plaats", name: "city", autocomplete: "address-level2" });
  const renting = radioGroup({ legend: "Huur je je nieuwe woning?", name: "renting", value: "yes", options: [["yes", "Ja, ik huur"], ["no", "Nee"]] });
  const rent = moneyField("Kale huur per maand", "rent", "De huur zonder servicekosten.");
  const sc = moneyField("Servicekosten per maand", "service_costs", "Geen? Laat dit leeg.", { required: false });
  const date = dateField(hh, "Verhuisdatum");
  const sync = () => { const r = renting.value !== "no"; rent.el.hidden = !r; sc.el.hidden = !r; };
  for (const i of renting.inputs) i.addEventListener("change", sync);
  return {
    fields: [street.el, nr.el, pc.el, city.el, renting.el, rent.el, sc.el, date.el],
    map: { "change.address.street": street, "change.address.house_number": nr, "change.address.postcode": pc, "change.address.city": city, "change.rent": rent, "change.date": date },
    read() {
      const isRenting = renting.value !== "no";
      const r = parseEuro(v(rent), { max: 1_000_000 });
      const s = parseEuro(v(sc), { max: 1_000_000 });
      if (isRenting && r.error) return { errors: [[rent, r.error]] };
      if (isRenting && s.error) return { errors: [[sc, s.error]] };
      if (isRenting && r.empty) return incomplete(rent, "Vul de huur van je nieuwe woning in.");
      const d = readDate(hh, date);
      if (d.error) return { errors: [[date, d.error]] };
      const change = { kind: "address", date: d.value, address: { street: v(street).trim(), house_number: v(nr).trim(), postcode: v(pc).trim(), city: v(city).trim() }, renting: isRenting };
      if (isRenting) { change.rent = r.cents; change.service_costs = s.cents || 0; }
      // The preview does not need the address; sending does.
      const missing = textErrors([[street, "Vul de straat in.", 100], [nr, "Vul het huisnummer in.", 12]]);
      if (!/^[1-9][0-9]{3} ?[A-Za-z]{2}$/.test(change.address.postcode)) missing.push([pc, "Vul een postcode in zoals 1234 AB."]);
      missing.push(...textErrors([[city, "Vul de plaats in.", 80]]));
      return { change, sendErrors: missing };
    },
    sync,
  };
}

function childcareForm(hh) {
  const kids = new Map(hh.persons.map((p) => [p.id, p.given_name]));
  const contracts = hh.contracts.filter((c) => !c.end_date || c.end_date >= hh.today);
  const contract = selectField({ label: "Welke opvang?", name: "contract", value: contracts[0] && contracts[0].id,
    options: contracts.map((c) => [c.id, `${CARE[c.kind] || c.kind} voor ${kids.get(c.child_id) || "je kind"} (${c.organisation})`]) });
  const action = radioGroup({ legend: "Wat verandert er?", name: "care_action", value: "terms", options: [["terms", "Andere uren of uurprijs"], ["ends", "De opvang stopt"]] });
  const hours = textField({ label: "Uren per maand", name: "hours", inputmode: "numeric", width: "short", description: "Het aantal uur opvang per maand uit je contract." });
  const rate = moneyField("Uurprijs", "hourly_rate", "Wat de opvang per uur kost.");
  const date = dateField(hh, "Vanaf wanneer?");
  const fill = () => {
    const c = contracts.find((x) => x.id === contract.input.value);
    if (!c) return;
    hours.input.value = c.hours_per_month ?? "";
    rate.input.value = c.hourly_rate != null ? euro(c.hourly_rate).replace("€\u00a0", "") : "";
  };
  fill();
  contract.input.addEventListener("change", fill);
  const sync = () => { const ends = action.value === "ends"; hours.el.hidden = ends; rate.el.hidden = ends; };
  for (const i of action.inputs) i.addEventListener("change", sync);
  return {
    fields: [contract.el, action.el, hours.el, rate.el, date.el],
    map: { "change.hours_per_month": hours, "change.hourly_rate": rate, "change.date": date, "change.contract_id": contract },
    read() {
      if (!contracts.length) return { incomplete: "Je hebt geen kinderopvang die we kennen." };
      const d = readDate(hh, date);
      const ends = action.value === "ends";
      if (ends) {
        if (d.error) return { errors: [[date, d.error]] };
        return { change: { kind: "childcare", date: d.value, contract_id: contract.input.value, ends: true } };
      }
      const hr = parseWhole(v(hours), { max: 744, unit: "uur" });
      if (hr.error) return { errors: [[hours, hr.error]] };
      const rt = parseEuro(v(rate), { max: 5000 });
      if (rt.error) return { errors: [[rate, rt.error]] };
      if (hr.empty && rt.empty) return incomplete(hours, "Vul de uren of de uurprijs in.", "");
      if (d.error) return { errors: [[date, d.error]] };
      const change = { kind: "childcare", date: d.value, contract_id: contract.input.value, ends: false };
      if (!hr.empty) change.hours_per_month = hr.value;
      if (!rt.empty) change.hourly_rate = rt.cents;
      return { change };
    },
    sync,
  };
}

function partnerForm(hh) {
  const has = membersOn(hh, hh.today).some((p) => p.role === "partner");
  const name = textField({ label: "Voornaam van je partner", name: "given_name", autocomplete: "off" });
  const birth = textField({ label: "Geboortedatum van je partner", name: "birth_date", type: "date", width: "date", max: hh.today });
  const income = moneyField(`Inkomen van je partner in ${hh.year}`, "partner_income", "Over het hele jaar, vóór belasting.");
  const works = checkbox({ label: "Mijn partner werkt, studeert of volgt een traject", name: "works", checked: true });
  const insured = checkbox({ label: "Mijn partner heeft een Nederlandse zorgverzekering", name: "insured", checked: true });
  const date = dateField(hh, has ? "Wanneer gaat je partner weg?" : "Wanneer komt je partner bij je wonen?");
  const fields = has ? [para("Je geeft door dat je toeslagpartner niet meer bij je woont."), date.el] : [name.el, birth.el, income.el, works.el, insured.el, date.el];
  return {
    fields,
    map: { "change.partner.given_name": name, "change.partner.birth_date": birth, "change.partner.income": income, "change.date": date },
    read() {
      const d = readDate(hh, date);
      if (has) {
        if (d.error) return { errors: [[date, d.error]] };
        return { change: { kind: "partner", date: d.value, action: "moves_out" } };
      }
      const inc = parseEuro(v(income), { max: 10_000_000_000 });
      if (inc.error) return { errors: [[income, inc.error]] };
      if (!v(birth)) return incomplete(birth, "Vul de geboortedatum van je partner in.", "");
      if (badBirth(v(birth), hh.today)) return { errors: [[birth, "Deze geboortedatum kan niet kloppen."]] };
      if (inc.empty) return incomplete(income, "Vul het inkomen van je partner in.");
      if (d.error) return { errors: [[date, d.error]] };
      const change = { kind: "partner", date: d.value, action: "moves_in", partner: { given_name: v(name).trim() || "Partner", birth_date: v(birth), income: inc.cents, assets: 0, insured: insured.input.checked, works: works.input.checked } };
      return { change, sendErrors: textErrors([[name, "Vul de voornaam van je partner in.", 80]]) };
    },
  };
}

function childForm(hh) {
  const kids = kidsOn(hh, hh.today);
  const options = [["born", "Er is een kind geboren"], ["moves_in", "Een kind komt bij mij wonen"]];
  if (kids.length) options.push(["moves_out", "Een kind gaat het huis uit"]);
  const action = radioGroup({ legend: "Wat is er veranderd?", name: "child_action", value: "born", options });
  const name = textField({ label: "Voornaam van het kind", name: "child_name" });
  const birth = textField({ label: "Geboortedatum", name: "child_birth", type: "date", width: "date", max: hh.today });
  const which = kids.length ? selectField({ label: "Welk kind?", name: "child_id", options: kids.map((k) => [k.id, k.given_name]) }) : null;
  const date = dateField(hh, "Vanaf wanneer?");
  const sync = () => {
    const a = action.value;
    name.el.hidden = a === "moves_out";
    birth.el.hidden = a === "moves_out";
    if (which) which.el.hidden = a !== "moves_out";
    date.el.hidden = a === "born";
  };
  for (const i of action.inputs) i.addEventListener("change", sync);
  return {
    fields: [action.el, name.el, birth.el, which && which.el, date.el],
    map: { "change.child.given_name": name, "change.child.birth_date": birth, "change.date": date, "change.child_id": which },
    read() {
      const a = action.value;
      if (a === "moves_out") {
        const d = readDate(hh, date);
        if (d.error) return { errors: [[date, d.error]] };
        return { change: { kind: "child", date: d.value, action: "moves_out", child_id: which.input.value } };
      }
      const b = v(birth);
      if (!b) return incomplete(birth, "Vul de geboortedatum van het kind in.", "");
      if (badBirth(b, hh.today)) return { errors: [[birth, "Deze geboortedatum kan niet kloppen."]] };
      let day = b;
      if (a === "moves_in") {
        const d = readDate(hh, date);
        if (d.error) return { errors: [[date, d.error]] };
        day = d.value;
        if (ageOn(b, day) >= 18) return { errors: [[birth, "Dit kind is 18 jaar of ouder. Geef hier alleen kinderen jonger dan 18 door."]] };
      } else if (!b.startsWith(String(hh.year))) {
        return { errors: [[birth, `Een geboorte kun je hier doorgeven voor ${hh.year}.`]] };
      }
      const change = { kind: "child", date: day, action: a, child: { given_name: v(name).trim() || "Kind", birth_date: b } };
      return { change, sendErrors: textErrors([[name, "Vul de voornaam van het kind in.", 80]]) };
    },
    sync,
  };
}

const FORMS = { income: incomeForm, home: homeForm, address: addressForm, childcare: childcareForm, partner: partnerForm, child: childForm };

/** A Dutch sentence for what is sent (shown in the outbox and on the result screen). */
export function describe(change, hh) {
  const d = longDate(change.date);
  switch (change.kind) {
    case "income": return `${change.person === "partner" ? "Inkomen van je partner" : "Je inkomen"} voor ${hh.year}: ${euro(change.income, { whole: true })}${change.assets != null ? `, vermogen ${euro(change.assets, { whole: true })}` : ""} (vanaf ${d}).`;
    case "home": return `Nieuwe huur: ${euro(change.rent)} per maand vanaf ${d}.`;
    case "address": return `Verhuizing op ${d} naar ${change.address.city || "een nieuw adres"}${change.renting ? `, huur ${euro(change.rent)} per maand` : ""}.`;
    case "childcare": return change.ends ? `De kinderopvang stopt op ${d}.`
      : `Kinderopvang vanaf ${d}: ${[change.hours_per_month != null ? `${change.hours_per_month} uur per maand` : null,
        change.hourly_rate != null ? `${euro(change.hourly_rate)} per uur` : null].filter(Boolean).join(", ")}.`;
    case "partner": return change.action === "moves_in" ? `${change.partner.given_name} komt op ${d} bij je wonen als toeslagpartner.` : `Je toeslagpartner gaat weg op ${d}.`;
    case "child": return change.action === "moves_out" ? `Een kind gaat het huis uit op ${d}.` : change.action === "born" ? `${change.child.given_name} is geboren op ${d}.` : `${change.child.given_name} komt bij je wonen op ${d}.`;
    default: return "Wijziging";
  }
}

// -- the screen ------------------------------------------------------------------------------

export async function renderChange(view, { slug }) {
  const def = KINDS.find((k) => k[0] === slug);
  if (!def) { navigate("#/wijzigen", { replace: true }); return ""; }
  await loadCore();
  const hh = state.household;
  const [, kind, title] = def;
  const form = FORMS[kind](hh);
  const panel = createPreviewPanel();
  const formError = h("div", { class: "app-msg", role: "alert" });
  const submit = button("Versturen", { type: "submit" });
  const formEl = h("form", { class: "app-form", novalidate: true, "aria-describedby": "change-intro" },
    ...form.fields.filter(Boolean));
  const applied = new Set(hh.applications);
  let serverTimer = null;
  let lastChange = null;

  const onlineAndDifferent = () => !isOffline() && rulesState.version && state.overview && rulesState.version !== state.overview.rules_version;

  async function update(t0) {
    // Clear field errors that are fixed; show only real errors (not half-typed input).
    for (const f of Object.values(form.map)) if (f && f.setError) f.setError("");
    const r = form.read();
    lastChange = null;
    if (r.errors) {
      const [f, msg] = r.errors[0];
      f.setError(msg);
      panel.message(msg, "invalid");
      return;
    }
    if (r.incomplete) { panel.message(r.incomplete, "incomplete"); return; }
    lastChange = r.change;
    let input;
    try {
      input = previewInput(hh, r.change);
    } catch (e) {
      panel.message(e.message, "invalid");
      return;
    }
    if (!rulesState.version) {
      panel.message("De rekenregels worden geladen…", "loading");
      try { await loadRules(); } catch {
        // No MicroPython here (old browser?): ask the server when online.
        if (!isOffline()) return serverPreview(r.change, null);
        panel.message("Op dit apparaat kunnen we niet rekenen zonder internet.", "error");
        return;
      }
      if (lastChange !== r.change) return;
    }
    const res = await preview(input);
    if (res.stale || lastChange !== r.change) return;
    if (!res.ok) {
      panel.message("Met deze gegevens kunnen we niets uitrekenen. Kijk je invoer na.", "invalid");
      console.warn("preview:", res.error);
      return;
    }
    const ms = performance.now() - t0;
    let notice = null;
    if (rulesState.version !== state.overview.rules_version) {
      notice = alert("info", para(!isOffline()
        ? `De app rekent met andere regels (${short(rulesState.version)}) dan de server (${short(state.overview.rules_version)}). We vragen de berekening ook aan de server.`
        : `De app rekent met andere regels (${short(rulesState.version)}) dan de server (${short(state.overview.rules_version)}). De bedragen kunnen iets anders zijn.`));
    }
    panel.show(res.result, { applied, source: "phone", notice, ms, onApply });
    recordTiming(ms);
    if (onlineAndDifferent()) {
      clearTimeout(serverTimer);
      serverTimer = setTimeout(() => serverPreview(r.change, notice), 300);
    }
  }

  async function serverPreview(change, notice) {
    try {
      const res = await apiPost("/api/changes/preview", { change });
      if (lastChange !== change) return;
      const n = alert("info", para(`De app rekent met andere regels (${short(rulesState.version || "geen")}) dan de server (${short(res.rules_version)}). Je ziet de berekening van de server.`));
      panel.show(res, { applied, source: "server", notice: n, onApply });
    } catch (e) {
      if (lastChange !== change) return;
      if (e instanceof ApiError) panel.message(e.message, "invalid");
    }
  }

  const schedule = () => {
    const t0 = performance.now();
    update(t0);
  };
  formEl.addEventListener("input", schedule);
  formEl.addEventListener("change", schedule);
  // Back from the form (or away and back) keeps what was typed, until it is sent or cancelled.
  const keep = () => saveDraft(slug, formEl);
  formEl.addEventListener("input", keep);
  formEl.addEventListener("change", keep);

  add(formEl, panel.el, formError, h("div", { class: "app-actions" }, submit,
    link("#/wijzigen", "Annuleren", { class: "utrecht-link app-cancel", onclick: () => clearDraft(slug) })));

  /** "Versturen": checks, asks "Klopt dit?" about unlikely values, puts the change in the outbox and
   *  sends it; then `next(item, sent)` says where to go (default: the confirmation). */
  async function send(next = null) {
    formError.replaceChildren();
    for (const f of Object.values(form.map)) if (f && f.setError) f.setError("");
    const r = form.read();
    const errs = r.errors || r.missing || r.sendErrors || [];
    if (r.incomplete && !errs.length) {
      formError.replaceChildren(alert("error", para(r.incomplete)));
      const first = formEl.querySelector("input:not([type=radio]):not([type=checkbox])");
      if (first) first.focus();
      return;
    }
    if (errs.length) {
      for (const [f, msg] of errs) f.setError(msg);
      errs[0][0].input.focus();
      return;
    }
    const doubt = doubts(r.change, hh);
    if (doubt.length && !(await askConfirm(formError, doubt))) {
      const f = form.map[doubt[0].field];
      if (f && f.input) f.input.focus();
      return;
    }
    submit.disabled = true;
    const previewSummary = panel.el.querySelector(".app-preview__live").textContent;
    const item = await enqueue({ path: "/api/changes", body: { change: r.change }, summary: describe(r.change, hh), kind: r.change.kind, preview: previewSummary });
    clearDraft(slug);
    await flush().catch(() => null);
    const sent = Boolean(await lastResult(item.key));
    if (sent) invalidate();
    navigate((next && next(item, sent)) || "#/klaar/" + item.key);
  }

  // "Vraag ... aan" in the preview: the change is sent first (the application counts with it), then
  // the application opens. Offline the change stays in the outbox and the confirmation says so.
  function onApply(toeslag) {
    return send((item, sent) => (sent ? "#/aanvragen/" + toeslag : null));
  }

  formEl.addEventListener("submit", (ev) => {
    ev.preventDefault();
    send();
  });

  // Opened from a prompt (#/wijzigen/inkomen?melding=12): the form is filled with its figures and
  // the preview shows right away; nothing is sent until "Versturen".
  const promptId = Number(currentQuery().get("melding"));
  const fromPrompt = promptId && form.prefill ? (state.prompts || []).find((p) => p.id === promptId) : null;
  const filled = fromPrompt ? form.prefill(fromPrompt) : null;
  let promptNote = null;
  if (filled && fromPrompt.kind === "income_drift") {
    const d = fromPrompt.data || {};
    promptNote = alert("info", para(`We hebben het inkomen ingevuld dat je loon ${d.reported_through ? `tot en met ${monthName(d.reported_through)} ` : ""}laat zien. Klopt het niet? Pas het aan. Je ziet eerst wat het doet.`));
  } else if (filled && fromPrompt.kind === "assets_near_limit") {
    promptNote = alert("info", para("Kijk of je vermogen klopt. Is het anders? Vul het in. Je ziet eerst wat het doet."));
  }
  add(view, 
    para(link("#/wijzigen", "← Andere wijziging")),
    heading(1, `${title} doorgeven`),
    h("p", { class: "utrecht-paragraph", id: "change-intro" }, "Vul in wat er verandert. Hieronder zie je meteen wat het doet. Er wordt nog niets verstuurd."),
    promptNote,
    formEl,
    kind === "income" ? para(h("span", { class: "app-muted" }, "Weet je je inkomen nog niet precies? "), link("#/voorzichtig", "Kies een voorzichtig voorschot")) : null,
  );
  const restored = !filled && restoreDraft(slug, formEl);
  if (form.sync) form.sync();
  panel.message("Vul de gegevens in. Dan zie je hier meteen wat er verandert.", "empty");
  loadRules().catch(() => null);
  if (filled || restored) schedule();
  return `${title} doorgeven`;
}

const short = (v) => (v ? String(v).replace("sha256:", "").slice(0, 8) : "?");

function recordTiming(ms) {
  const t = (window.__previewTimings = window.__previewTimings || []);
  t.push(ms);
  if (t.length > 200) t.shift();
}

