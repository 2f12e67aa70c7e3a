// Wijziging doorgeven: the list of kinds and the screen of one kind. As the user types, the preview
// computed ON THE PHONE (shared_rules.changes in MicroPython-wasm, one call) shows what the change
// does. Half-typed or bad input gives a plain Dutch message, never a broken preview. "Versturen" puts
// the change in the outbox (with its Idempotency-Key) and sends it when there is a connection.
// Each form is a module beside this one (income.js, home.js, ...); fields.js holds what they share.

import { h, add } from "../../dom.js";
import { monthName, TOESLAGEN } from "../../format.js";
import { alert, button, heading, link, para } from "../../components/form.js";
import { createPreviewPanel } from "../../components/preview.js";
import { askConfirm, doubts } from "../../components/confirm.js";
import { clearDraft, restoreDraft, saveDraft } from "../../components/draft.js";
import { loadRules, previewChange, rulesState } from "../../rules.js";
import { apiPost, ApiError, isOffline } from "../../api.js";
import { enqueue, flush, lastResult, pendingItems, remove } from "../../outbox.js";
import { currentQuery, navigate } from "../../router.js";
import { invalidate, loadCore, state } from "../../state.js";
import { describe } from "./describe.js";
import { KINDS } from "./kinds.js";
import { yearHousehold } from "./fields.js";
import { laterInputs, loadYear } from "../../components/years.js";
import { incomeForm } from "./income.js";
import { homeForm } from "./home.js";
import { addressForm } from "./address.js";
import { childcareForm } from "./childcare.js";
import { partnerForm } from "./partner.js";
import { childForm } from "./child.js";

export { describe };

export { KINDS };

export async function renderChangeList(view) {
  await loadCore();
  const items = await pendingItems();
  add(view, 
    heading(1, "Wijziging doorgeven"),
    para("Wat is er veranderd? Je ziet meteen wat het doet met je toeslagen. Pas als je op Versturen drukt, geef je het door."),
    items.length ? outboxList(items) : null,
    h("ul", { class: "app-choices", role: "list" }, KINDS
      .filter(([, kind]) => kind !== "childcare" || (state.household && state.household.contracts.length))
      .map(([slug, , title, text]) => h("li", null,
        h("a", { class: "app-choice-link", href: "#/wijzigen/" + slug }, h("span", { class: "app-choice-link__title" }, title), h("span", { class: "app-choice-link__text" }, text))))),
  );
  return "Wijziging doorgeven";
}

function outboxList(items) {
  return h("section", { class: "app-card app-card--warning", "aria-labelledby": "outbox-title" },
    h("h2", { class: "utrecht-heading-3", id: "outbox-title" }, items.length === 1 ? "1 wijziging nog niet verstuurd" : `${items.length} wijzigingen nog niet verstuurd`),
    h("ul", { class: "utrecht-unordered-list" }, items.map((it) => h("li", { class: "utrecht-unordered-list__item", dataset: { outbox: it.key } },
      it.summary, " ",
      it.status === "rejected"
        ? h("span", null, h("strong", null, "Niet verwerkt: "), it.error || "", " ",
          button("Verwijderen", { kind: "secondary", onclick: async () => { await remove(it.key); navigate("#/wijzigen"); } }))
        : h("span", { class: "app-muted" }, "Wordt verstuurd zodra je online bent.")))));
}

const FORMS = { income: incomeForm, home: homeForm, address: addressForm, childcare: childcareForm, partner: partnerForm, child: childForm };

// -- the screen ------------------------------------------------------------------------------

