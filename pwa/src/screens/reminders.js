// Meer > Herinneringen: Web Push reminders (api/push/PUSH.md). The app explains first and asks the
// browser for permission ONLY after a tap on "Herinneringen aan". On an iPhone or iPad push works
// only for an app on the home screen, so there the app first explains "Zet op beginscherm".
// Subscribing: PushManager.subscribe({userVisibleOnly, applicationServerKey from GET /api/push/key}),
// then POST /api/push/subscriptions through the outbox. "Herinneringen uit" unsubscribes in the
// browser and sends DELETE /api/push/subscriptions. Which reminders and the quiet hours:
// GET / PUT /api/push/settings (the PUT through the outbox too).

import { h, add, nextId } from "../dom.js";
import { alert, button, checkbox, heading, link, para, textField } from "../components/form.js";
import { installHint, isIos, standalone } from "../components/install.js";
import { apiGet, isOffline } from "../api.js";
import { enqueue, flush } from "../outbox.js";
import { render } from "../router.js";

const KINDS = [
  ["child_age", "Je kind wordt 4, 12, 16 of 18 jaar (dan verandert er iets aan je toeslag)"],
  ["childcare_contract_end", "Je opvangcontract stopt"],
  ["home_change", "Je verhuist of je huur verandert"],
  ["partner_change", "Je partner komt bij je wonen of gaat weg"],
  ["january_check", "Begin januari: klopt je inkomen voor het nieuwe jaar?"],
  ["prompts", "Nieuwe meldingen in de app, bijvoorbeeld als je inkomen anders is dan geschat"],
  ["payment_day", "Een dag voordat je toeslag wordt betaald"],
];

export const pushSupported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

/** base64url -> bytes (the applicationServerKey). */
export function keyBytes(b64url) {
  const s = b64url.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(s + "=".repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(null), ms))]);
}

async function registration() {
  if (!("serviceWorker" in navigator)) return null;
  const reg = await navigator.serviceWorker.getRegistration().catch(() => null);
  if (reg) return reg;
  navigator.serviceWorker.register("sw.js", { updateViaCache: "none" }).catch(() => null);
  return withTimeout(navigator.serviceWorker.ready, 10_000);
}

async function currentSubscription(reg) {
  if (!reg || !reg.pushManager) return null;
  return reg.pushManager.getSubscription().catch(() => null);
}

