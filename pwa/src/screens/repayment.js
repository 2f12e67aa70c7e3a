// Betalingsregeling: a terugvordering of the ledger (GET /api/overview `ledger.corrections`) paid back
// in monthly terms. The agency's rule (api/ledger/arrangement.py, with its source): the standard
// regeling spreads the amount over 24 months (the server gives the term: `standard_monthly`); who
// cannot pay that asks for a persoonlijke regeling with a lower term. Asking goes through the outbox
// (POST /api/repayments/arrangement with an Idempotency-Key): offline it waits, it is never lost and
// the server records it once. The screen shows the request as soon as it is in the outbox.

import { h, add } from "../dom.js";
import { euro, longDate, parseEuro, toeslagName } from "../format.js";
import { alert, button, heading, link, para, radioGroup, textField } from "../components/form.js";
import { arrangementText } from "../components/money.js";
import { enqueue, flush, pendingItems } from "../outbox.js";
import { invalidate, loadCore, state } from "../state.js";
import { render } from "../router.js";

const PATH = "/api/repayments/arrangement";

function findCorrection(ov, id) {
  for (const t of (ov && ov.toeslagen) || []) {
    const c = t.ledger && t.ledger.corrections.find((x) => x.id === id);
    if (c) return [t, c];
  }
  return [null, null];
}

export async function renderRepayment(view, { correction }) {
  await loadCore({ household: false });
  const [t, c] = findCorrection(state.overview, correction);
  const back = para(link(t ? "#/toeslag/" + t.toeslag : "#/overzicht", t ? `← ${t.name}` : "← Overzicht"));
  if (!t || c.kind !== "terugvordering" || c.amount >= 0) {
    add(view, back, heading(1, "Betalingsregeling"),
      alert("info", para("Deze terugvordering hebben we niet gevonden. Kijk op het overzicht wat je nog moet terugbetalen.")));
    return "Betalingsregeling";
  }
  const repay = -c.amount;
  const MONTHS = c.standard_months; // the standard regeling's number of terms (api/ledger/arrangement.py)
  const pending = (await pendingItems()).find((i) => i.kind === "arrangement" && i.body && i.body.correction_id === c.id);
  const intro = [
    para(`Je moet ${euro(repay)} ${toeslagName(t.toeslag).toLowerCase()} terugbetalen. Dat staat in het besluit van ${longDate(c.decided_on)}.`),
    heading(2, "Wat is een betalingsregeling?"),
    para("Kun je het bedrag niet in één keer terugbetalen? Dan kun je het in delen terugbetalen: elke maand een vast bedrag. Dat heet een betalingsregeling."),
    para(`De regel van Dienst Toeslagen: je betaalt het hele bedrag terug binnen ${MONTHS} maanden.` +
      (c.standard_monthly ? ` Voor jou is dat ${euro(c.standard_monthly)} per maand.` : "")),
    para("Kun je dat bedrag per maand niet betalen? Vraag dan een persoonlijke betalingsregeling. Dan betaal je minder per maand. Dienst Toeslagen kijkt wat je kunt betalen en stuurt je een brief."),
  ];
  const status = h("div", { "data-arrangement-status": "", role: "status" });
  add(view, back, heading(1, "Betalingsregeling"), ...intro, status);

  if (c.status === "betalingsregeling") {
    status.append(alert("success", para(arrangementText(c))));
    return "Betalingsregeling";
  }
  if (c.status === "settled") {
    status.append(alert("info", para(`Je hebt dit bedrag al terugbetaald op ${longDate(c.settled_on)}.`)));
    return "Betalingsregeling";
  }
  if (pending) {
    status.append(alert(pending.status === "rejected" ? "error" : "success",
      para(pending.status === "rejected"
        ? `Je aanvraag is niet verwerkt: ${pending.error || "probeer het later opnieuw."}`
        : arrangementText({ ...pending.meta, arrangement_requested_on: pending.meta.requested_on }) +
          " Nog niet verstuurd: we versturen het zodra je weer verbinding hebt.")));
    return "Betalingsregeling";
  }

  const kind = radioGroup({
    legend: "Welke betalingsregeling wil je?", name: "arrangement_kind", value: "standaard",
    options: [
      ["standaard", `Gewoon: ${euro(c.standard_monthly)} per maand, ${MONTHS} maanden lang`],
      ["persoonlijk", "Persoonlijk: ik kan minder per maand betalen"],
    ],
  });
  const monthly = textField({ label: "Hoeveel kun je per maand betalen?", name: "monthly", inputmode: "decimal", prefix: "€", width: "short",
    description: `Minder dan ${euro(c.standard_monthly)}.` });
  monthly.el.hidden = true;
  kind.el.addEventListener("change", () => { monthly.el.hidden = kind.value !== "persoonlijk"; });
  const ask = button("Vraag een betalingsregeling aan", { type: "submit" });
  const form = h("form", { class: "app-form", novalidate: true }, kind.el, monthly.el, h("div", { class: "app-actions" }, ask));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    monthly.setError("");
    const body = { correction_id: c.id, kind: kind.value };
    if (kind.value === "persoonlijk") {
      const got = parseEuro(monthly.input.value);
      const cents = got.cents;
      if (got.error || got.empty || cents < 1 || cents >= c.standard_monthly) {
        monthly.setError(got.error || `Vul een bedrag in dat lager is dan ${euro(c.standard_monthly)} per maand.`);
        monthly.input.focus();
        return;
      }
      body.monthly = cents;
    }
    ask.disabled = true;
    const requestedOn = state.overview.today;
    const meta = { arrangement_kind: body.kind, arrangement_monthly: body.monthly || c.standard_monthly, requested_on: requestedOn,
      standard_months: MONTHS };
    await enqueue({ path: PATH, body, kind: "arrangement", meta,
      summary: `Betalingsregeling voor ${toeslagName(t.toeslag).toLowerCase()}: ${euro(repay)} terugbetalen.` });
    await flush().catch(() => null);
    invalidate();
    render();
  });
  add(view, form);
  return "Betalingsregeling";
}
