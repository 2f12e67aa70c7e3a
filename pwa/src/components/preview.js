// The preview of a change: per toeslag the new monthly amount, the difference, what is repaid or
// paid out for the months already paid, the expected settlement, and a clear warning at a hoge
// terugvordering. A short summary goes to a live region (role="status"), so a screen reader hears
// the new amounts without the whole panel being read out on every key.

import { clear, h, nextId } from "../dom.js";
import { euro, monthName, signedEuro, toeslagName, TOESLAGEN, reasonText } from "../format.js";
import { alert, dataList } from "./form.js";
import { warningList, warningsFor, warningSummary } from "./warnings.js";

const firstUnpaid = (paid) => paid.findIndex((v) => v === null);

export function createPreviewPanel({ title = "Wat verandert er?", level = 2 } = {}) {
  const titleId = nextId("preview-title");
  const live = h("p", { class: "app-preview__live", role: "status", "aria-live": "polite", "aria-atomic": "true" });
  const body = h("div", { class: "app-preview__body" });
  const note = h("div", { class: "app-preview__note" });
  const el = h("section", { class: "app-preview", "aria-labelledby": titleId, dataset: { state: "empty", seq: "0" } },
    h("h" + level, { class: "utrecht-heading-2", id: titleId }, title), live, note, body);
  let seq = 0;
  let lastLive = "";

  function say(text) {
    if (text !== lastLive) { live.textContent = text; lastLive = text; }
  }

  return {
    el,
    /** A message instead of amounts (half-typed input, bad input, loading). */
    message(text, state = "message") {
      // The live region is visible: it alone shows the message (it was said twice before).
      clear(body);
      clear(note);
      say(text);
      el.dataset.state = state;
      el.dataset.seq = String(++seq);
    },
    /** `onApply(toeslag)`: the screen sends its pending change before an application opens (a link
     *  straight to the application would count without the change: "Je hebt geen recht"). */
    show(result, { applied, source = "phone", notice = null, ms = null, only = null, filter = null, onApply = null }) {
      clear(body);
      clear(note);
      if (notice) note.append(notice);
      const list = only ? [only] : filter || TOESLAGEN;
      // the warnings about the toeslagen this panel shows, and those about the whole household
      const warnings = warningsFor(result.warnings).filter((w) => !w.toeslag || list.includes(w.toeslag));
      const warned = warningList(warnings);
      if (warned) body.append(warned);
      const summary = [...warningSummary(warnings)];
      let cards = 0;
      for (const t of list) {
        const r = result.toeslagen[t];
        if (!r) continue;
        const card = only ? applicationCard(t, r, result, summary) : (applied.has(t) ? changeCard(t, r, result, summary, level + 1) : newEntitlement(t, r, summary, level + 1, onApply));
        if (card) { body.append(card); cards += 1; }
      }
      if (!cards) {
        body.append(h("p", { class: "utrecht-paragraph" }, "Voor je toeslagen verandert er niets."));
        summary.push("Voor je toeslagen verandert er niets.");
      }
      say(summary.join(" "));
      el.dataset.state = "ready";
      el.dataset.source = source;
      el.dataset.seq = String(++seq);
      if (ms !== null) el.dataset.ms = ms.toFixed(1);
    },
  };
}

