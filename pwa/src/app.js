// The app: routes, the online/offline state with the outbox count, the service worker, and the
// outbox flushed on start, on `online` and after a change.

import { h } from "./dom.js";
import { isOffline, netEvents, probe } from "./api.js";
import { route, setGuard, start, render, currentPath, navigate } from "./router.js";
import { flush, outboxEvents, pendingItems } from "./outbox.js";
import { invalidate, loadCore, state, stateEvents } from "./state.js";
import { renderDetail, renderOverview } from "./screens/overview.js";
// Only the small module that starts the rules worker (preloaded with the shell, so the worker can
// start without another round trip once the shell is idle); the worker and the runtime load then.
import { loadRules } from "./rules.js";

// Only the Overzicht is in the first download (it is the first screen of a logged-in start); every
// other screen is a module of its own, loaded when it is opened, and warmed once the first screen
// is there (see the end of this file). pwa/build.mjs checks that index.html preloads exactly what
// the first screen needs.
const SCREENS = {
  start: () => import("./screens/start.js"),
  change: () => import("./screens/change/index.js"),
  result: () => import("./screens/result.js"),
  apply: () => import("./screens/apply.js"),
  messages: () => import("./screens/messages.js"),
  more: () => import("./screens/more.js"),
  childcare: () => import("./screens/childcare.js"),
  cautious: () => import("./screens/cautious.js"),
  reminders: () => import("./screens/reminders.js"),
  year: () => import("./screens/year.js"),
  repayment: () => import("./screens/repayment.js"),
};
const lazy = (mod, name) => async (view, params, alive) => {
  let m;
  try {
    m = await SCREENS[mod]();
  } catch (e) {
    console.warn("screen module:", e);
    throw new Error("Dit scherm kon niet worden geladen. Kijk of je verbinding hebt en probeer het opnieuw.");
  }
  return m[name](view, params, alive);
};

route("/start", lazy("start", "renderStart"), { auth: false });
route("/activeren", lazy("start", "renderActivate"), { auth: false });
route("/overzicht", renderOverview);
route("/toeslag/:toeslag", renderDetail);
route("/wijzigen", lazy("change", "renderChangeList"));
route("/wijzigen/:slug", lazy("change", "renderChange"));
// Older prompts said #/wijziging/<slug>: they open the same screen.
route("/wijziging/:slug", async (view, { slug }) => { navigate("#/wijzigen/" + encodeURIComponent(slug), { replace: true }); return ""; });
route("/klaar/:key", lazy("result", "renderResult"));
route("/aanvragen", lazy("apply", "renderApplyList"));
route("/aanvragen/:toeslag", lazy("apply", "renderApply"));
route("/kinderopvang", lazy("childcare", "renderChildcare"));
route("/voorzichtig", lazy("cautious", "renderCautious"));
route("/berichten", lazy("messages", "renderMessages"));
route("/meer", lazy("more", "renderMore"));
route("/meer/herinneringen", lazy("reminders", "renderReminders"));
route("/jaar/:year", lazy("year", "renderYear"));
route("/betalingsregeling/:correction", lazy("repayment", "renderRepayment"));
route("/jaar/:year/wijzigen/:slug", lazy("change", "renderChange"));
route("/", async () => "", { auth: false });

setGuard(async (r, path) => {
  if (state.loggedIn === null) {
    try { await loadCore({ household: false }); } catch { /* shown by the screen */ }
  }
  const nav = document.getElementById("app-nav");
  const inside = state.loggedIn !== false && (state.overview || state.loggedIn);
  nav.hidden = !inside;
  if (path === "/") return inside ? "#/overzicht" : "#/start";
  if (r.auth && !inside) return "#/start";
  if (!r.auth && inside && path === "/start") return "#/overzicht";
  return null;
});

// -- online / offline and the outbox count ----------------------------------------------------
const statusEl = document.getElementById("app-status");