export async function renderChange(view, { slug, year }) {
  const def = KINDS.find((k) => k[0] === slug);
  if (!def) { navigate(year ? `#/jaar/${year}` : "#/wijzigen", { replace: true }); return ""; }
  await loadCore();
  let hh = state.household;
  // #/jaar/2025/wijzigen/partner: the same form for another open year, its date in that year, previewed
  // on the phone with that year's rules and payments (GET /api/years `rules_input`), offline too
  let yr = null;
  if (year) {
    yr = (await loadYear(Number(year))).year;
    if (yr.kind === "current") { navigate("#/wijzigen/" + slug, { replace: true }); return ""; }
    hh = yearHousehold(hh, yr);
  }
  const yearInput = yr ? yr.rules_input : null;
  // later open years the change may still hold in (next year from December): previewed below
  const later = await laterInputs(yr ? yr.year : Number(hh.rules_input.today.slice(0, 4)));
  const back = yr ? `#/jaar/${yr.year}` : "#/wijzigen";
  const draftKey = yr ? `${slug}@${yr.year}` : slug;
  const [, kind, title] = def;
  const form = FORMS[kind](hh);
  const panel = createPreviewPanel();
  const carriedBox = h("div", { class: "app-carried", dataset: { carriedBox: "" } });
  const showMessage = panel.message;
  panel.message = (...args) => { carriedBox.replaceChildren(); showMessage(...args); };
  const showCarried = (result, source) => {
    carriedBox.replaceChildren();
    for (const c of result.carried_forward || []) {
      const l = later.find((x) => x.year === c.year);
      const applied = l ? l.applied : new Set(Object.keys(c.toeslagen).filter((t) => c.toeslagen[t].applied));
      if (!Object.keys(c.toeslagen).some((t) => applied.has(t))) continue;
      const p = createPreviewPanel({ title: `Ook je voorschot voor ${c.year}` });
      p.el.dataset.carriedYear = String(c.year);
      p.el.insertBefore(para(`Dit geldt ook in ${c.year}. Daarom rekenen we je voorschot voor ${c.year} ook opnieuw uit.`), p.el.children[1]);
      p.show(c, { applied, source, filter: TOESLAGEN.filter((t) => applied.has(t)) });
      p.el.className = "app-carried__preview";
      for (const card of p.el.querySelectorAll(".app-preview__card")) card.classList.replace("app-preview__card", "app-carried__card");
      carriedBox.append(p.el);
    }
  };
  const formError = h("div", { class: "app-msg", role: "alert" });
  const submit = button("Versturen", { type: "submit" });
  const formEl = h("form", { class: "app-form", novalidate: true, "aria-describedby": "change-intro" },
    ...form.fields.filter(Boolean));
  const applied = new Set(hh.applications);
  let serverTimer = null;
  let lastChange = null;

  const onlineAndDifferent = () => !isOffline() && rulesState.version && state.overview && rulesState.version !== state.overview.rules_version;

  async function update(t0) {
    // Clear field errors that are fixed; show only real errors (not half-typed input).
    for (const f of Object.values(form.map)) if (f && f.setError) f.setError("");
    const r = form.read();
    lastChange = null;
    if (r.errors) {
      const [f, msg] = r.errors[0];
      f.setError(msg);
      panel.message(msg, "invalid");
      return;
    }
    if (r.incomplete) { panel.message(r.incomplete, "incomplete"); return; }
    lastChange = r.change;
    if (!rulesState.version) {
      panel.message("De rekenregels worden geladen…", "loading");
      try { await loadRules(); } catch {
        // No MicroPython here (old browser?): ask the server when online.
        if (!isOffline()) return serverPreview(r.change, null);
        panel.message("Op dit apparaat kunnen we niet rekenen zonder internet.", "error");
        return;
      }
      if (lastChange !== r.change) return;
    }
    const res = await previewChange(hh, r.change, yearInput, later);
    if (res.stale || lastChange !== r.change) return;
    if (!res.ok && res.refused) {
      // the household's facts do not allow this change (shared_rules.changes says why, in Dutch)
      panel.message(res.refused, "invalid");
      return;
    }
    if (!res.ok) {
      panel.message("Met deze gegevens kunnen we niets uitrekenen. Kijk je invoer na.", "invalid");
      console.warn("preview:", res.error);
      return;
    }
    const ms = performance.now() - t0;
    let notice = null;
    if (rulesState.version !== state.overview.rules_version) {
      notice = alert("info", para(!isOffline()
        ? `De app rekent met andere regels (${short(rulesState.version)}) dan de server (${short(state.overview.rules_version)}). We vragen de berekening ook aan de server.`
        : `De app rekent met andere regels (${short(rulesState.version)}) dan de server (${short(state.overview.rules_version)}). De bedragen kunnen iets anders zijn.`));
    }
    panel.show(res.result, { applied, source: "phone", notice, ms, onApply });
    showCarried(res.result, "phone");
    recordTiming(ms);
    if (onlineAndDifferent()) {
      clearTimeout(serverTimer);
      serverTimer = setTimeout(() => serverPreview(r.change, notice), 300);
    }
  }

  async function serverPreview(change, notice) {
    try {
      const res = await apiPost("/api/changes/preview", { change, year: hh.year });
      if (lastChange !== change) return;
      const n = alert("info", para(`De app rekent met andere regels (${short(rulesState.version || "geen")}) dan de server (${short(res.rules_version)}). Je ziet de berekening van de server.`));
      panel.show(res, { applied, source: "server", notice: n, onApply });
      showCarried(res, "server");
    } catch (e) {
      if (lastChange !== change) return;
      if (e instanceof ApiError) panel.message(e.message, "invalid");
    }
  }

  const schedule = () => {
    const t0 = performance.now();
    update(t0);
  };
  formEl.addEventListener("input", schedule);
  formEl.addEventListener("change", schedule);
  // Back from the form (or away and back) keeps what was typed, until it is sent or cancelled.
  const keep = () => saveDraft(draftKey, formEl);
  formEl.addEventListener("input", keep);
  formEl.addEventListener("change", keep);

  add(formEl, panel.el, carriedBox, formError, h("div", { class: "app-actions" }, submit,
    link(back, "Annuleren", { class: "utrecht-link app-cancel", onclick: () => clearDraft(draftKey) })));

  /** "Versturen": checks, asks "Klopt dit?" about unlikely values, puts the change in the outbox and
   *  sends it; then `next(item, sent)` says where to go (default: the confirmation). */
  async function send(next = null) {
    formError.replaceChildren();
    for (const f of Object.values(form.map)) if (f && f.setError) f.setError("");
    const r = form.read();
    const errs = r.errors || r.missing || r.sendErrors || [];
    if (r.incomplete && !errs.length) {
      formError.replaceChildren(alert("error", para(r.incomplete)));
      const first = formEl.querySelector("input:not([type=radio]):not([type=checkbox])");
      if (first) first.focus();
      return;
    }
    if (errs.length) {
      for (const [f, msg] of errs) f.setError(msg);
      errs[0][0].input.focus();
      return;
    }
    const doubt = doubts(r.change, hh);
    if (doubt.length && !(await askConfirm(formError, doubt))) {
      const f = form.map[doubt[0].field];
      if (f && f.input) f.input.focus();
      return;
    }
    submit.disabled = true;
    const previewSummary = [panel.el, ...carriedBox.children].map((el) => {
      const live = el.querySelector(".app-preview__live").textContent;
      return el.dataset.carriedYear ? `${el.dataset.carriedYear}: ${live}` : live;
    }).join(" ");
    const summary = describe(r.change, hh) + (yr && r.change.kind !== "income" ? ` Dit geldt voor ${yr.year}.` : "");
    // the outbox item carries the year it is for (the body's `year`, and `meta` for the screens)
    const item = await enqueue({ path: "/api/changes", body: { change: r.change, year: hh.year }, summary, kind: r.change.kind,
      preview: previewSummary, meta: { year: hh.year } });
    clearDraft(draftKey);
    await flush().catch(() => null);
    const sent = Boolean(await lastResult(item.key));
    if (sent) invalidate();
    navigate((next && next(item, sent)) || "#/klaar/" + item.key);
  }

  // "Vraag ... aan" in the preview: the change is sent first (the application counts with it), then
  // the application opens. Offline the change stays in the outbox and the confirmation says so.
  function onApply(toeslag) {
    return send((item, sent) => (sent ? "#/aanvragen/" + toeslag : null));
  }

  formEl.addEventListener("submit", (ev) => {
    ev.preventDefault();
    send();
  });

  // Opened from a prompt (#/wijzigen/inkomen?melding=12): the form is filled with its figures and
  // the preview shows right away; nothing is sent until "Versturen".
  const promptId = Number(currentQuery().get("melding"));
  const fromPrompt = promptId && form.prefill ? (state.prompts || []).find((p) => p.id === promptId) : null;
  const filled = fromPrompt ? form.prefill(fromPrompt) : null;
  let promptNote = null;
  if (filled && fromPrompt.kind === "income_drift") {
    const d = fromPrompt.data || {};
    promptNote = alert("info", para(`We hebben het inkomen ingevuld dat je loon ${d.reported_through ? `tot en met ${monthName(d.reported_through)} ` : ""}laat zien. Klopt het niet? Pas het aan. Je ziet eerst wat het doet.`));
  } else if (filled && fromPrompt.kind === "assets_near_limit") {
    promptNote = alert("info", para("Kijk of je vermogen klopt. Is het anders? Vul het in. Je ziet eerst wat het doet."));
  }
  const heading1 = yr ? `${title} doorgeven voor ${yr.year}` : `${title} doorgeven`;
  const intro = !yr ? "Vul in wat er verandert. Hieronder zie je meteen wat het doet. Er wordt nog niets verstuurd."
    : yr.kind === "past"
      ? `Je geeft iets door over ${yr.year}. Dat jaar is voorbij, maar je kunt het nog veranderen tot de definitieve berekening er is. Kies een datum in ${yr.year}. Hieronder zie je meteen wat het doet, met de regels van ${yr.year}. Geldt het nu nog steeds? Dan rekenen we ook je voorschot voor ${yearInput.today.slice(0, 4)} opnieuw uit. Er wordt nog niets verstuurd.`
      : `Je geeft iets door voor ${yr.year}. Het telt mee voor je voorschot vanaf januari ${yr.year}. Kies een datum in ${yr.year}. Hieronder zie je meteen wat het doet. Er wordt nog niets verstuurd.`;
  add(view,
    para(yr ? link(back, `← ${yr.title}`) : link("#/wijzigen", "← Andere wijziging")),
    heading(1, heading1),
    h("p", { class: "utrecht-paragraph", id: "change-intro", dataset: yr ? { changeYear: String(yr.year) } : {} }, intro),
    promptNote,
    formEl,
    kind === "income" ? para(h("span", { class: "app-muted" }, "Weet je je inkomen nog niet precies? "), link("#/voorzichtig", "Kies een voorzichtig voorschot")) : null,
  );
  const restored = !filled && restoreDraft(draftKey, formEl);
  if (form.sync) form.sync();
  panel.message("Vul de gegevens in. Dan zie je hier meteen wat er verandert.", "empty");
  loadRules().catch(() => null);
  if (filled || restored) schedule();
  return heading1;
}

const short = (v) => (v ? String(v).replace("sha256:", "").slice(0, 8) : "?");

function recordTiming(ms) {
  const t = (window.__previewTimings = window.__previewTimings || []);
  t.push(ms);
  if (t.length > 200) t.shift();
}
