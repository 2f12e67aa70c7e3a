// Kinderopvang: per child and contract, month by month, the hours and hourly rate you gave up next to
// what the kinderopvangorganisatie reported (GET /api/childcare), the difference in hours and in
// euros of kinderopvangtoeslag, the running total, and what happens at the end of the year.
//
// "Neem over" shows both options the server offers (the reported hours of one month from that
// month on, or the average of the recent months) and the preview of the chosen one, computed ON THE
// PHONE: shared_rules.preview({...household.rules_input, change: option.change}). One more tap
// sends POST /api/childcare/adopt through the outbox. "Ongedaan maken" (while the server allows
// it), "Eén maand aanpassen" and "Klopt niet" go through the outbox as well.

import { h, add, nextId } from "../dom.js";
import { euro, longDate, monthName, parseEuro, parseWhole, signedEuro } from "../format.js";
import { alert, button, heading, link, para, selectField, textField } from "../components/form.js";
import { createPreviewPanel } from "../components/preview.js";
import { askConfirm, doubts } from "../components/confirm.js";
import { apiGet } from "../api.js";
import { loadRules, preview, rulesState } from "../rules.js";
import { enqueue, flush, lastResult, pendingItems } from "../outbox.js";
import { navigate } from "../router.js";
import { invalidate, loadCore, state } from "../state.js";

const CARE = { dagopvang: "dagopvang", bso: "buitenschoolse opvang", gastouderopvang: "gastouderopvang" };
const KOT = "kinderopvangtoeslag";

const ymName = (ym) => `${monthName(Number(ym.slice(5, 7)))} ${ym.slice(0, 4)}`;
const hoursText = (n) => `${n} uur`;
const rateText = (c) => `${euro(c)} per uur`;
const plainEuro = (cents) => euro(cents, { cents: true }).replace("€\u00a0", "");

export async function renderChildcare(view) {
  await loadCore();
  const r = await apiGet("/api/childcare");
  const data = r.data;
  const hh = state.household;
  const pending = (await pendingItems()).filter((i) => String(i.kind).startsWith("childcare"));
  const live = h("p", { class: "app-visually-hidden", role: "status", "aria-live": "polite" });

  add(view,
    para(link("#/overzicht", "← Overzicht")),
    heading(1, `Kinderopvang ${data.year}`),
    para("Je kinderopvang geeft elke maand door hoeveel uur opvang je kind had. Hier zie je dat naast wat jij hebt opgegeven. En wat het verschil doet met je kinderopvangtoeslag."),
    r.snapshot ? alert("info", para(`Je bent offline. Je ziet de gegevens van ${longDate(r.snapshot.slice(0, 10))}.`)) : null,
    live,
  );
  if (pending.length) {
    add(view, h("section", { class: "app-card app-card--warning", "aria-labelledby": "cc-pending", "data-pending": "" },
      h("h2", { class: "utrecht-heading-3", id: "cc-pending" }, pending.length === 1 ? "1 wijziging nog niet verstuurd" : `${pending.length} wijzigingen nog niet verstuurd`),
      h("ul", { class: "utrecht-unordered-list" }, pending.map((i) => h("li", { class: "utrecht-unordered-list__item" }, i.summary))),
      para("We versturen het zodra je weer verbinding hebt.")));
  }
  if (!data.contracts.length) {
    add(view, para("We kennen geen kinderopvang van je voor dit jaar."), para(link("#/overzicht", "Naar het overzicht")));
    return "Kinderopvang";
  }
  if (!data.applied) {
    add(view, alert("info", para(`Je krijgt in ${data.year} geen kinderopvangtoeslag. De verschillen hieronder tellen pas als je die aanvraagt.`)));
  }
  if (data.contracts.length > 1 && data.total.total) {
    // the sum of the contracts' amounts below (the server's comparison divides it with shared_rules `parts`)
    add(view, para(h("strong", null, "Alle opvang samen: "), h("span", { dataset: { totalYearEnd: String(data.total.total) } }, yearEndText(data.total.total))));
  }
  const busy = new Set(pending.map((i) => i.body && (i.body.contract || i.meta && i.meta.contract)).filter(Boolean));
  for (const c of data.contracts) {
    add(view, contractSection(c, { data, hh, say: (t) => { live.textContent = t; }, view, queued: busy.has(c.contract_id) }));
  }
  add(view, para(h("span", { class: "app-muted" }, "Wat je hier doet, zie je terug bij "), link("#/berichten", "Berichten"), h("span", { class: "app-muted" }, ".")));
  return "Kinderopvang";
}