export async function renderReminders(view) {
  const msg = h("div", { class: "app-msg", role: "status", "aria-live": "polite" });
  const show = (kind, text) => msg.replaceChildren(alert(kind, para(text)));
  const supported = pushSupported();
  const needsHomeScreen = isIos() && !standalone();
  const reg = supported && !needsHomeScreen ? await registration() : null;
  const sub = await currentSubscription(reg);
  let settings = null;
  try { settings = (await apiGet("/api/push/settings", { snapshot: false })).data; } catch { /* offline */ }

  add(view,
    para(link("#/meer", "← Meer")),
    heading(1, "Herinneringen"),
    para("Met herinneringen krijg je een bericht op je telefoon als er iets verandert dat je toeslag raakt. Bijvoorbeeld als je kind 12 wordt, je opvangcontract stopt of je huur verandert. Zo geef je het op tijd door. Dan hoef je later minder terug te betalen."),
    para("In een bericht staan nooit je burgerservicenummer of bedragen van je inkomen. Je kunt herinneringen altijd weer uitzetten. Zet je ze niet aan, dan zie je dezelfde meldingen in je Overzicht."),
    msg,
  );

  // On an iPhone or iPad, Safari has no PushManager at all outside a home-screen app: explain that
  // first (before "not supported"), it is the way to get reminders there.
  if (needsHomeScreen) {
    add(view,
      h("section", { class: "app-card", "aria-labelledby": "ios-first", "data-reminders": "ios-home-screen" },
        heading(2, "Eerst: zet de app op je beginscherm", { id: "ios-first" }),
        para("Op een iPhone of iPad werken herinneringen alleen in een app op je beginscherm. Zet de app daarom eerst op je beginscherm. Open de app daarna via het icoon op je beginscherm. Dan kun je hier de herinneringen aanzetten.")),
      installHint({ force: true }));
    return "Herinneringen";
  }
  if (!supported) {
    add(view, alert("info", para("Op dit apparaat of in deze browser kunnen we geen herinneringen sturen. Je ziet ze wel als melding in je Overzicht.")));
    return "Herinneringen";
  }
  const permission = Notification.permission;
  if (sub) {
    const off = button("Herinneringen uit", {
      kind: "secondary",
      onclick: async () => {
        off.disabled = true;
        const s = await currentSubscription(reg);
        const endpoint = s ? s.endpoint : sub.endpoint;
        if (s) await s.unsubscribe().catch(() => false);
        await enqueue({ path: "/api/push/subscriptions", method: "DELETE", body: { endpoint }, done: [404],
          summary: "Herinneringen uit op dit apparaat.", kind: "push" });
        await flush().catch(() => null);
        await render();
      },
    });
    add(view,
      h("section", { class: "app-card", "aria-labelledby": "push-on", "data-reminders": "on" },
        heading(2, "Herinneringen staan aan", { id: "push-on" }),
        para("Op dit apparaat krijg je herinneringen. Hieronder kies je waarover."),
        h("div", { class: "app-actions" }, off)));
  } else if (permission === "denied") {
    add(view, h("section", { class: "app-card", "aria-labelledby": "push-denied", "data-reminders": "denied" },
      heading(2, "Meldingen staan uit voor deze app", { id: "push-denied" }),
      para("Je hebt meldingen voor deze app uitgezet in je browser. Wil je toch herinneringen? Zet meldingen voor deze app aan in de instellingen van je browser of telefoon. Kom daarna hier terug.")));
  } else {
    const on = button("Herinneringen aan", {
      onclick: async () => {
        on.disabled = true;
        msg.replaceChildren();
        try {
          await turnOn(reg, show);
          await render();
        } catch (e) {
          show("error", e.message);
          on.disabled = false;
        }
      },
    });
    add(view,
      h("section", { class: "app-card", "aria-labelledby": "push-off", "data-reminders": "off" },
        heading(2, "Herinneringen staan uit", { id: "push-off" }),
        para("Tik op de knop. Je telefoon vraagt dan of de app je meldingen mag sturen. Kies ‘Toestaan’."),
        h("div", { class: "app-actions" }, on)));
  }
  if (settings && (sub || settings.subscriptions > 0)) add(view, settingsForm(settings, show));
  else if (!settings && isOffline()) add(view, alert("info", para("Je bent offline. Je instellingen zie je weer als je verbinding hebt.")));
  return "Herinneringen";
}

/** Permission (asked here, after the tap, never before), the key, subscribe, and the subscription to
 *  the server through the outbox. Throws an Error with a Dutch message. */
async function turnOn(reg, show) {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    throw new Error(permission === "denied"
      ? "Je hebt de app geen toestemming gegeven voor meldingen. Dan kunnen we geen herinneringen sturen. Je ziet ze wel in je Overzicht."
      : "Je hebt nog niet gekozen. Tik nog een keer op ‘Herinneringen aan’ en kies ‘Toestaan’.");
  }
  if (isOffline()) throw new Error("Je bent offline. Herinneringen aanzetten kan als je weer verbinding hebt.");
  const r = reg || (await registration());
  if (!r) throw new Error("De app is nog niet klaar op dit apparaat. Probeer het over een minuut opnieuw.");
  let key;
  try {
    key = (await apiGet("/api/push/key", { snapshot: false })).data.public_key;
  } catch (e) {
    throw new Error(e.message || "Dit lukte niet. Probeer het later opnieuw.");
  }
  let sub;
  try {
    sub = await r.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  } catch (e) {
    console.warn("push subscribe:", e);
    throw new Error("Herinneringen aanzetten lukte niet op dit apparaat. Probeer het later opnieuw.");
  }
  const body = sub.toJSON();
  const item = await enqueue({ path: "/api/push/subscriptions", body: { endpoint: body.endpoint, keys: body.keys, expirationTime: body.expirationTime ?? null },
    summary: "Herinneringen aan op dit apparaat.", kind: "push" });
  const res = await flush().catch(() => null);
  if (!sentNow(res, item)) show("info", "Herinneringen staan aan op dit apparaat. We geven het door zodra je verbinding hebt.");
}

