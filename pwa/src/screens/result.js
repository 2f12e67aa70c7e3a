// After "Versturen" (a change or an application): what was sent and the new amounts. While the
// change waits in the outbox (offline), this says so, and it updates itself once it is sent.

import { h, add } from "../dom.js";
import { euro, longDate, monthName, toeslagName } from "../format.js";
import { howToRepay, settleText } from "../components/money.js";
import { alert, dataList, heading, link, para } from "../components/form.js";
import { idbGet } from "../idb.js";
import { outboxEvents } from "../outbox.js";
import { render } from "../router.js";
import { invalidate, loadCore } from "../state.js";

export async function renderResult(view, { key }, alive) {
  const sent = await idbGet("kv", "result:" + key).catch(() => null);
  if (sent) {
    invalidate();
    await loadCore({ force: true }).catch(() => null);
    const res = sent.result || {};
    // POST /api/changes, /api/childcare/* and /api/income/cautious all answer with the new amounts
    // per toeslag (the last without `applied` and `name`).
    const outcomes = (res.toeslagen || []).filter((t) => t.applied !== false);
    const back = String(sent.kind || "").startsWith("childcare") ? ["#/kinderopvang", "Terug naar kinderopvang"] : null;
    add(view, 
      heading(1, "Verstuurd"),
      alert("ok", para("We hebben je wijziging ontvangen.")),
      heading(2, "Wat je hebt doorgegeven"),
      h("p", { class: "utrecht-paragraph", "data-sent-summary": "" }, res.summary || sent.summary),
      outcomes.length ? heading(2, "Je nieuwe bedragen") : null,
      h("ul", { class: "app-cards", role: "list" }, outcomes.map((t) => h("li", { class: "app-card", dataset: { toeslag: t.toeslag, allPaid: t.all_paid ? "1" : "0" } },
        h("h3", { class: "utrecht-heading-3" }, t.name || toeslagName(t.toeslag)),
        dataList(outcomeRows(t)),
        t.repayment ? alert(t.hoge_terugvordering ? "warning" : "info", para(
          t.hoge_terugvordering ? h("strong", null, "Let op: hoge terugvordering. ") : null,
          `Je moet ${euro(t.repayment)} terugbetalen. `, howToRepay(t.repayment, t.threshold))) : null,
        ))),
      (res.carried_forward || []).map(carriedBlock),
      back ? para(link(back[0], back[1])) : null,
      para(link("#/overzicht", "Naar het overzicht")),
    );
    return "Verstuurd";
  }
  const item = await idbGet("outbox", key).catch(() => null);
  if (!item) {
    add(view, heading(1, "Niet gevonden"), para("Deze wijziging kennen we niet (meer)."), para(link("#/overzicht", "Naar het overzicht")));
    return "Niet gevonden";
  }
  const rejected = item.status === "rejected";
  add(view, 
    heading(1, rejected ? "Niet verwerkt" : "Nog niet verstuurd"),
    rejected
      ? alert("error", para(item.error || "De wijziging is niet verwerkt."))
      : alert("warning", para("Je bent offline. We bewaren je wijziging op dit apparaat en versturen die zodra je weer verbinding hebt. Je hoeft niets te doen.")),
    heading(2, "Wat je doorgeeft"),
    h("p", { class: "utrecht-paragraph", "data-sent-summary": "" }, item.summary),
    item.preview ? heading(2, "Wat het doet (berekend op je telefoon)") : null,
    item.preview ? para(item.preview) : null,
    String(item.kind || "").startsWith("childcare") ? para(link("#/kinderopvang", "Terug naar kinderopvang")) : null,
    para(link("#/overzicht", "Naar het overzicht")),
  );
  const onSent = (ev) => {
    if (ev.detail.item.key !== key) return;
    outboxEvents.removeEventListener("sent", onSent);
    if (alive()) render();
  };
  outboxEvents.addEventListener("sent", onSent);
  return rejected ? "Niet verwerkt" : "Nog niet verstuurd";
}

// a later open year the change still holds in: what was decided there
function carriedBlock(c) {
  return h("section", { dataset: { carriedYear: String(c.year) } },
    heading(2, `Je voorschot voor ${c.year}`),
    para(c.summary),
    h("ul", { class: "app-cards", role: "list" }, c.toeslagen.map((t) => h("li", { class: "app-card", dataset: { toeslag: t.toeslag } },
      h("h3", { class: "utrecht-heading-3" }, t.name || toeslagName(t.toeslag)),
      dataList(outcomeRows(t, c.year))))),
    c.unknown && c.unknown.length ? h("p", { class: "utrecht-paragraph", dataset: { unknown: "" } },
      `Nog niet bekend voor ${c.year}: ${c.unknown.map((t) => toeslagName(t).toLowerCase()).join(", ")}. Die bedragen zijn er nog niet.`) : null);
}

/** The rows of one toeslag after a decision. When every voorschot of the year was already paid there
 *  is no new monthly amount (never "€ 0,00" for a toeslag that continues): say so, and show what is
 *  settled now and what the settlement after the year is expected to be. */
function outcomeRows(t, year = null) {
  const now = t.past_months
    ? ["Maanden die al betaald zijn", h("span", { dataset: { field: "past_months" } },
      t.past_months < 0 ? `Je betaalt ${euro(-t.past_months)} terug`
        : `Je krijgt ${euro(t.past_months)} erbij${t.payout_on ? `, op ${longDate(t.payout_on)}` : ""}`)]
    : null;
  if (t.all_paid) {
    return [
      ["Per maand", h("span", { dataset: { field: "all_paid" } }, "De voorschotten voor dit jaar zijn allemaal betaald.")],
      now || ["Maanden die al betaald zijn", h("span", { dataset: { field: "past_months" } }, "Niets terug of erbij")],
      ["Verwachte afrekening na het jaar", h("span", { dataset: { field: "settlement" } }, settleText(t.settlement))],
    ];
  }
  return [
    ["Nieuw bedrag per maand", h("span", { class: "app-amount", dataset: { field: "new_monthly" } }, euro(t.new_monthly))],
    t.before_monthly != null ? ["Was per maand", h("span", { dataset: { field: "before_monthly" } }, euro(t.before_monthly))] : null,
    ["Vanaf", year ? `${monthName(t.effective_month)} ${year}` : monthName(t.effective_month)],
    now,
  ];
}