function yearEndText(total) {
  if (total < 0) return `Als je niets doet, betaal je na afloop van het jaar ongeveer ${euro(-total, { whole: true })} terug.`;
  if (total > 0) return `Als je niets doet, krijg je na afloop van het jaar ongeveer ${euro(total, { whole: true })} extra.`;
  return "Er is geen verschil met de uren die je hebt opgegeven.";
}

function contractSection(c, ctx) {
  const titleId = nextId("contract");
  const title = `${c.child_name}: ${CARE[c.kind] || c.kind}`;
  const ye = c.year_end;
  const section = h("section", { class: "app-card app-contract", "aria-labelledby": titleId, dataset: { contract: c.contract_id } },
    h("h2", { class: "utrecht-heading-2 app-contract__title", id: titleId }, title),
    para(h("span", { class: "app-muted" }, `${c.organisation}${c.location_name ? `, ${c.location_name}` : ""}`)),
    nowEstimate(c, ctx.data.today),
    ye.matters
      ? alert("warning", para(h("strong", null, "Je kinderopvang gaf andere uren door. "), h("span", { dataset: { yearEnd: String(ye.total) } }, ye.text)))
      : para(h("span", { dataset: { yearEnd: String(ye.total) } }, ye.text)),
    monthTable(c, ctx.data.year, ctx.data.today),
    c.average ? para(h("span", { class: "app-muted" },
      `Voor de maanden waarvoor nog niets is doorgegeven, rekenen we met het gemiddelde van ${listNl(c.average.months.map((m) => monthName(Number(m.slice(5)))))}: ${hoursText(c.average.hours)}, ${rateText(c.average.hourly_rate)}.`)) : null,
  );
  add(section, adoptionsList(c, ctx));
  if (ctx.queued) {
    add(section, para(h("span", { class: "app-muted" }, "Er staat voor deze opvang nog een wijziging klaar om te versturen.")));
    return section;
  }
  if (c.adopt_options.length) add(section, adoptBlock(c, ctx));
  add(section, correctBlock(c, ctx), disputeBlock(c, ctx));
  return section;
}

/** "Je gaf op: 120 uur per maand, € 10,25 per uur." (the figures the toeslag is based on now) */
function nowEstimate(c, today) {
  const m = c.months.find((x) => x.month === today.slice(0, 7)) || [...c.months].reverse().find((x) => x.estimated);
  if (!m || !m.estimated) return null;
  return para(`Je gaf op: ${hoursText(m.estimated.hours)} per maand, ${rateText(m.estimated.hourly_rate)}.`);
}

function listNl(items) {
  return items.length <= 1 ? items.join("") : items.slice(0, -1).join(", ") + " en " + items[items.length - 1];
}

// -- the months ------------------------------------------------------------------------------

