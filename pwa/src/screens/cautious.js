// Voorzichtig voorschot: when the income of this year is uncertain, the household can choose to get
// a bit less now, so that it is unlikely to pay back later. Two ways (api/income/service.py):
// the income estimate at the high end of the band the wages so far give (band_high), or a fixed
// percentage less voorschot (percentage). Both paths side by side come from the server
// (POST /api/income/cautious/preview: it needs the wages and their projection); choosing sends
// POST /api/income/cautious through the outbox. A percentage stays in force through later changes
// until the household stops it (mode "stop": the normal voorschot again).

import { h, add, nextId } from "../dom.js";
import { euro, longDate, monthName } from "../format.js";
import { alert, button, heading, link, para, radioGroup, textField } from "../components/form.js";
import { apiGet, apiPost, ApiError, OfflineError, isOffline } from "../api.js";
import { enqueue, flush } from "../outbox.js";
import { navigate } from "../router.js";
import { loadCore, state } from "../state.js";

const settle = (n) => (n < 0 ? `Je betaalt ${euro(-n)} terug` : n > 0 ? `Je krijgt ${euro(n)} terug` : "Niets terug of erbij");

export async function renderCautious(view) {
  await loadCore();
  const year = state.overview.year;
  let income = null;
  try { income = (await apiGet("/api/income", { snapshot: false })).data; } catch { /* offline: shown below */ }
  const usable = income ? income.persons.filter((p) => p.usable && p.projection) : [];
  const active = income ? income.cautious.filter((c) => c.active) : [];
  const activePct = active.find((c) => c.mode === "percentage");
  // Every voorschot of the year paid: a lower voorschot cannot be chosen any more (the server answers
  // 422). Say so once, offer no button and ask no preview.
  const applied = state.overview.toeslagen.filter((t) => t.applied);
  if (applied.length && applied.every((t) => t.paid.every((p) => p !== null && p !== undefined))) {
    add(view,
      para(link("#/overzicht", "← Overzicht")),
      heading(1, "Voorzichtig voorschot"),
      alert("info", para(`Alle voorschotten voor ${year} zijn al betaald. Een lager voorschot kan nu niet meer. ` +
        `Wat je te veel of te weinig kreeg, verrekenen we na afloop van ${year}.`)),
      para(h("span", { class: "app-muted" }, "Is je inkomen anders? "), link("#/wijzigen/inkomen", "Geef je inkomen door")));
    return "Voorzichtig voorschot";
  }

  const mode = radioGroup({
    legend: "Hoe wil je voorzichtig zijn?", name: "cautious_mode", value: usable.length ? "band_high" : "percentage",
    options: [
      ["band_high", usable.length ? `Reken met het hoogste inkomen dat we verwachten (ongeveer ${euro(roundHundred(usable[0].projection.high), { whole: true })})` : "Reken met het hoogste inkomen dat we verwachten"],
      ["percentage", "Krijg elke maand een vast percentage minder voorschot"],
      ...(activePct ? [["stop", "Stop met het voorzichtig voorschot: krijg weer het normale voorschot"]] : []),
    ],
  });
  const pct = textField({ label: "Hoeveel procent minder?", name: "percentage", inputmode: "numeric", width: "short", value: "10", suffix: "%",
    description: "Een getal van 1 tot en met 50." });
  const live = h("p", { class: "app-preview__live", role: "status", "aria-live": "polite", "aria-atomic": "true" });
  const body = h("div", { class: "app-preview__body" });
  const compareId = nextId("compare");
  const compare = h("section", { class: "app-preview", "aria-labelledby": compareId, dataset: { state: "empty", seq: "0" } },
    h("h2", { class: "utrecht-heading-2", id: compareId }, "Zo ziet het eruit"), live, body);
  const err = h("div", { class: "app-msg", role: "alert" });
  const choose = button("Kies voorzichtig voorschot", { type: "submit", disabled: true });
  const form = h("form", { class: "app-form", novalidate: true, "data-keep-open": "" }, mode.el, pct.el, compare, err,
    h("div", { class: "app-actions" }, choose, link("#/overzicht", "Annuleren", { class: "utrecht-link app-cancel" })));
  let seq = 0;
  let last = null;

  const setState = (s) => { compare.dataset.state = s; compare.dataset.seq = String(++seq); };
  // The live region is visible: it alone shows the message (not once more in the body).
  const message = (text, s) => { body.replaceChildren(); live.textContent = text; setState(s); choose.disabled = true; };

  function request() {
    pct.setError("");
    if (mode.value === "band_high") return { mode: "band_high" };
    if (mode.value === "stop") return { mode: "stop" };
    const s = pct.input.value.trim().replace(/%$/, "").trim();
    if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 50) {
      const msg = "Vul een heel getal in van 1 tot en met 50.";
      pct.setError(msg);
      return { error: msg };
    }
    return { mode: "percentage", percentage: Number(s) };
  }

  let timer = null;
  async function update() {
    const sync = () => { pct.el.hidden = mode.value !== "percentage"; };
    sync();
    const req = request();
    last = req;
    if (req.error) { message(req.error, "invalid"); return; }
    if (isOffline()) { message("Dit kun je alleen bekijken als je verbinding hebt.", "error"); return; }
    message("We rekenen het uit…", "loading");
    let res;
    try {
      res = await apiPost("/api/income/cautious/preview", req);
    } catch (e) {
      if (last !== req) return;
      message(e instanceof OfflineError ? "Dit kun je alleen bekijken als je verbinding hebt." : e instanceof ApiError ? e.message : "Dit kunnen we nu niet uitrekenen.", "invalid");
      return;
    }
    if (last !== req) return;
    show(res);
  }

  function show(res) {
    const first = res.first_unpaid_month;
    const other = res.mode === "stop" ? "Na stoppen" : "Voorzichtig";
    choose.textContent = res.mode === "stop" ? "Stop voorzichtig voorschot" : "Kies voorzichtig voorschot";
    const monthly = (side) => res.toeslagen.reduce((n, t) => n + t[side].monthly, 0);
    const row = (label, a, b, field) => h("tr", { class: "utrecht-table__row", dataset: { row: field } },
      h("th", { class: "utrecht-table__header-cell", scope: "row" }, label),
      h("td", { class: "utrecht-table__cell", dataset: { side: "normal" } }, a),
      h("td", { class: "utrecht-table__cell", dataset: { side: "cautious" } }, b));
    const table = h("div", { class: "app-table-wrap" }, h("table", { class: "utrecht-table utrecht-table--html-table app-table app-table--side" },
      h("caption", { class: "utrecht-table__caption app-visually-hidden" }, res.mode === "stop" ? "Zoals nu en na stoppen naast elkaar" : "Zoals nu en met een voorzichtig voorschot naast elkaar"),
      h("thead", { class: "utrecht-table__header" }, h("tr", { class: "utrecht-table__row" },
        h("td", { class: "utrecht-table__header-cell" }),
        h("th", { class: "utrecht-table__header-cell", scope: "col" }, "Zoals nu"),
        h("th", { class: "utrecht-table__header-cell", scope: "col" }, other))),
      h("tbody", { class: "utrecht-table__body" },
        first ? row(`Per maand vanaf ${monthName(first)}`, euro(monthly("normal")), euro(monthly("cautious")), "monthly") : null,
        row("Nu over de maanden die al betaald zijn", settle(res.normal.now), settle(res.cautious.now), "now"),
        row(`Na afloop van ${res.year}`, settle(res.normal.settlement), settle(res.cautious.settlement), "settlement"),
        res.basis === "projection" ? row("Valt je inkomen lager uit", settle(res.normal.settlement_if_low), settle(res.cautious.settlement_if_low), "low") : null,
        res.basis === "projection" ? row("Valt je inkomen hoger uit", settle(res.normal.settlement_if_high), settle(res.cautious.settlement_if_high), "high") : null)));
    const perToeslag = h("details", { class: "app-details" },
      h("summary", { class: "app-details__summary" }, "Per toeslag"),
      h("ul", { class: "utrecht-unordered-list" }, res.toeslagen.map((t) => h("li", { class: "utrecht-unordered-list__item", dataset: { toeslag: t.toeslag } },
        `${t.name}: ${euro(t.normal.monthly)} per maand, ${other.toLowerCase()} ${euro(t.cautious.monthly)}.`))));
    body.replaceChildren(table, perToeslag);
    if (res.basis === "estimate") {
      body.append(para(h("span", { class: "app-muted" }, `We hebben nog te weinig loon van ${res.year} om te voorspellen hoe je inkomen uitvalt. We rekenen met je schatting.`)));
    }
    live.textContent = res.summary;
    setState("ready");
    choose.disabled = false;
  }

  const schedule = () => { clearTimeout(timer); timer = setTimeout(update, 250); };
  mode.el.addEventListener("change", () => { clearTimeout(timer); update(); });
  pct.input.addEventListener("input", schedule);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.replaceChildren();
    const req = request();
    if (req.error) { pct.input.focus(); return; }
    choose.disabled = true;
    const summary = req.mode === "band_high"
      ? `Voorzichtig voorschot voor ${year}: we rekenen met het hoogste inkomen dat we verwachten.`
      : req.mode === "stop" ? `Stop voorzichtig voorschot voor ${year}: weer het normale voorschot.`
        : `Voorzichtig voorschot voor ${year}: ${req.percentage} % minder voorschot per maand.`;
    const item = await enqueue({ path: "/api/income/cautious", body: req, summary, kind: "cautious", preview: live.textContent });
    await flush().catch(() => null);
    navigate("#/klaar/" + item.key);
  });

  add(view,
    para(link("#/overzicht", "← Overzicht")),
    heading(1, "Voorzichtig voorschot"),
    para("Weet je niet zeker hoeveel je dit jaar verdient? Kies dan een voorzichtig voorschot. Je krijgt nu iets minder per maand. Dan is de kans klein dat je later moet terugbetalen. Wat je te weinig kreeg, krijg je na afloop van het jaar terug."),
    activePct ? alert("info", para(`Je krijgt sinds ${monthName(activePct.from_month)} ${activePct.percentage} % minder voorschot. Dat blijft zo, ook als je iets anders doorgeeft. Je kunt ermee stoppen.`))
      : active.length ? alert("info", para(`Je koos al voor een voorzichtig voorschot op ${longDate(active[0].chosen_at.slice(0, 10))}.`)) : null,
    !income ? alert("info", para("Je bent offline. Een voorzichtig voorschot kies je als je weer verbinding hebt.")) : null,
    form,
    para(h("span", { class: "app-muted" }, "Weet je je nieuwe inkomen wel? "), link("#/wijzigen/inkomen", "Geef je inkomen door")),
  );
  update();
  return "Voorzichtig voorschot";
}

const roundHundred = (cents) => Math.round(cents / 10_000) * 10_000;
