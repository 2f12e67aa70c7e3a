"""Issue 7, Herinneringen (Web Push): the settings screen under Meer explains first and asks for the
notification permission only after "Herinneringen aan"; it subscribes with the server's VAPID key and
posts the subscription; kinds and quiet hours are saved; "Herinneringen uit" unsubscribes. On an
iPhone that is not running the app from the home screen it explains "Zet op beginscherm" first.
The service worker shows a pushed reminder (CDP ServiceWorker.deliverPushMessage, unencrypted data)
and a tap opens the right screen.

Two things headless Chromium cannot do, and what the test does instead:
- it has no push service: PushManager.subscribe() rejects (AbortError). The test first checks that the
  app says so plainly, then replaces PushManager.subscribe/getSubscription in the page by a fake that
  returns a subscription at fcm.googleapis.com with a real P-256 key (made by WebCrypto). Everything
  after it is real: the key from GET /api/push/key, the POST, the settings, the DELETE.
- a notification cannot be clicked: the test sends the service worker a message; its handler finds the
  shown notification by tag and calls openFromNotification(), the very function `notificationclick`
  calls."""

from __future__ import annotations

import base64
import json

from playwright.sync_api import expect

from .conftest import api_json, check_screen, enrol, go, wait_route, wait_until

SPY = """(() => {
    window.__permissionAsked = 0;
    if (window.Notification && Notification.requestPermission) {
        const ask = Notification.requestPermission.bind(Notification);
        Notification.requestPermission = (...a) => { window.__permissionAsked += 1; return ask(...a); };
    }
})();"""

FAKE_PUSH_SERVICE = """async () => {
    const pair = await crypto.subtle.generateKey({name: 'ECDH', namedCurve: 'P-256'}, true, ['deriveBits']);
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    const b64 = (u) => btoa(String.fromCharCode(...u)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
    const auth = crypto.getRandomValues(new Uint8Array(16));
    let current = null;
    window.__subscribeCalls = [];
    PushManager.prototype.subscribe = async function (opts) {
        window.__subscribeCalls.push({userVisibleOnly: opts.userVisibleOnly,
                                      key: b64(new Uint8Array(opts.applicationServerKey))});
        current = current || {
            endpoint: 'https://fcm.googleapis.com/fcm/send/e2e-' + b64(crypto.getRandomValues(new Uint8Array(9))),
            expirationTime: null,
            toJSON() { return {endpoint: this.endpoint, expirationTime: null, keys: {p256dh: b64(raw), auth: b64(auth)}}; },
            async unsubscribe() { current = null; return true; },
        };
        return current;
    };
    PushManager.prototype.getSubscription = async function () { return current; };
}"""


def subscriptions(server, key: str) -> list[tuple]:
    return server.query("SELECT endpoint FROM push_subscriptions WHERE household_id = ?", (server.household_id(key),))


def registration_id(cdp, origin: str) -> str:
    found = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: found.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(100):
        regs = [r for r in found if r["scopeURL"].startswith(origin) and not r["isDeleted"]]
        if regs:
            return regs[-1]["registrationId"]
        cdp.send("Runtime.evaluate", {"expression": "1"})  # let the events come in
    raise AssertionError("no service worker registration")


