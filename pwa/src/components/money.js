// The money texts every screen shares (issue #14: one truth about money). The amounts come from the
// server's ledger (GET /api/overview: `ledger` per toeslag) or from shared_rules; nothing here
// computes an amount, it only says one.
//
// Euro format (one rule, format.js euro()): a whole amount without cents ("€ 851"), cents only when
// there are any. The explanation's steps ("Hoe komt dit bedrag?") are the exception: they are the
// intermediate amounts of the law's arithmetic and always carry cents, as the step texts do.

import { h } from "../dom.js";
import { euro, longDate, monthName } from "../format.js";

/** "Je betaalt € 768,00 terug" / "Je krijgt € 144,00 erbij" / "€ 0,00": a settlement in words. */
export function settleText(cents) {
  return cents < 0 ? `Je betaalt ${euro(-cents)} terug` : cents > 0 ? `Je krijgt ${euro(cents)} erbij` : euro(0);
}

/** How to pay back `cents`: above the agency's line for a hoge terugvordering, the betalingsregeling first. */
export function howToRepay(cents, threshold) {
  const letter = "Je krijgt een brief van Dienst Toeslagen met het bedrag en wanneer je betaalt.";
  if (threshold && cents >= threshold) {
    return `${letter} Dit is een hoge terugvordering. Lukt het niet in één keer? Vraag dan een betalingsregeling: dan betaal je in delen per maand.`;
  }
  return `${letter} Lukt het niet in één keer? Dan kun je een betalingsregeling vragen.`;
}

const HIGH = (t) => (t === "kinderopvangtoeslag" ? 100000 : 50000);

function monthsText(months) {
  if (!months || !months.length) return "";
  if (months.length === 1) return ` (${monthName(months[0])})`;
  return ` (${monthName(months[0])} tot en met ${monthName(months[months.length - 1])})`;
}

/** One line of the ledger's corrections in plain Dutch, with its status. */
export function correctionText(c) {
  const over = monthsText(c.months);
  if (c.kind === "definitive_settlement") {
    return `Definitieve berekening (${longDate(c.decided_on)}): ${settleText(c.amount)}.`;
  }
  if (c.amount > 0) {
    return c.status === "settled"
      ? `Nabetaling${over}: ${euro(c.amount)}, betaald op ${longDate(c.settled_on || c.due_on)}.`
      : `Nabetaling${over}: je krijgt nog ${euro(c.amount)}${c.due_on ? ` op ${longDate(c.due_on)}` : ""}.`;
  }
  if (c.status === "settled") return `Terugbetaald${over}: ${euro(-c.amount)}, op ${longDate(c.settled_on)}.`;
  if (c.status === "betalingsregeling") {
    return `Terugvordering${over}: ${euro(-c.amount)}. ${arrangementText(c)}`;
  }
  return `Terugvordering${over}: je moet ${euro(-c.amount)} terugbetalen (besluit van ${longDate(c.decided_on)}).`;
}

/** "Je hebt een betalingsregeling aangevraagd op …": a terugvordering under a betalingsregeling (the
 *  ledger line's `arrangement_*`), in the words of the server's answer (api/repayments/service.py message). */
export function arrangementText(c) {
  const on = c.arrangement_requested_on ? ` op ${longDate(c.arrangement_requested_on)}` : "";
  if (c.arrangement_kind === "persoonlijk") {
    return `Je hebt een persoonlijke betalingsregeling aangevraagd${on}. Je wilt ${euro(c.arrangement_monthly)} per maand betalen. Dienst Toeslagen kijkt of dat kan en stuurt je een brief.`;
  }
  return `Je hebt een betalingsregeling aangevraagd${on}.` +
    (c.arrangement_monthly ? ` Je betaalt ${euro(c.arrangement_monthly)} per maand${c.standard_months ? `, ${c.standard_months} maanden lang` : ""}.` : "") +
    " Dienst Toeslagen stuurt je een brief met de gegevens.";
}

/** The open corrections of a toeslag's ledger as a block (overview card and detail page), or null. */
export function openCorrections(t) {
  const book = t.ledger;
  if (!book) return null;
  const open = book.corrections.filter((c) => c.status !== "settled" && c.kind !== "definitive_settlement");
  if (!open.length) return null;
  const kids = open.map((c) => h("p", { class: "utrecht-paragraph", dataset: { correction: c.id, amount: String(c.amount), status: c.status } },
    correctionText(c),
    // an open terugvordering: the way to a betalingsregeling (screens/repayment.js)
    c.kind === "terugvordering" && c.status === "open" && c.amount < 0
      ? [" ", h("a", { class: "utrecht-link utrecht-link--html-a", href: "#/betalingsregeling/" + encodeURIComponent(c.id), "data-arrangement-link": "" }, "Betalingsregeling aanvragen")]
      : null));
  if (book.open_repayment > 0) kids.push(h("p", { class: "utrecht-paragraph", "data-how-to-pay": "" }, howToRepay(book.open_repayment, HIGH(t.toeslag))));
  return h("div", { class: "app-corrections", dataset: { openRepayment: String(book.open_repayment), openPayout: String(book.open_payout) } }, ...kids);
}
