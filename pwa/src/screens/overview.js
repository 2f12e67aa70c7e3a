// Overzicht: every toeslag of the household — amount this month, next payment, status — and one
// line on what to check now.

import { h, add } from "../dom.js";
import { euro, longDate, monthName, reasonText } from "../format.js";
import { alert, heading, link, para } from "../components/form.js";
import { loadCore, state } from "../state.js";
import { pendingItems } from "../outbox.js";
import { apiGet } from "../api.js";
import { openCorrections, settleText } from "../components/money.js";
import { installHint } from "../components/install.js";
import { promptList, visiblePrompts } from "../components/prompts.js";
import { yearsPanel } from "../components/years.js";
import { warningList } from "../components/warnings.js";

const STATUS = {
  applied: ["Je krijgt dit", "success"],
  not_applied: ["Niet aangevraagd", "warning"],
  not_entitled: ["Geen recht", "neutral"],
  unknown: ["Nog niet bekend", "neutral"],
};

export function statusBadge(item) {
  const [text, kind] = STATUS[item.status] || [item.status, "neutral"];
  return h("span", { class: `utrecht-status-badge utrecht-status-badge--${kind} app-badge` }, text);
}

const threshold = (t) => (t === "kinderopvangtoeslag" ? 100000 : 50000);

/** One line: what to check now, when there is no prompt from the server (GET /api/prompts). */
export async function checkNow(ov, prompts) {
  if (prompts.length) {
    return [prompts.length === 1 ? "Er is 1 melding voor je. Kijk of alles nog klopt." : `Er zijn ${prompts.length} meldingen voor je. Kijk of alles nog klopt.`, null, null];
  }
  const items = await pendingItems();
  if (items.some((i) => i.status === "rejected")) return ["Een wijziging is niet verwerkt. Kijk wat er mis ging.", "#/wijzigen", "Bekijken"];
  for (const t of ov.toeslagen) {
    if (t.applied && t.expected_settlement <= -threshold(t.toeslag)) {
      return [`Let op: bij ${t.name.toLowerCase()} moet je na het jaar waarschijnlijk ${euro(-t.expected_settlement)} terugbetalen. Klopt alles nog?`, "#/wijzigen", "Wijziging doorgeven"];
    }
  }
  const open = ov.toeslagen.find((t) => t.status === "not_applied");
  if (open) return [`Je hebt misschien recht op ${open.name.toLowerCase()}.`, "#/aanvragen/" + open.toeslag, "Aanvragen"];
  return [`Klopt je inkomen voor ${ov.year} nog? Geef een wijziging meteen door. Dan hoef je later minder terug te betalen.`, "#/wijzigen/inkomen", "Inkomen doorgeven"];
}

/** What the household gets this month in all. A toeslag whose amount is not known yet (next year's
 *  parameters not published) is not a € 0: the line names it instead of adding a made-up zero. */
function totalLine(ov) {
  const month = monthName(ov.month);
  const unknown = ov.toeslagen.filter((t) => t.status === "unknown").map((t) => t.name.toLowerCase());
  const known = ov.toeslagen.some((t) => t.status === "applied");
  if (unknown.length && !known) {
    return h("p", { class: "utrecht-paragraph app-total", dataset: { totalUnknown: "" } },
      `Hoeveel je deze maand (${month}) krijgt, is nog niet bekend.`);
  }
  const names = unknown.length > 1 ? `${unknown.slice(0, -1).join(", ")} en ${unknown[unknown.length - 1]}` : unknown[0];
  return h("p", { class: "utrecht-paragraph app-total" }, `Deze maand (${month}) krijg je in totaal `,
    h("strong", { dataset: { total: "" } }, euro(ov.total_this_month)), ".",
    unknown.length ? ` Dat is zonder ${names}: ${unknown.length > 1 ? "die bedragen zijn" : "dat bedrag is"} nog niet bekend.` : "");
}