const sentNow = (res, item) => Boolean(res && res.sent.some((x) => x.item.key === item.key));

function settingsForm(settings, show) {
  const boxes = KINDS.map(([k, label]) => {
    const c = checkbox({ label, name: "kind_" + k, checked: Boolean(settings.kinds[k]) });
    c.input.dataset.kind = k;
    return c;
  });
  const quiet = checkbox({ label: "Geen berichten ’s avonds en ’s nachts", name: "quiet", checked: Boolean(settings.quiet_hours) });
  const start = textField({ label: "Vanaf", name: "quiet_start", type: "time", width: "short", value: settings.quiet_hours ? settings.quiet_hours.start : "21:00" });
  const end = textField({ label: "Tot", name: "quiet_end", type: "time", width: "short", value: settings.quiet_hours ? settings.quiet_hours.end : "08:00" });
  const times = h("div", { class: "app-times" }, start.el, end.el);
  const sync = () => { times.hidden = !quiet.input.checked; };
  quiet.input.addEventListener("change", sync);
  sync();
  const saveBtn = button("Opslaan", { type: "submit" });
  const legendId = nextId("kinds");
  const form = h("form", { class: "app-form", novalidate: true, "data-keep-open": "" },
    h("fieldset", { class: "utrecht-form-fieldset__fieldset utrecht-form-fieldset__fieldset--html-fieldset app-fieldset", "aria-describedby": legendId + "-d" },
      h("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, "Waarover wil je een herinnering?"),
      h("p", { class: "utrecht-form-field-description", id: legendId + "-d" }, "Dit geldt voor elk apparaat waarop je herinneringen aan hebt."),
      boxes.map((b) => b.el)),
    h("fieldset", { class: "utrecht-form-fieldset__fieldset utrecht-form-fieldset__fieldset--html-fieldset app-fieldset" },
      h("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, "Rustige uren"),
      quiet.el, times),
    h("div", { class: "app-actions" }, saveBtn));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    start.setError(""); end.setError("");
    let quiet_hours = null;
    if (quiet.input.checked) {
      const s = start.input.value;
      const e = end.input.value;
      const ok = (t) => /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(t);
      if (!ok(s)) { start.setError("Vul een tijd in, bijvoorbeeld 21:00."); start.input.focus(); return; }
      if (!ok(e)) { end.setError("Vul een tijd in, bijvoorbeeld 08:00."); end.input.focus(); return; }
      if (s === e) { end.setError("De begintijd en de eindtijd zijn hetzelfde. Kies twee verschillende tijden."); end.input.focus(); return; }
      quiet_hours = { start: s, end: e };
    }
    const kinds = Object.fromEntries(boxes.map((b) => [b.input.dataset.kind, b.input.checked]));
    saveBtn.disabled = true;
    const item = await enqueue({ path: "/api/push/settings", method: "PUT", body: { kinds, quiet_hours }, summary: "Instellingen voor herinneringen.", kind: "push" });
    const res = await flush().catch(() => null);
    saveBtn.disabled = false;
    const done = sentNow(res, item);
    show(done ? "ok" : "info", done ? "Je instellingen zijn opgeslagen." : "Je instellingen zijn bewaard op dit apparaat. We geven ze door zodra je verbinding hebt.");
  });
  return h("section", { class: "app-reminder-settings", "aria-labelledby": "push-settings" },
    heading(2, "Instellingen", { id: "push-settings" }), form);
}
