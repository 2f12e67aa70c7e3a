// Berichten: the decisions in plain Dutch.

import { h, add } from "../dom.js";
import { longDate, toeslagName } from "../format.js";
import { alert, heading, para } from "../components/form.js";
import { loadMessages } from "../state.js";

export async function renderMessages(view) {
  const r = await loadMessages();
  const list = r.data.messages || [];
  add(view, 
    heading(1, "Berichten"),
    r.snapshot ? alert("info", para("Je bent offline. Dit zijn de berichten die je al had.")) : null,
    list.length === 0 ? para("Je hebt nog geen berichten.") : null,
    h("ul", { class: "app-cards", role: "list" }, list.map((m) => h("li", { class: "app-card app-message", dataset: { message: m.id } },
      h("h2", { class: "utrecht-heading-3" }, m.title),
      h("p", { class: "utrecht-paragraph app-muted" }, `${longDate(m.date.slice(0, 10))} · ${toeslagName(m.toeslag)}`),
      para(m.body)))),
  );
  return "Berichten";
}