function changeCard(t, r, result, summary, hl = 3) {
  const name = toeslagName(t);
  if (r.computed === false) {
    // no parameters for the year (yet): no amount at all, as the server's year screen says it
    summary.push(`${name}: nog niet bekend.`);
    return h("article", { class: "app-card app-preview__card", dataset: { toeslag: t, unknown: "" } },
      h("h" + hl, { class: "utrecht-heading-3" }, name),
      h("p", { class: "utrecht-paragraph" }, `Nog niet bekend: de bedragen voor ${result.year} zijn er nog niet.`));
  }
  const idx = firstUnpaid(r.paid);
  const pastYear = result.today && result.year < Number(result.today.slice(0, 4));
  const oldMonthly = idx >= 0 ? r.before.months[idx] : null;
  const diff = idx >= 0 ? r.new_monthly - oldMonthly : 0;
  const rows = [];
  if (idx >= 0) {
    rows.push(["Nieuw bedrag per maand", h("span", { class: "app-amount", dataset: { field: "new_monthly" } }, euro(r.new_monthly))]);
    rows.push(["Nu per maand", euro(oldMonthly)]);
    rows.push(["Verschil per maand", h("span", { dataset: { field: "difference" } }, signedEuro(diff))]);
  } else {
    rows.push(["Nieuw bedrag per maand", pastYear ? `${result.year} is voorbij: er komt geen voorschot meer.` : "Dit jaar is al helemaal betaald."]);
  }
  const past = r.past_months;
  rows.push(["Maanden die al betaald zijn", h("span", { dataset: { field: "past_months" } },
    past < 0 ? `Je betaalt ${euro(-past)} terug` : past > 0 ? `Je krijgt ${euro(past)} erbij` : "Niets terug of erbij")]);
  rows.push(["Verwachte afrekening na het jaar", h("span", { dataset: { field: "settlement" } },
    r.settlement < 0 ? `Je betaalt ${euro(-r.settlement)} terug` : r.settlement > 0 ? `Je krijgt ${euro(r.settlement)} erbij` : euro(0))]);
  const kids = [h("h" + hl, { class: "utrecht-heading-3" }, name)];
  if (result.effective_month && idx >= 0) {
    kids.push(h("p", { class: "utrecht-paragraph app-muted" }, `Vanaf ${monthName(idx + 1)} ${result.year}.`));
  }
  kids.push(dataList(rows));
  if (r.provisional) {
    kids.push(h("p", { class: "utrecht-paragraph app-muted", dataset: { provisional: "" } },
      `Voorlopig: ${r.source || `voorlopige bedragen voor ${result.year}`}`));
    summary.push(`${name}: voorlopig.`);
  }
  if (r.hoge_terugvordering) {
    kids.push(alert("warning",
      h("p", { class: "utrecht-paragraph" }, h("strong", null, "Let op: hoge terugvordering. "),
        `Je moet ${euro(r.repayment)} ${name.toLowerCase()} terugbetalen. Je krijgt daar een brief over. ` +
        "Lukt terugbetalen niet in één keer? Dan kun je een betalingsregeling vragen.")));
  } else if (r.hoge_terugvordering_unchanged) {
    kids.push(alert("info", h("p", { class: "utrecht-paragraph" },
      `Geef je dit niet door, dan moet je na het jaar waarschijnlijk ${euro(-r.settlement_unchanged)} terugbetalen.`)));
  }
  if (idx >= 0) {
    summary.push(diff === 0 ? `${name} blijft ${euro(r.new_monthly)} per maand.` : `${name} wordt ${euro(r.new_monthly)} per maand (nu ${euro(oldMonthly)}).`);
  }
  if (r.hoge_terugvordering) summary.push(`Let op: hoge terugvordering van ${euro(r.repayment)}.`);
  return h("article", { class: "app-card app-preview__card" + (r.hoge_terugvordering ? " app-card--warning" : ""), dataset: { toeslag: t } }, kids);
}

function newEntitlement(t, r, summary, hl = 3, onApply = null) {
  const before = r.before && r.before.entitled;
  const after = r.after && r.after.entitled && r.after.per_year > 0;
  if (!after || before) return null;
  const name = toeslagName(t);
  summary.push(`Je hebt dan misschien recht op ${name.toLowerCase()}.`);
  return h("article", { class: "app-card app-preview__card", dataset: { toeslag: t } },
    h("h" + hl, { class: "utrecht-heading-3" }, name),
    h("p", { class: "utrecht-paragraph" },
      `Je hebt dan misschien recht op ${name.toLowerCase()}: ongeveer ${euro(r.after.per_month)} per maand. `,
      onApply
        ? h("a", { class: "utrecht-link", href: "#/aanvragen/" + t, dataset: { apply: t },
          onclick: (ev) => { ev.preventDefault(); onApply(t); } }, `Verstuur deze wijziging en vraag ${name.toLowerCase()} aan`)
        // no screen sends its change here: no link that would open the application without it
        : "Verstuur eerst deze wijziging. Daarna kun je het aanvragen."));
}

/** For an application: what the toeslag brings if the household applies now. */
function applicationCard(t, r, result, summary) {
  const name = toeslagName(t);
  const res = r.after && r.after.months && r.after.months.length ? r.after : r.before;
  if (r.computed === false) {
    summary.push(`${name}: kunnen we nog niet uitrekenen.`);
    return h("p", { class: "utrecht-paragraph" }, "Voor dit jaar kunnen we dit nog niet uitrekenen.");
  }
  if (!res.entitled || res.per_year <= 0) {
    summary.push(`Je hebt geen recht op ${name.toLowerCase()}.`);
    return h("div", { class: "app-card", dataset: { toeslag: t } },
      h("p", { class: "utrecht-paragraph" }, `Met je gegevens van nu krijg je geen ${name.toLowerCase()}.`),
      h("ul", { class: "utrecht-unordered-list" }, (res.reasons || []).map((c) => h("li", { class: "utrecht-unordered-list__item" }, reasonText(c)))));
  }
  const idx = firstUnpaid(r.paid);
  const past = r.past_months;
  // Every month of the year paid already: no monthly amount (not "Per maand –" under "ongeveer
  // € 495,00 per maand"); what the year brings comes in one payment.
  const rows = [
    idx >= 0 ? ["Per maand", h("span", { class: "app-amount", dataset: { field: "new_monthly" } }, euro(r.new_monthly))] : null,
    ["Per jaar", euro(res.per_year)],
    past > 0 ? ["Voor de maanden die al voorbij zijn", h("span", { dataset: { field: "past_months" } }, `Je krijgt ${euro(past)} in één keer`)] : null,
  ];
  summary.push(idx >= 0 ? `${name}: ongeveer ${euro(r.new_monthly)} per maand.`
    : `${name}: ongeveer ${euro(res.per_year)} over heel ${result.year}, in één keer.`);
  return h("article", { class: "app-card app-preview__card", dataset: { toeslag: t } }, dataList(rows));
}