export async function renderOverview(view) {
  await loadCore({ household: false });
  const ov = state.overview;
  if (!ov) throw new Error("We konden je gegevens niet laden. Probeer het later opnieuw.");
  const prompts = await visiblePrompts();
  const years = await yearsPanel();
  const [text, href, action] = await checkNow(ov, prompts);
  const live = h("p", { class: "app-visually-hidden", role: "status", "aria-live": "polite", "data-prompt-status": "" });
  const checkText = h("p", { class: "utrecht-paragraph app-check__text", "data-check": "" }, text, " ", href ? link(href, action) : null);
  const check = h("section", { class: "app-check", "aria-labelledby": "check-title" },
    h("h2", { class: "app-check__title", id: "check-title", tabindex: "-1" }, "Nu controleren"), checkText,
    prompts.length ? promptList(prompts, {
      say: (msg) => { live.textContent = msg; },
      onEmpty: async () => {
        const [t2, href2, action2] = await checkNow(ov, []);
        checkText.replaceChildren(t2, " ", href2 ? link(href2, action2) : "");
        check.querySelector("h2").focus();
      },
    }) : null);
  add(view, 
    heading(1, `Overzicht ${ov.year}`),
    para(h("span", { class: "app-muted" }, ov.household_label)),
    state.snapshotAt ? alert("info", para(`Je bent offline. Je ziet je gegevens van ${longDate(state.snapshotAt.slice(0, 10))}.`)) : null,
    live,
    check,
    years,
    warningList(ov.warnings, { title: "Let op", level: 2 }),
    totalLine(ov),
    h("ul", { class: "app-cards", role: "list" }, ov.toeslagen.map((t) => h("li", { class: "app-card", dataset: { toeslag: t.toeslag } },
      h("div", { class: "app-card__head" },
        h("h2", { class: "utrecht-heading-3 app-card__title" }, link("#/toeslag/" + t.toeslag, t.name, { class: "utrecht-link app-card__link" })),
        statusBadge(t)),
      t.status === "applied"
        ? h("dl", { class: "app-facts" },
          h("div", null, h("dt", null, "Deze maand"), h("dd", { class: "app-amount", dataset: { field: "amount_this_month" } }, euro(t.amount_this_month))),
          t.next_payment ? h("div", null, h("dt", null, "Volgende betaling"),
            h("dd", { dataset: { field: "next_payment" } }, longDate(t.next_payment.date), t.next_payment.amount != null ? `: ${euro(t.next_payment.amount)}` : "")) : null)
        : t.status === "unknown"
          ? para(`Nog niet bekend: de bedragen voor ${ov.year} zijn nog niet gepubliceerd.`)
        : t.status === "not_applied"
          ? para(`Je kunt dit aanvragen: ongeveer ${euro(t.entitlement_this_month)} per maand. `, link("#/aanvragen/" + t.toeslag, "Aanvragen"))
          : para(t.reasons.length ? t.reasons.map(reasonText).join(" ") : "Met je gegevens van nu krijg je dit niet."),
      // a repayment stays on the overview until it is settled (also when there is no right any more)
      t.applied ? openCorrections(t) : null,
    ))),
    installHint(),
  );
  // Warm the history snapshot for the detail screens (offline later).
  apiGet(`/api/history?year=${ov.year}`).catch(() => null);
  return `Overzicht ${ov.year}`;
}

