// The toeslag years that matter today (GET /api/years): next year's voorschot from December, this
// year, and last year's expected settlement while it is open. A year switcher links to each year's
// screen (#/jaar/2027). A toeslag without parameters for a year has no amount: "nog niet bekend",
// never € 0,00; provisional parameters are marked "voorlopig" with their source.

import { h } from "../dom.js";
import { euro } from "../format.js";
import { link, para } from "./form.js";
import { apiGet, OfflineError } from "../api.js";

/** One open year of GET /api/years (with its `rules_input`, what the phone previews it with) and
 *  today. Offline it comes from the snapshot of that year or of all years (the overview keeps it). */
export async function loadYear(y) {
  try {
    const data = (await apiGet(`/api/years?year=${y}`)).data;
    return { year: data.years[0], today: data.today };
  } catch (e) {
    if (!(e instanceof OfflineError)) throw e;
    const all = (await apiGet("/api/years")).data;
    const yr = all.years.find((x) => x.year === y);
    if (!yr) throw e;
    return { year: yr, today: all.today };
  }
}

/** previewChange's `later`: the open years after `year` a change may still hold in (as the server
 *  carries it), with their `applied` toeslagen; offline from the snapshot. */
export async function laterInputs(year) {
  let data;
  try {
    data = (await apiGet("/api/years")).data;
  } catch {
    return [];
  }
  return data.years.filter((y) => y.year > year && (y.kind === "current" || y.kind === "next") && y.rules_input)
    .sort((a, b) => a.year - b.year)
    .map((y) => ({ year: y.year, paid: y.rules_input.paid, cautious: y.rules_input.cautious || null,
      applied: new Set(y.toeslagen.filter((t) => t.applied).map((t) => t.toeslag)) }));
}

/** One toeslag of a year as text: the amount per month, "voorlopig", or "nog niet bekend". */
export function yearAmount(t) {
  if (!t.known) return h("span", { dataset: { unknown: "" } }, "Nog niet bekend");
  const amount = t.per_month != null ? `${euro(t.per_month)} per maand` : `${euro(t.per_year)} over het jaar`;
  return h("span", null, t.entitled ? amount : "Geen recht",
    t.provisional ? h("span", { class: "app-muted", dataset: { provisional: "" } }, ` (voorlopig: ${t.source || "voorlopige bedragen"})`) : null);
}

export function yearList(y) {
  return h("ul", { class: "utrecht-unordered-list", dataset: { yearToeslagen: String(y.year) } },
    y.toeslagen.filter((t) => t.applied).map((t) => h("li", { class: "utrecht-unordered-list__item", dataset: { toeslag: t.toeslag } },
      `${t.name}: `, yearAmount(t))));
}

export function settlementBlock(st) {
  return h("div", { dataset: { settlement: String(st.year) } },
    para(h("strong", { dataset: { settlementTotal: "" } }, st.text), "."),
    h("ul", { class: "utrecht-unordered-list" }, st.toeslagen.map((t) => h("li", { class: "utrecht-unordered-list__item" },
      `${t.name}: `, t.known ? `${t.text.replace("Je ", "je ")} (recht ${euro(t.per_year)}, betaald ${euro(t.paid)}).` : "nog niet bekend."))),
    st.hoge_terugvordering ? h("p", { class: "utrecht-paragraph app-warning", dataset: { hoge: "" } },
      h("strong", null, "Let op: dit is een hoge terugvordering.")) : null,
    st.can_do.length ? h("ul", { class: "utrecht-unordered-list", dataset: { canDo: "" } },
      st.can_do.map((x) => h("li", { class: "utrecht-unordered-list__item" }, x))) : null);
}

/** The overview's years section: the switcher and a card per other open year. */
export async function yearsPanel() {
  let data;
  try {
    data = (await apiGet("/api/years")).data;
  } catch {
    return null; // offline without a snapshot: the overview of this year still shows
  }
  if (!data || data.years.length < 2 && !data.years.some((y) => y.prompt)) return null;
  const cur = data.years.find((y) => y.kind === "current");
  const others = data.years.filter((y) => y.kind !== "current");
  return h("section", { class: "app-years", "aria-labelledby": "years-title", dataset: { years: "" } },
    h("h2", { class: "utrecht-heading-2", id: "years-title" }, "Jaren"),
    h("nav", { "aria-label": "Kies een jaar", class: "app-year-switch" },
      h("ul", { class: "app-choices app-choices--inline", role: "list" }, data.years.map((y) => h("li", null,
        y.kind === "current" ? h("span", { "aria-current": "true" }, String(y.year))
          : link(`#/jaar/${y.year}`, String(y.year), { dataset: { yearLink: String(y.year) } }))))),
    cur && cur.prompt ? para(h("span", { dataset: { yearPrompt: String(cur.year) } }, cur.prompt), " ",
      link(`#/jaar/${cur.year}`, `Bekijk je inkomen voor ${cur.year}`)) : null,
    others.map((y) => h("div", { class: "app-card", dataset: { year: String(y.year), kind: y.kind } },
      h("h3", { class: "utrecht-heading-3" }, link(`#/jaar/${y.year}`, y.title)),
      y.prompt ? para(y.prompt) : null,
      y.kind === "past" && y.settlement ? settlementBlock(y.settlement) : yearList(y))));
}