async function updateStatus() {
  const online = !isOffline();
  state.online = online;
  document.documentElement.dataset.online = online ? "1" : "0";
  const items = await pendingItems();
  const n = items.length;
  const parts = [];
  if (!online) parts.push(h("span", { class: "app-status__offline", "data-offline": "" }, "Offline"));
  if (n) {
    parts.push(h("a", { class: "app-status__outbox", href: "#/wijzigen", "data-outbox-count": String(n) },
      n === 1 ? "1 wijziging nog niet verstuurd" : `${n} wijzigingen nog niet verstuurd`));
  }
  statusEl.replaceChildren(...parts);
  statusEl.hidden = parts.length === 0;
}

async function flushAndRefresh() {
  if (isOffline()) return;
  const r = await flush().catch(() => null);
  if (r && r.sent.length) {
    invalidate();
    await loadCore({ force: true }).catch(() => null);
    const p = currentPath();
    if (p === "/overzicht" || p.startsWith("/toeslag") || p === "/wijzigen" || p.startsWith("/klaar") || p === "/kinderopvang" || p.startsWith("/betalingsregeling/")) {
      if (!document.querySelector("[data-keep-open]")) render();
    }
  }
}

async function backOnline() {
  await updateStatus();
  await flushAndRefresh();
  if (state.snapshotAt) {
    invalidate();
    await loadCore({ force: true }).catch(() => null);
    if (!currentPath().startsWith("/wijzigen/") && !document.querySelector("[data-keep-open]")) render();
  }
}

window.addEventListener("online", () => { probe().then((up) => { if (up) backOnline(); }); });
window.addEventListener("offline", updateStatus);
// While the API cannot be reached, look every few seconds whether it is back.
let wasDown = false;
netEvents.addEventListener("change", () => {
  updateStatus();
  if (isOffline()) wasDown = true;
  else if (wasDown) { wasDown = false; backOnline(); }
});
setInterval(() => { if (isOffline() && document.visibilityState !== "hidden") probe(); }, 3000);
outboxEvents.addEventListener("change", updateStatus);
stateEvents.addEventListener("change", updateStatus);

// -- service worker ---------------------------------------------------------------------------
// A module worker (it imports src/idb.js, the one IndexedDB schema): Chrome/Edge 91+, Safari 15+,
// Firefox 147+. Where type "module" is not supported, register() rejects and the app works online
// only (no offline start), as without any service worker. Registered after the first
// screen and the rules (see the end of this file): on a first visit its install then finds the shell,
// the runtime and the rules bundle in the HTTP cache (revalidated, not downloaded again) instead of
// sharing a slow first connection with them.
const registerWorker = () => {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("sw.js", { type: "module", updateViaCache: "none" }).catch((e) => console.warn("service worker:", e));
  }
};
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (ev) => {
    if (ev.data && ev.data.type === "outbox-sent") {
      updateStatus();
      invalidate();
      // the service worker sent what the result screen still shows as waiting
      if (currentPath().startsWith("/klaar/")) render();
    }
    // A tapped notification while the app is open: the service worker focused this window and
    // asks it to show the screen of the reminder (a same-origin hash route).
    if (ev.data && ev.data.type === "open" && typeof ev.data.hash === "string" && ev.data.hash.startsWith("#/")) {
      navigate(ev.data.hash);
    }
  });
}

// -- start ------------------------------------------------------------------------------------
(async () => {
  await updateStatus();
  await start();
  flushAndRefresh();
  // After the first screen, when the shell is idle: the rules (MicroPython-wasm and the bytecode
  // bundle, the biggest download), then the other screens and the service worker. Nothing of this
  // competes with the shell and the API for the first render; a change screen that opens earlier
  // starts the rules itself.
  const warm = async () => {
    if (state.loggedIn !== false) {
      await loadRules().catch(() => null);
    }
    registerWorker();
    await Promise.all(Object.values(SCREENS).map((load) => load().catch(() => null)));
  };
  const later = () => {
    if ("requestIdleCallback" in window) requestIdleCallback(warm, { timeout: 2000 }); else setTimeout(warm, 300);
  };
  if (document.readyState === "complete") later(); else window.addEventListener("load", later, { once: true });
})();