function monthTable(c, year, ctxToday) {
  const rows = c.months.map((m) => {
    const i = Number(m.month.slice(5, 7));
    const est = m.estimated;
    const actual = m.basis === "reported" || m.basis === "disputed" ? m.reported : m.basis === "projected" ? m.projected : null;
    let hours;
    if (!m.active) {
      hours = h("span", { class: "app-muted" }, "Geen opvang");
    } else if (!actual) {
      hours = [h("span", null, est ? hoursText(est.hours) : "–"), h("span", { class: "app-sub" }, "opgegeven; nog niets doorgegeven")];
    } else {
      const label = m.basis === "projected" ? "verwacht" : m.basis === "disputed" ? "doorgegeven, klopt niet volgens jou" : "doorgegeven";
      const dh = m.difference_hours;
      hours = [
        h("span", { dataset: { field: "hours" } }, hoursText(actual.hours)),
        h("span", { class: "app-sub" }, label),
        est ? h("span", { class: "app-sub" }, `opgegeven ${est.hours}${dh ? ` (${dh > 0 ? "+" : "−"}${Math.abs(dh)})` : ""}`) : null,
        est && actual.hourly_rate !== est.hourly_rate ? h("span", { class: "app-sub" }, `${rateText(actual.hourly_rate)} (opgegeven ${euro(est.hourly_rate)})`) : null,
        m.reported && m.reported.earlier && m.reported.earlier.length ? h("span", { class: "app-sub" }, `eerder doorgegeven: ${m.reported.earlier.map((e) => hoursText(e.hours)).join(", ")}`) : null,
      ];
    }
    const now = i === Number(ctxToday.slice(5, 7)) && ctxToday.startsWith(String(year));
    return h("tr", { class: "utrecht-table__row" + (now ? " app-row--now" : ""), dataset: { month: m.month, basis: m.basis } },
      h("th", { class: "utrecht-table__header-cell", scope: "row" }, monthName(i)),
      h("td", { class: "utrecht-table__cell" }, hours),
      h("td", { class: "utrecht-table__cell utrecht-table__cell--numeric-data" },
        h("span", { class: "app-nowrap", dataset: { field: "difference" } }, m.difference ? signedEuro(m.difference) : euro(0)),
        roundingOnly(m, actual) ? h("span", { class: "app-sub", dataset: { rounding: "" } }, "door afronden") : null,
        h("span", { class: "app-sub" }, "samen"),
        h("span", { class: "app-sub app-nowrap", dataset: { field: "running_total" } }, m.running_total ? signedEuro(m.running_total) : euro(0))));
  });
  return h("div", { class: "app-table-wrap" },
    h("table", { class: "utrecht-table utrecht-table--html-table app-table app-table--compact" },
      h("caption", { class: "utrecht-table__caption app-visually-hidden" }, `Uren en kinderopvangtoeslag per maand voor ${c.child_name} in ${year}`),
      h("thead", { class: "utrecht-table__header" }, h("tr", { class: "utrecht-table__row" },
        h("th", { class: "utrecht-table__header-cell", scope: "col" }, "Maand"),
        h("th", { class: "utrecht-table__header-cell", scope: "col" }, "Uren"),
        h("th", { class: "utrecht-table__header-cell utrecht-table__header-cell--numeric-column", scope: "col" }, "Verschil toeslag"))),
      h("tbody", { class: "utrecht-table__body" }, rows)));
}

/** A difference in a month whose hours and price for this contract did not change: the month's total is
 *  rounded down once and this child is the last one counted, so its part takes what that rounding
 *  moved (shared_rules kinderopvangtoeslag.split). Said, so a euro does not look like an error. */
function roundingOnly(m, actual) {
  const est = m.estimated;
  const same = actual ? est && actual.hours === est.hours && actual.hourly_rate === est.hourly_rate : true;
  return Boolean(m.difference) && m.active && same;
}

// -- earlier adoptions and "Ongedaan maken" ---------------------------------------------------

function adoptionsList(c, ctx) {
  if (!c.adoptions.length) return null;
  return h("div", { class: "app-adoptions" },
    h("h3", { class: "utrecht-heading-3" }, "Overgenomen uren"),
    h("ul", { class: "app-plain-list", role: "list" }, c.adoptions.map((a) => {
      const what = `${hoursText(a.hours)}, ${rateText(a.hourly_rate)}, vanaf ${ymName(a.from_month)}`;
      const undo = a.can_undo && !a.undone_by ? button("Ongedaan maken", {
        kind: "secondary", "aria-label": `Overnemen van ${what} ongedaan maken`,
        onclick: async () => {
          undo.disabled = true;
          const item = await enqueue({ path: "/api/childcare/undo", body: { event_id: a.event_id },
            summary: `Overnemen van de uren voor ${c.child_name} ongedaan maken (${what}).`, kind: "childcare_undo", meta: { contract: c.contract_id } });
          await flush().catch(() => null);
          navigate("#/klaar/" + item.key);
        },
      }) : null;
      return h("li", { class: "app-adoption", dataset: { adoption: String(a.event_id), undone: a.undone_by ? "1" : "0" } },
        para(`Op ${longDate(a.adopted_on)} nam je over: ${what}.`),
        a.undone_by ? para(h("span", { class: "app-muted" }, "Dit is ongedaan gemaakt."))
          : a.can_undo ? para(h("span", { class: "app-muted" }, `Ongedaan maken kan tot en met ${longDate(a.undo_until)}.`)) : null,
        undo);
    })));
}