export async function renderDetail(view, { toeslag }) {
  await loadCore({ household: false });
  const ov = state.overview;
  const t = ov && ov.toeslagen.find((x) => x.toeslag === toeslag);
  if (!t) throw new Error("Deze toeslag kennen we niet.");
  // every amount of the month table from the ledger: a paid month as paid (on its date), the rest as
  // the decision in force schedules; corrections are their own lines below the table
  const book = t.ledger;
  const rows = t.months.map((entitled, i) => {
    const line = book ? book.months[i] : null;
    const isPaid = !!line && line.paid !== null && line.paid !== undefined;
    const amount = !t.applied ? entitled : isPaid ? line.paid : line ? line.due : t.voorschot[i];
    const when = !t.applied ? "Niet aangevraagd" : isPaid ? `Betaald op ${longDate(line.paid_on)}` : line ? `Komt op ${longDate(line.payment_date)}` : "Komt nog";
    return h("tr", { class: "utrecht-table__row" + (i + 1 === ov.month ? " app-row--now" : ""), dataset: { month: String(i + 1), paid: isPaid ? "1" : "0", amount: String(amount) } },
      h("th", { class: "utrecht-table__header-cell", scope: "row" }, monthName(i + 1)),
      h("td", { class: "utrecht-table__cell utrecht-table__cell--numeric-data" }, euro(amount)),
      h("td", { class: "utrecht-table__cell" }, when));
  });
  const steps = (t.steps || []).map((s) => h("li", { class: "utrecht-ordered-list__item app-step" },
    h("p", { class: "utrecht-paragraph" }, s.text),
    s.amount !== null && s.amount !== undefined ? h("p", { class: "utrecht-paragraph app-step__amount" }, euro(s.amount, { cents: true })) : null,
    s.law ? h("p", { class: "utrecht-paragraph app-step__law" }, h("span", { class: "app-muted" }, "Wet: "), s.law) : null));
  if (t.status === "unknown") return unknownDetail(view, t, ov);
  const settlement = t.expected_settlement;
  const driftPrompt = t.applied ? (await visiblePrompts()).find((p) => p.kind === "income_drift" && p.data && p.data.toeslagen) : null;
  const drift = driftPrompt ? driftPrompt.data.toeslagen.find((x) => x.toeslag === toeslag && x.settlement) || null : null;
  add(view, 
    para(link("#/overzicht", "← Overzicht")),
    heading(1, t.name),
    h("div", { class: "app-detail-head" }, statusBadge(t)),
    h("dl", { class: "app-facts" },
      h("div", null, h("dt", null, "Deze maand"), h("dd", { class: "app-amount", dataset: { field: "amount_this_month" } }, euro(t.applied ? t.amount_this_month : 0))),
      h("div", null, h("dt", null, `Recht over heel ${ov.year}`), h("dd", null, euro(t.per_year))),
      t.applied ? h("div", null, h("dt", null, "Al betaald dit jaar"), h("dd", { dataset: { field: "paid_so_far" } }, euro(t.year_so_far.paid))) : null,
      t.applied ? h("div", null, h("dt", null, drift ? "Verwachte afrekening na het jaar, met het inkomen dat je opgaf" : "Verwachte afrekening na het jaar"),
        h("dd", { dataset: { field: "settlement" } }, settleText(settlement))) : null,
      // the drift prompt's amount for this toeslag, said the same way here: the two amounts are about
      // two incomes (the estimate, and the one the wages point to), so the page names both
      drift ? h("div", null, h("dt", null, "Als je loon zo doorgaat en je geeft niets door"),
        h("dd", { dataset: { field: "settlement_drift" } }, settleText(drift.settlement))) : null),
    t.applied ? openCorrections(t) : null,
    !t.entitled && t.reasons.length ? alert("info", para(t.reasons.map(reasonText).join(" "))) : null,
    h("details", { class: "app-details", "data-explain": "" },
      h("summary", { class: "app-details__summary" }, "Hoe komt dit bedrag?"),
      para(`Zo rekenen we ${t.name.toLowerCase()} uit voor ${monthName(ov.month)} ${ov.year}.`),
      steps.length ? h("ol", { class: "utrecht-ordered-list app-steps" }, steps) : para("Er zijn geen stappen.")),
    heading(2, `${ov.year} per maand`),
    h("div", { class: "app-table-wrap" },
      h("table", { class: "utrecht-table utrecht-table--html-table app-table" },
        h("caption", { class: "utrecht-table__caption app-visually-hidden" }, `${t.name} per maand in ${ov.year}`),
        h("thead", { class: "utrecht-table__header" }, h("tr", { class: "utrecht-table__row" },
          h("th", { class: "utrecht-table__header-cell", scope: "col" }, "Maand"),
          h("th", { class: "utrecht-table__header-cell utrecht-table__header-cell--numeric-column", scope: "col" }, "Bedrag"),
          h("th", { class: "utrecht-table__header-cell", scope: "col" }, "Betaald?"))),
        h("tbody", { class: "utrecht-table__body" }, rows))),
    t.applied ? para(link("#/wijzigen", "Wijziging doorgeven")) : t.status === "not_applied" ? para(link("#/aanvragen/" + toeslag, `${t.name} aanvragen`)) : null,
  );
  return t.name;
}

/** A toeslag whose year has no published parameters yet: no amount at all (a € 0 would read as "you get
 *  nothing"), what is missing, and the explanation's own step that says so. */
function unknownDetail(view, t, ov) {
  // the rules' step for a missing parameter carries 0 as its amount: only its text and law are shown
  const steps = (t.steps || []).map((s) => h("li", { class: "utrecht-ordered-list__item app-step" },
    h("p", { class: "utrecht-paragraph" }, s.text),
    s.law ? h("p", { class: "utrecht-paragraph app-step__law" }, h("span", { class: "app-muted" }, "Wet: "), s.law) : null));
  add(view,
    para(link("#/overzicht", "← Overzicht")),
    heading(1, t.name),
    h("div", { class: "app-detail-head" }, statusBadge(t)),
    alert("info", para(`De bedragen voor ${ov.year} zijn nog niet gepubliceerd. Daarom weten we nog niet hoeveel ${t.name.toLowerCase()} je krijgt. Zodra de bedragen bekend zijn, zie je hier wat je per maand krijgt.`)),
    steps.length ? h("details", { class: "app-details", "data-explain": "" },
      h("summary", { class: "app-details__summary" }, "Waarom weten we het nog niet?"),
      h("ol", { class: "utrecht-ordered-list app-steps" }, steps)) : null,
    para(link("#/wijzigen", "Wijziging doorgeven")),
  );
  return t.name;
}
