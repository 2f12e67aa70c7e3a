// Aanvragen: a toeslag the household does not get yet, with the preview (computed on the phone)
// of what it would bring per month. Applying goes through the outbox like a change.

import { h, add } from "../dom.js";
import { euro, reasonText, toeslagName } from "../format.js";
import { alert, button, heading, link, para } from "../components/form.js";
import { createPreviewPanel } from "../components/preview.js";
import { loadRules, previewChange, rulesState } from "../rules.js";
import { enqueue, flush } from "../outbox.js";
import { navigate } from "../router.js";
import { loadCore, state } from "../state.js";

export async function renderApplyList(view) {
  await loadCore();
  const ov = state.overview;
  const open = ov.toeslagen.filter((t) => !t.applied);
  add(view, 
    heading(1, "Aanvragen"),
    para("Hier zie je de toeslagen die je nu nog niet krijgt."),
    open.length === 0 ? para("Je krijgt alle toeslagen al waar je recht op hebt.") : null,
    h("ul", { class: "app-cards", role: "list" }, open.map((t) => h("li", { class: "app-card", dataset: { toeslag: t.toeslag } },
      h("h2", { class: "utrecht-heading-3" }, t.name),
      t.status === "not_applied"
        ? [para(`Je hebt waarschijnlijk recht op ongeveer ${euro(t.entitlement_this_month)} per maand.`), para(link("#/aanvragen/" + t.toeslag, `${t.name} aanvragen`))]
        : [para("Met je gegevens van nu krijg je dit niet."), t.reasons.length ? para(t.reasons.map(reasonText).join(" ")) : null]))),
  );
  return "Aanvragen";
}

export async function renderApply(view, { toeslag }) {
  await loadCore();
  const ov = state.overview;
  const hh = state.household;
  const t = ov.toeslagen.find((x) => x.toeslag === toeslag);
  if (!t) throw new Error("Deze toeslag kennen we niet.");
  const name = toeslagName(toeslag);
  add(view, para(link("#/aanvragen", "← Aanvragen")), heading(1, `${name} aanvragen`));
  if (t.applied) {
    add(view, alert("info", para(`Je krijgt ${name.toLowerCase()} al.`)), para(link("#/toeslag/" + toeslag, "Bekijk de details")));
    return `${name} aanvragen`;
  }
  const panel = createPreviewPanel({ title: "Wat krijg je?" });
  panel.message("We rekenen het uit op je telefoon…", "loading");
  const err = h("div", { class: "app-msg", role: "alert" });
  const submit = button(`${name} aanvragen`, {
    onclick: async () => {
      submit.disabled = true;
      const item = await enqueue({ path: "/api/applications", body: { toeslag }, summary: `Aanvraag ${name.toLowerCase()} voor ${ov.year}.`, kind: "application", preview: panel.el.querySelector(".app-preview__live").textContent });
      await flush().catch(() => null);
      navigate("#/klaar/" + item.key);
    },
  });
  add(view, 
    para(`Je vraagt ${name.toLowerCase()} aan voor heel ${ov.year}. We gebruiken de gegevens die we al van je hebben.`),
    panel.el, err,
    h("div", { class: "app-actions" }, submit),
    para(h("span", { class: "app-muted" }, "Kloppen je gegevens niet meer? "), link("#/wijzigen", "Geef eerst een wijziging door")),
  );
  const t0 = performance.now();
  try {
    await loadRules();
    const r = await previewChange(hh, null);
    if (!r.ok) throw new Error(r.error);
    panel.show(r.result, { applied: new Set(), source: "phone", only: toeslag, ms: performance.now() - t0,
      notice: rulesState.version !== ov.rules_version ? alert("info", para("De app rekent met andere regels dan de server. Het bedrag kan iets anders zijn.")) : null });
    const res = r.result.toeslagen[toeslag];
    const ent = (res.after || res.before).entitled;
    if (!ent) submit.hidden = true;
  } catch {
    panel.message(`Volgens de gegevens van de server is dat ongeveer ${euro(t.entitlement_this_month)} per maand.`, "ready");
  }
  return `${name} aanvragen`;
}