// -- "Neem over" -------------------------------------------------------------------------------

function optionLabel(o) {
  return o.mode === "reported"
    ? `De uren van ${ymName(o.based_on[0] || o.from_month)}, vanaf ${ymName(o.from_month)}`
    : `Het gemiddelde van ${listNl(o.based_on.map((m) => monthName(Number(m.slice(5)))))}, vanaf ${ymName(o.from_month)}`;
}

function adoptBlock(c, ctx) {
  const { hh } = ctx;
  const panelId = nextId("adopt");
  const name = nextId("option");
  const options = c.adopt_options;
  const radios = options.map((o, i) => {
    const id = `${name}-${i}`;
    const desc = `${id}-desc`;
    return h("div", { class: "utrecht-form-field utrecht-form-field--radio app-choice app-choice--described" },
      h("div", { class: "utrecht-form-field__input" },
        h("input", { class: "utrecht-radio-button utrecht-radio-button--html-input", type: "radio", id, name, value: String(i), checked: i === 0 || undefined, "aria-describedby": desc, dataset: { mode: o.mode } })),
      h("div", { class: "utrecht-form-field__label" },
        h("label", { class: "utrecht-form-label utrecht-form-label--radio", for: id }, optionLabel(o)),
        h("p", { class: "utrecht-form-field-description app-sub", id: desc }, `${hoursText(o.hours)} per maand, ${rateText(o.hourly_rate)}.`)));
  });
  const panel = createPreviewPanel({ title: "Wat verandert er?", level: 3 });
  const chosen = () => options[Number((radios.map((r) => r.querySelector("input")).find((x) => x.checked) || { value: 0 }).value)];
  let current = null;
  async function update() {
    const o = chosen();
    current = o;
    const t0 = performance.now();
    if (!rulesState.version) {
      panel.message("De rekenregels worden geladen…", "loading");
      try { await loadRules(); } catch {
        panel.message("Op dit apparaat kunnen we het niet uitrekenen. Je kunt de uren wel overnemen.", "error");
        return;
      }
    }
    if (current !== o) return;
    let res;
    try {
      res = await preview({ ...hh.rules_input, change: o.change });
    } catch (e) {
      res = { ok: false, error: String(e) };
    }
    if (res.stale || current !== o) return;
    if (!res.ok) {
      panel.message("Dit kunnen we nu niet uitrekenen. Je kunt de uren wel overnemen.", "invalid");
      console.warn("preview:", res.error);
      return;
    }
    panel.show(res.result, { applied: new Set(hh.applications), source: "phone", ms: performance.now() - t0, filter: [KOT], onApply,
      notice: rulesState.version !== ctx.data.rules_version ? alert("info", para("De app rekent met andere regels dan de server. De bedragen kunnen iets anders zijn.")) : null });
  }
  /** Sends the chosen adoption through the outbox; then `next(item, sent)` says where to go (default:
   *  the confirmation). */
  async function adopt(next = null) {
    const o = chosen();
    confirm.disabled = true;
    const live = panel.el.querySelector(".app-preview__live").textContent;
    const item = await enqueue({ path: "/api/childcare/adopt", body: { contract: c.contract_id, from_month: o.from_month, mode: o.mode },
      summary: `Uren overnemen voor ${c.child_name}: ${hoursText(o.hours)} per maand, ${rateText(o.hourly_rate)}, vanaf ${ymName(o.from_month)}.`,
      kind: "childcare_adopt", preview: live, meta: { contract: c.contract_id } });
    await flush().catch(() => null);
    const sent = Boolean(await lastResult(item.key));
    if (sent) invalidate();
    navigate((next && next(item, sent)) || "#/klaar/" + item.key);
  }
  // "Vraag kinderopvangtoeslag aan" in the preview (issue #14, no dead ends): the adoption is sent first,
  // so the application counts with these hours; offline it stays in the outbox and the confirmation says so.
  const onApply = (toeslag) => adopt((item, sent) => (sent ? "#/aanvragen/" + toeslag : null));
  const confirm = button("Ja, neem deze uren over", { onclick: () => adopt() });
  const fieldset = h("fieldset", { class: "utrecht-form-fieldset__fieldset utrecht-form-fieldset__fieldset--html-fieldset app-fieldset" },
    h("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, "Welke uren neem je over?"),
    radios);
  fieldset.addEventListener("change", update);
  const body = h("div", { class: "app-panel", id: panelId, hidden: true },
    para("Kies welke uren je overneemt. Je ziet eerst wat het doet. Er wordt nog niets verstuurd."),
    fieldset, panel.el,
    h("div", { class: "app-actions" }, confirm, button("Annuleren", { kind: "secondary", onclick: () => toggleOpen(false) })));
  const open = button("Neem over", { "aria-expanded": "false", "aria-controls": panelId, "aria-label": `Neem over: uren van ${c.child_name}`, dataset: { adopt: "" } });
  function toggleOpen(on) {
    body.hidden = !on;
    open.setAttribute("aria-expanded", on ? "true" : "false");
    if (on) { body.dataset.keepOpen = ""; update(); fieldset.querySelector("input:checked").focus(); } else { delete body.dataset.keepOpen; open.focus(); }
  }
  open.addEventListener("click", () => toggleOpen(body.hidden));
  return h("div", { class: "app-block" },
    h("h3", { class: "utrecht-heading-3" }, "Uren overnemen"),
    para(`Neem de uren over die ${c.organisation || "je kinderopvang"} doorgaf. Dan klopt je voorschot weer. Zo krijg je na afloop van het jaar geen verrassing.`),
    h("div", { class: "app-actions" }, open), body);
}

// -- "Eén maand aanpassen" ------------------------------------------------------------------------

function correctBlock(c, ctx) {
  const active = c.months.filter((m) => m.active);
  if (!active.length) return null;
  const panelId = nextId("correct");
  const figures = (m) => (m.reported && m.basis === "reported" ? m.reported : m.estimated) || { hours: 0, hourly_rate: 0 };
  const today = ctx.data.today.slice(0, 7);
  const start = active.find((m) => m.month === today) || active[active.length - 1];
  const month = selectField({ label: "Welke maand?", name: "month", value: start.month, options: active.map((m) => [m.month, ymName(m.month)]) });
  const hours = textField({ label: "Uren opvang in die maand", name: "hours", inputmode: "numeric", width: "short" });
  const rate = textField({ label: "Uurprijs", name: "hourly_rate", inputmode: "decimal", prefix: "€", width: "money" });
  const fill = () => {
    const m = active.find((x) => x.month === month.input.value) || start;
    const f = figures(m);
    hours.input.value = String(f.hours);
    rate.input.value = plainEuro(f.hourly_rate);
  };
  month.input.addEventListener("change", fill);
  fill();
  const err = h("div", { class: "app-msg", role: "alert" });
  const form = h("form", { class: "app-form", novalidate: true },
    para("Zijn de uren of de uurprijs van één maand anders? Vul ze hier in. De andere maanden blijven zoals ze zijn."),
    month.el, hours.el, rate.el, err,
    h("div", { class: "app-actions" }, button("Versturen", { type: "submit" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    hours.setError(""); rate.setError(""); err.replaceChildren();
    const hr = parseWhole(hours.input.value, { max: 744, unit: "uur" });
    if (hr.error || hr.empty) { hours.setError(hr.error || "Vul het aantal uren in."); hours.input.focus(); return; }
    const rt = parseEuro(rate.input.value, { max: 5000 });
    if (rt.error || rt.empty) { rate.setError(rt.error || "Vul de uurprijs in."); rate.input.focus(); return; }
    const m = active.find((x) => x.month === month.input.value);
    const f = m && m.estimated;
    if (f && f.hours === hr.value && f.hourly_rate === rt.cents) {
      err.replaceChildren(alert("error", para("Deze uren en uurprijs gelden voor deze maand al.")));
      return;
    }
    const doubt = doubts({ kind: "childcare", hours_per_month: hr.value }, null);
    if (doubt.length && !(await askConfirm(err, doubt))) { hours.input.focus(); return; }
    form.querySelector("button[type=submit]").disabled = true;
    const item = await enqueue({ path: "/api/childcare/correct", body: { contract: c.contract_id, month: month.input.value, hours: hr.value, hourly_rate: rt.cents },
      summary: `Uren voor ${c.child_name} in ${ymName(month.input.value)}: ${hoursText(hr.value)}, ${rateText(rt.cents)}.`, kind: "childcare_correct", meta: { contract: c.contract_id } });
    await flush().catch(() => null);
    navigate("#/klaar/" + item.key);
  });
  return disclosure("Eén maand aanpassen", `Eén maand aanpassen voor ${c.child_name}`, panelId, form);
}

// -- "Klopt niet" --------------------------------------------------------------------------------

function disputeBlock(c, ctx) {
  const reported = c.months.filter((m) => m.reported && m.reported.status === "current");
  if (!reported.length) return null;
  const panelId = nextId("dispute");
  const which = selectField({ label: "Welke opgave klopt niet?", name: "report", value: String(reported[reported.length - 1].reported.id),
    options: reported.map((m) => [String(m.reported.id), `${ymName(m.month)}: ${hoursText(m.reported.hours)}, ${rateText(m.reported.hourly_rate)}`]) });
  const id = nextId("reason");
  const errId = id + "-err";
  const error = h("p", { class: "utrecht-form-field-error-message app-error", id: errId, hidden: true });
  const reason = h("textarea", { class: "utrecht-textarea utrecht-textarea--html-textarea app-textarea", id, name: "reason", rows: 3, maxlength: 500, required: true, "aria-describedby": `${id}-desc ${errId}` });
  const field = h("div", { class: "utrecht-form-field app-field" },
    h("div", { class: "utrecht-form-field__label" }, h("label", { class: "utrecht-form-label", for: id }, "Wat klopt er niet?")),
    h("div", { class: "utrecht-form-field__description" }, h("p", { class: "utrecht-form-field-description", id: `${id}-desc` }, "Bijvoorbeeld: mijn kind was die maand twee weken ziek thuis.")),
    error, h("div", { class: "utrecht-form-field__input" }, reason));
  const form = h("form", { class: "app-form", novalidate: true },
    para("Klopt wat je kinderopvang doorgaf niet? Dan nemen we het niet over en zoeken we het uit. Vraag je kinderopvang ook om het te verbeteren."),
    which.el, field,
    h("div", { class: "app-actions" }, button("Doorgeven dat het niet klopt", { type: "submit" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = reason.value.trim();
    if (!text) {
      error.textContent = "Schrijf kort op wat er niet klopt."; error.hidden = false;
      reason.setAttribute("aria-invalid", "true"); reason.focus();
      return;
    }
    error.hidden = true; reason.removeAttribute("aria-invalid");
    form.querySelector("button[type=submit]").disabled = true;
    const m = reported.find((x) => String(x.reported.id) === which.input.value);
    const item = await enqueue({ path: "/api/childcare/dispute", body: { report_id: Number(which.input.value), reason: text.slice(0, 500) },
      summary: `De uren van ${ymName(m.month)} voor ${c.child_name} kloppen niet: ${text.slice(0, 120)}`, kind: "childcare_dispute", meta: { contract: c.contract_id } });
    await flush().catch(() => null);
    navigate("#/klaar/" + item.key);
  });
  return disclosure("Klopt niet", `Klopt niet: uren van ${c.child_name}`, panelId, form);
}

/** A button that opens and closes a panel (aria-expanded), the panel kept open across a refresh. */
function disclosure(text, label, panelId, content) {
  const panel = h("div", { class: "app-panel", id: panelId, hidden: true }, content);
  const toggle = button(text, { kind: "secondary", "aria-expanded": "false", "aria-controls": panelId, "aria-label": label,
    onclick: () => {
      const on = panel.hidden;
      panel.hidden = !on;
      toggle.setAttribute("aria-expanded", on ? "true" : "false");
      if (on) { panel.dataset.keepOpen = ""; const f = panel.querySelector("select, input, textarea"); if (f) f.focus(); } else delete panel.dataset.keepOpen;
    } });
  return h("div", { class: "app-block" }, h("div", { class: "app-actions" }, toggle), panel);
}
