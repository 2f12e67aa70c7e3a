// Hash routes: #/overzicht, #/toeslag/zorgtoeslag, ... Each route renders into <main>; after a
// route change the focus moves to the new page's h1 and the title changes, so screen readers and
// keyboard users land at the start of the new screen. A route may carry a query after "?"
// (#/wijzigen/inkomen?melding=12): it is not part of the path the routes match; currentQuery()
// gives it. Nothing personal goes in a query (a prompt id, never an amount).

import { clear, h } from "./dom.js";

const routes = [];
// Screens without a tab of their own light up the tab they are reached from.
const NAV_PARENT = { toeslag: "overzicht", kinderopvang: "overzicht", voorzichtig: "overzicht", betalingsregeling: "overzicht", klaar: "wijzigen", wijziging: "wijzigen" };
let guard = null;
let current = 0;

export function route(pattern, render, { auth = true } = {}) {
  const keys = [];
  const re = new RegExp("^" + pattern.replace(/:(\w+)/g, (_, k) => { keys.push(k); return "([^/]+)"; }) + "$");
  routes.push({ re, keys, render, auth });
}

export function setGuard(fn) {
  guard = fn;
}

export function navigate(hash, { replace = false } = {}) {
  if (location.hash === hash) { render(); return; }
  if (replace) { history.replaceState(null, "", hash); render(); } else location.hash = hash;
}

export function currentPath() {
  return ((location.hash || "#/").slice(1) || "/").split("?")[0] || "/";
}

export function currentQuery() {
  const hash = location.hash || "";
  const i = hash.indexOf("?");
  return new URLSearchParams(i < 0 ? "" : hash.slice(i + 1));
}

/** Whether a hash route (as the server sends them in prompts and pushes) matches a screen. */
export function isKnownRoute(hash) {
  if (typeof hash !== "string" || !hash.startsWith("#/")) return false;
  const path = hash.slice(1).split("?")[0];
  return routes.some((r) => r.re.test(path));
}

export async function render() {
  const token = ++current;
  const path = currentPath();
  const main = document.getElementById("main");
  let match = null;
  let params = {};
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      match = r;
      r.keys.forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]); });
      break;
    }
  }
  if (!match) { navigate("#/", { replace: true }); return; }
  if (guard) {
    const redirect = await guard(match, path);
    if (token !== current) return;
    if (redirect && redirect !== "#" + path) { navigate(redirect, { replace: true }); return; }
  }
  const view = h("div", { class: "app-view", "aria-busy": "true" });
  let title;
  try {
    title = await match.render(view, params, () => token === current);
  } catch (e) {
    console.error(e);
    clear(view);
    view.append(
      h("h1", { class: "utrecht-heading-1", tabindex: "-1" }, "Er ging iets mis"),
      h("p", { class: "utrecht-paragraph" }, (e && e.message) || "Probeer het later opnieuw."),
      h("p", { class: "utrecht-paragraph" }, h("a", { class: "utrecht-link", href: "#/overzicht" }, "Naar het overzicht")),
    );
    title = "Er ging iets mis";
  }
  if (token !== current) return;
  view.removeAttribute("aria-busy");
  clear(main).append(view);
  document.title = title ? `${title} – Toeslagen` : "Toeslagen";
  const top = path.split("/")[1] || "";
  for (const a of document.querySelectorAll("[data-nav]")) {
    const on = a.dataset.nav === (NAV_PARENT[top] || top);
    if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  const heading = view.querySelector("h1");
  window.scrollTo(0, 0);
  if (heading && document.body.dataset.booted) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }
  if (!document.body.dataset.booted && path !== "/") performance.mark("app:first-render");
  document.body.dataset.booted = "1";
  document.body.dataset.route = path;
  window.dispatchEvent(new CustomEvent("app:rendered", { detail: { path } }));
}

export function start() {
  window.addEventListener("hashchange", render);
  return render();
}
