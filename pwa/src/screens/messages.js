// Berichten: the decisions in plain Dutch, and what happened this year (GET /api/history events:
// your changes, what your kinderopvang or employer passed on, decisions), each with where it came from.

import { h, add } from "../dom.js";
import { longDate, toeslagName } from "../format.js";
import { alert, heading, para } from "../components/form.js";
import { apiGet } from "../api.js";
import { loadMessages, state } from "../state.js";

const SOURCES = {
  kinderopvang: "kinderopvang",
  parent: "jijzelf",
  agency: "Dienst Toeslagen",
  income_data: "loongegevens",
  insurer: "zorgverzekeraar",
  landlord: "verhuurder",
};
export const sourceName = (s) => SOURCES[s] || s;

export async function renderMessages(view) {
  const r = await loadMessages();
  const list = r.data.messages || [];
  const year = (state.overview && state.overview.year) || new Date().getFullYear();
  let events = [];
  let histSnapshot = null;
  try {
    const hist = await apiGet(`/api/history?year=${year}`);
    events = [...(hist.data.events || [])].sort((a, b) => (a.occurred_at < b.occurred_at ? 1 : a.occurred_at > b.occurred_at ? -1 : b.id - a.id));
    histSnapshot = hist.snapshot;
  } catch { /* offline without a snapshot: only the messages */ }
  add(view,
    heading(1, "Berichten"),
    r.snapshot || histSnapshot ? alert("info", para("Je bent offline. Dit zijn de berichten die je al had.")) : null,
    list.length === 0 ? para("Je hebt nog geen berichten.") : null,
    h("ul", { class: "app-cards", role: "list" }, list.map((m) => h("li", { class: "app-card app-message", dataset: { message: m.id } },
      h("h2", { class: "utrecht-heading-3" }, m.title),
      h("p", { class: "utrecht-paragraph app-muted" }, `${longDate(m.date.slice(0, 10))} · ${(m.toeslagen && m.toeslagen.length ? m.toeslagen : [m.toeslag]).map(toeslagName).join(", ")}`),
      para(m.body)))),
    events.length ? heading(2, `Wat er gebeurde in ${year}`) : null,
    events.length ? h("ol", { class: "app-events", role: "list" }, events.map((e) => h("li", { class: "app-event", dataset: { event: String(e.id), kind: e.kind, source: e.source } },
      para(e.summary),
      h("p", { class: "utrecht-paragraph app-muted app-sub" }, `${longDate(e.occurred_at.slice(0, 10))} · Bron: ${sourceName(e.source)}`)))) : null,
  );
  return "Berichten";
}