def test_reminders_permission_subscribe_settings_push_click_unsubscribe(page, context, server):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    problems: list[str] = []
    context.add_init_script(SPY)
    context.grant_permissions(["notifications"], origin=server.base_url)
    enrol(page, server, "single_tenant")
    wait_until(page, "async () => !!navigator.serviceWorker.controller", timeout=20_000)

    # Meer > Herinneringen: the why first; no permission asked by merely opening screens
    page.get_by_role("link", name="Meer").click()
    wait_route(page, "/meer")
    page.get_by_role("link", name="Herinneringen").click()
    wait_route(page, "/meer/herinneringen")
    assert page.locator('[data-reminders="off"]').count() == 1
    assert "verandert dat je toeslag raakt" in page.locator("main").inner_text()
    assert page.evaluate("() => window.__permissionAsked") == 0
    check_screen(page, "herinneringen (uit)", problems)

    # this headless browser has no push service: the app says so in plain Dutch
    page.get_by_role("button", name="Herinneringen aan").click()
    expect(page.locator(".app-msg .utrecht-alert").first).to_be_attached()
    assert "lukte niet" in page.locator(".app-msg").inner_text()
    assert page.evaluate("() => window.__permissionAsked") == 1  # asked only after the tap
    check_screen(page, "herinneringen (fout)", problems)

    # with a push service: subscribed with the server's key, the subscription is on the server
    page.evaluate(FAKE_PUSH_SERVICE)
    page.get_by_role("button", name="Herinneringen aan").click()
    expect(page.locator('[data-reminders="on"]')).to_be_attached()
    [call] = page.evaluate("() => window.__subscribeCalls")
    assert call == {"userVisibleOnly": True, "key": api_json(page, "/api/push/key")["body"]["public_key"].rstrip("=")}
    [(endpoint,)] = subscriptions(server, "single_tenant")
    assert endpoint.startswith("https://fcm.googleapis.com/fcm/send/e2e-")
    assert len(base64.urlsafe_b64decode(call["key"] + "==")) == 65
    check_screen(page, "herinneringen (aan)", problems)

    # kinds and quiet hours: a plain message for bad input, then saved on the server
    page.get_by_label("Een dag voordat je toeslag wordt betaald").check()
    page.get_by_label("Vanaf").fill("22:00")
    page.get_by_label("Tot").fill("22:00")
    page.get_by_role("button", name="Opslaan").click()
    assert "twee verschillende tijden" in page.locator(".app-error:not([hidden])").inner_text()
    page.get_by_label("Tot").fill("07:30")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".app-msg").first).to_contain_text("opgeslagen")
    st = api_json(page, "/api/push/settings")["body"]
    assert st["kinds"]["payment_day"] is True and st["kinds"]["child_age"] is True
    assert st["quiet_hours"] == {"start": "22:00", "end": "07:30"} and st["subscriptions"] == 1
    check_screen(page, "herinneringen (opgeslagen)", problems)

    # a push arrives: the service worker shows it (unknown keys ignored)
    cdp = context.new_cdp_session(page)
    rid = registration_id(cdp, server.base_url)
    tag = "toeslagen:child_age:e2e0000001"
    payload = {"title": "Sophie wordt 12: meer kindgebonden budget", "body": "Vanaf november krijg je meer.",
               "url": "/#/toeslag/kindgebonden_budget", "tag": tag, "later_version": {"x": 1}}
    cdp.send("ServiceWorker.deliverPushMessage",
             {"origin": server.base_url, "registrationId": rid, "data": json.dumps(payload)})
    shown = wait_until(page, """async (tag) => { const r = await navigator.serviceWorker.ready;
        const ns = await r.getNotifications({tag});
        return ns.length ? ns.map(n => ({title: n.title, body: n.body, tag: n.tag, url: n.data.url})) : null; }""", tag)
    assert shown == [{"title": payload["title"], "body": payload["body"], "tag": tag, "url": payload["url"]}]

    # the tap: the app (open on the Overzicht) is focused and shows the reminder's screen
    go(page, server, "/overzicht")
    reply = page.evaluate("""(tag) => new Promise((resolve) => {
        navigator.serviceWorker.addEventListener('message', (ev) => {
            if (ev.data && ev.data.type === 'test:notificationclick') resolve(ev.data); });
        navigator.serviceWorker.controller.postMessage({type: 'test:notificationclick', tag}); })""", tag)
    assert reply["url"] == server.base_url + "/#/toeslag/kindgebonden_budget" and reply["focused"] is True
    wait_route(page, "/toeslag/kindgebonden_budget")
    assert page.evaluate("async (tag) => (await (await navigator.serviceWorker.ready).getNotifications({tag})).length", tag) == 0

    # "Herinneringen uit": unsubscribed in the browser and on the server
    go(page, server, "/meer/herinneringen")
    page.get_by_role("button", name="Herinneringen uit").click()
    expect(page.locator('[data-reminders="off"]')).to_be_attached()
    assert subscriptions(server, "single_tenant") == []
    assert page.evaluate("async () => (await (await navigator.serviceWorker.ready).pushManager.getSubscription()) === null")
    assert page.evaluate("() => window.__permissionAsked") == 2
    assert not problems, "\n".join(problems)
    assert not errors, errors


def test_iphone_explains_home_screen_first(browser, context, page, server):
    enrol(page, server, "single_tenant")
    state = context.storage_state()
    iphone = browser.new_context(
        storage_state=state, viewport={"width": 390, "height": 844}, locale="nl-NL", is_mobile=True, has_touch=True,
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                   "Version/17.5 Mobile/15E148 Safari/604.1")
    try:
        iphone.add_init_script(SPY)
        iphone.add_init_script("delete window.PushManager;")  # Safari outside a home-screen app has none
        p = iphone.new_page()
        go(p, server, "/meer/herinneringen")
        block = p.locator('[data-reminders="ios-home-screen"]')
        assert block.count() == 1
        assert "Zet de app daarom eerst op je beginscherm" in block.inner_text()
        assert "Zet op beginscherm" in p.locator('[data-install="ios"]').inner_text()
        assert p.get_by_role("button", name="Herinneringen aan").count() == 0
        assert p.evaluate("() => window.__permissionAsked") == 0
        problems: list[str] = []
        check_screen(p, "herinneringen (iPhone, niet op beginscherm)", problems)
        assert not problems, "\n".join(problems)
    finally:
        iphone.close()
