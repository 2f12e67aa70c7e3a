// The app: routes, the online/offline state with the outbox count, the service worker, and the
// outbox flushed on start, on `online` and after a change.

import { h } from "./dom.js";
import { isOffline, netEvents, probe } from "./api.js";
import { route, setGuard, start, render, currentPath } from "./router.js";
import { flush, outboxEvents, pendingItems } from "./outbox.js";
import { invalidate, loadCore, state, stateEvents } from "./state.js";
import { loadRules } from "./rules.js";
import { renderActivate, renderStart } from "./screens/start.js";
import { renderDetail, renderOverview } from "./screens/overview.js";
import { renderChange, renderChangeList } from "./screens/change.js";
import { renderResult } from "./screens/result.js";
import { renderApply, renderApplyList } from "./screens/apply.js";
import { renderMessages } from "./screens/messages.js";
import { renderMore } from "./screens/more.js";

route("/start", renderStart, { auth: false });
route("/activeren", renderActivate, { auth: false });
route("/overzicht", renderOverview);
route("/toeslag/:toeslag", renderDetail);
route("/wijzigen", renderChangeList);
route("/wijzigen/:slug", renderChange);
route("/klaar/:key", renderResult);
route("/aanvragen", renderApplyList);
route("/aanvragen/:toeslag", renderApply);
route("/berichten", renderMessages);
route("/meer", renderMore);
route("/", async () => "", { auth: false });

setGuard(async (r, path) => {
  if (state.loggedIn === null) {
    try { await loadCore(); } catch { /* shown by the screen */ }
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
    if (p === "/overzicht" || p.startsWith("/toeslag") || p === "/wijzigen" || p.startsWith("/klaar")) render();
  }
}

async function backOnline() {
  await updateStatus();
  await flushAndRefresh();
  if (state.snapshotAt) {
    invalidate();
    await loadCore({ force: true }).catch(() => null);
    if (!currentPath().startsWith("/wijzigen/")) render();
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
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js", { updateViaCache: "none" }).catch((e) => console.warn("service worker:", e));
  navigator.serviceWorker.addEventListener("message", (ev) => {
    if (ev.data && ev.data.type === "outbox-sent") {
      updateStatus();
      invalidate();
    }
  });
}

// -- start ------------------------------------------------------------------------------------
(async () => {
  await updateStatus();
  await start();
  flushAndRefresh();
  // The rules runtime loads once the first screen is there (it is in the service worker cache).
  const warm = () => { if (state.loggedIn !== false) loadRules().catch(() => null); };
  if ("requestIdleCallback" in window) requestIdleCallback(warm, { timeout: 2000 }); else setTimeout(warm, 500);
})();
