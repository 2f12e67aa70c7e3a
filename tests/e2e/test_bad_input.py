"""Issue 8, bad input in the app: absurd values in every change form get a plain Dutch error next to
the field and change nothing; the preview never crashes on half-typed input.

Every form that takes typed input is covered: the six "Wijziging doorgeven" kinds (inkomen, huur,
verhuizen, kinderopvang, partner in and out, kinderen born / moves in / moves out), "Eén maand
aanpassen" and "Klopt niet" on the Kinderopvang screen, and the percentage of the voorzichtig
voorschot.

1. Absurd values (negative amounts, € 1e12, letters, "12,3,4", emoji, 10.000 hours, dates in 9999 and
   0001, empty and blank required fields, too many decimals, names too long): after "Versturen" the
   field shows a Dutch message that names the problem, tied to the input with aria-describedby and
   aria-invalid, and gets the focus; no POST is made (every request of the browser context is
   watched), nothing is put in the outbox in IndexedDB, no event is stored, and GET /api/household,
   /api/history and /api/overview answer the same before and after. A last test is the control: a
   good value is sent, and the same checks see it.
2. Half-typed input, key by key ("1", "12", "12.", "12,", "-", "", "1e"): no page error, no console
   error, no rules crash (the "preview:" warning); every state the preview panel passes through shows
   an amount or a calm Dutch hint, never NaN, undefined, null, Infinity or a traceback.

The module has a server of its own and one logged-in browser context per demo household."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from .conftest import api_json, enrol, go, module_server, wait_settled, wait_until

YEAR = 2026

# -- what a message may and may not say --------------------------------------------------------------

BAD_TOKENS = ("NaN", "undefined", "null", "Infinity", "Traceback", "[object", "Error:", "TypeError", "Exception")
ENGLISH = {"the", "please", "invalid", "error", "must", "enter", "number", "required", "value", "field",
           "date", "missing", "expected", "should", "too", "failed", "cannot"}
DUTCH = {"je", "een", "de", "het", "vul", "kies", "in", "van", "met", "zonder", "is", "dit", "te", "geen",
         "kan", "niet", "we", "hier", "tot", "en", "gebruik", "deze", "wat", "dan", "zie"}


def plain_dutch(text: str) -> str | None:
    """None when `text` reads as a plain Dutch sentence, else what is wrong with it."""
    if not text or not text.strip():
        return "empty"
    for t in BAD_TOKENS:
        if t in text:
            return f"contains {t!r}"
    words = set(re.findall(r"[a-zà-ÿ]+", text.lower()))
    if words & ENGLISH:
        return f"English words {sorted(words & ENGLISH)}"
    if not words & DUTCH:
        return "no Dutch words"
    return None


# -- the forms and their absurd values -----------------------------------------------------------------

# expected messages (regular expressions over the field's error text)
NEG = r"min-teken"
HIGH = r"te hoog"
DIGITS = r"cijfers"
DECIMALS = r"twee cijfers na de komma"
DATE_YEAR = rf"Kies een datum in {YEAR}"
DATE_EMPTY = r"^Kies een datum\.$"
BIRTH = r"geboortedatum kan niet kloppen"
LONG = r"hoogstens \d+ tekens"


def money_cases(label: str, empty: str | None, high: str = "1000000000000") -> list[tuple[str, str, str]]:
    cases = [
        (label, "-250", NEG),
        (label, "- 1", NEG),
        (label, high, HIGH),
        (label, "1e12", DIGITS),
        (label, "twaalf", DIGITS),
        (label, "12,3,4", DIGITS),
        (label, "\U0001F4B6\U0001F600", DIGITS),
        (label, "12,345", DECIMALS),
        (label, "1.2.3", DIGITS),
        (label, "Infinity", DIGITS),
        (label, "NaN", DIGITS),
    ]
    if empty:
        cases += [(label, "", empty), (label, "   ", empty)]
    return cases


def date_cases(label: str) -> list[tuple[str, str, str]]:
    return [(label, "9999-12-31", DATE_YEAR), (label, "0001-01-01", DATE_YEAR), (label, f"{YEAR - 1}-12-31", DATE_YEAR),
            (label, "", DATE_EMPTY)]


@dataclass
class Form:
    id: str
    household: str
    route: str
    submit: str
    valid: list[tuple[str, str]]                       # label -> a value that makes the form complete
    cases: list[tuple[str, str, str]]                  # label, absurd value, expected message (regex)
    typing: list[str] = field(default_factory=list)    # labels typed key by key (live preview)
    before: Callable | None = None                     # choose radios / open a panel first
    scope: str = "main"                                # where the form is


def choose(label: str, scope: str = "main"):
    def f(page):
        page.locator(scope).get_by_label(label, exact=True).check()
    return f


def open_panel(button: str, month: str | None = None):
    def f(page):
        panel = page.locator(".app-panel:not([hidden])")
        if not panel.count():
            page.get_by_role("button", name=button).click()
        if month:
            page.locator(".app-panel:not([hidden])").get_by_label("Welke maand?").select_option(month)
    return f


INCOME = f"Nieuw inkomen voor {YEAR}"
ASSETS = f"Vermogen op 1 januari {YEAR}"
RENT = "Nieuwe kale huur per maand"
SERVICE = "Servicekosten per maand"
P_NAME, P_BIRTH, P_INCOME = "Voornaam van je partner", "Geboortedatum van je partner", f"Inkomen van je partner in {YEAR}"
C_NAME, C_BIRTH = "Voornaam van het kind", "Geboortedatum"
LONG_NAME = "Anna-" + "a" * 95

FORMS = [
    Form("inkomen", "single_tenant", "/wijzigen/inkomen", "Versturen",
         valid=[(INCOME, "31.500"), (ASSETS, ""), ("Vanaf wanneer is het inkomen anders?", f"{YEAR}-05-10")],
         cases=money_cases(INCOME, r"Vul je nieuwe inkomen in") + money_cases(ASSETS, None)
         + date_cases("Vanaf wanneer is het inkomen anders?"),
         typing=[INCOME, "Vanaf wanneer is het inkomen anders?"]),
    Form("huur", "single_tenant", "/wijzigen/huur", "Versturen",
         valid=[(RENT, "700"), (SERVICE, "45"), ("Vanaf wanneer geldt de nieuwe huur?", f"{YEAR}-07-01")],
         cases=money_cases(RENT, r"Vul je nieuwe huur in", high="10.000,01") + money_cases(SERVICE, None, high="25000")
         + date_cases("Vanaf wanneer geldt de nieuwe huur?"),
         typing=[RENT, SERVICE]),
    Form("verhuizen", "single_tenant", "/wijzigen/verhuizen", "Versturen",
         valid=[("Straat", "Biltstraat"), ("Huisnummer", "5"), ("Postcode", "3572 AB"), ("Plaats", "Utrecht"),
                ("Kale huur per maand", "900"), ("Servicekosten per maand", ""), ("Verhuisdatum", f"{YEAR}-10-14")],
         before=choose("Ja, ik huur"),
         cases=[("Straat", "", r"Vul de straat in"), ("Straat", "    ", r"Vul de straat in"),
                ("Straat", "B" * 120, LONG), ("Huisnummer", "  ", r"Vul het huisnummer in"),
                ("Huisnummer", "1234567890123", LONG), ("Postcode", "12345", r"postcode"),
                ("Postcode", "0123 AB", r"postcode"), ("Postcode", "\U0001F3E0", r"postcode"),
                ("Plaats", " ", r"Vul de plaats in"), ("Plaats", "U" * 90, LONG),
                *money_cases("Kale huur per maand", r"Vul de huur van je nieuwe woning in", high="99999"),
                *date_cases("Verhuisdatum")],
         typing=["Kale huur per maand"]),
    Form("kinderopvang", "single_parent", "/wijzigen/kinderopvang", "Versturen",
         valid=[("Uren per maand", "130"), ("Uurprijs", "10,25"), ("Vanaf wanneer?", f"{YEAR}-07-01")],
         before=choose("Andere uren of uurprijs"),
         cases=[("Uren per maand", "10000", r"tot en met 744"), ("Uren per maand", "10.000", r"tot en met 744"),
                ("Uren per maand", "-5", NEG), ("Uren per maand", "12,5", r"zonder komma"),
                ("Uren per maand", "1e3", DIGITS), ("Uren per maand", "\U0001F476", DIGITS),
                ("Uren per maand", "twaalf", DIGITS),
                *money_cases("Uurprijs", None, high="1000000000000"),
                ("Uurprijs", "50,01", HIGH), *date_cases("Vanaf wanneer?")],
         typing=["Uren per maand", "Uurprijs"]),
    Form("kinderopvang-stopt", "single_parent", "/wijzigen/kinderopvang", "Versturen",
         valid=[("Vanaf wanneer?", f"{YEAR}-07-01")], before=choose("De opvang stopt"),
         cases=date_cases("Vanaf wanneer?")),
    Form("partner-erbij", "single_tenant", "/wijzigen/partner", "Versturen",
         valid=[(P_NAME, "Joris"), (P_BIRTH, "1993-02-11"), (P_INCOME, "24.000"),
                ("Wanneer komt je partner bij je wonen?", f"{YEAR}-08-01")],
         cases=[(P_NAME, "", r"Vul de voornaam van je partner in"), (P_NAME, "   ", r"Vul de voornaam van je partner in"),
                (P_NAME, LONG_NAME, LONG),
                (P_BIRTH, "0001-01-01", BIRTH), (P_BIRTH, "9999-12-31", BIRTH), (P_BIRTH, f"{YEAR}-12-31", BIRTH),
                (P_BIRTH, "", r"Vul de geboortedatum van je partner in"),
                *money_cases(P_INCOME, r"Vul het inkomen van je partner in"),
                *date_cases("Wanneer komt je partner bij je wonen?")],
         typing=[P_INCOME]),
    Form("partner-weg", "couple_three_children", "/wijzigen/partner", "Versturen",
         valid=[("Wanneer gaat je partner weg?", f"{YEAR}-08-01")], cases=date_cases("Wanneer gaat je partner weg?")),
    Form("kind-geboren", "single_tenant", "/wijzigen/kinderen", "Versturen",
         valid=[(C_NAME, "Mila"), (C_BIRTH, f"{YEAR}-05-01")], before=choose("Er is een kind geboren"),
         cases=[(C_NAME, " ", r"Vul de voornaam van het kind in"), (C_NAME, LONG_NAME, LONG),
                (C_BIRTH, "9999-12-31", BIRTH), (C_BIRTH, "0001-01-01", BIRTH),
                (C_BIRTH, f"{YEAR - 1}-06-01", rf"geboorte kun je hier doorgeven voor {YEAR}"),
                (C_BIRTH, "", r"Vul de geboortedatum van het kind in")],
         typing=[C_BIRTH]),
    Form("kind-erbij", "single_tenant", "/wijzigen/kinderen", "Versturen",
         valid=[(C_NAME, "Sem"), (C_BIRTH, "2019-03-04"), ("Vanaf wanneer?", f"{YEAR}-06-15")],
         before=choose("Een kind komt bij mij wonen"),
         cases=[(C_BIRTH, "1990-01-01", r"18 jaar of ouder"), (C_BIRTH, "0001-01-01", BIRTH),
                (C_NAME, "", r"Vul de voornaam van het kind in"), *date_cases("Vanaf wanneer?")]),
    Form("kind-weg", "couple_three_children", "/wijzigen/kinderen", "Versturen",
         valid=[("Vanaf wanneer?", f"{YEAR}-09-01")], before=choose("Een kind gaat het huis uit"),
         cases=date_cases("Vanaf wanneer?")),
    Form("een-maand", "single_parent", "/kinderopvang", "Versturen",
         valid=[("Uren opvang in die maand", "80"), ("Uurprijs", "9,40")],
         before=open_panel("Eén maand aanpassen voor Adam", f"{YEAR}-06"), scope=".app-panel:not([hidden])",
         cases=[("Uren opvang in die maand", "10000", r"tot en met 744"), ("Uren opvang in die maand", "-1", NEG),
                ("Uren opvang in die maand", "", r"Vul het aantal uren in"),
                ("Uren opvang in die maand", "  ", r"Vul het aantal uren in"),
                ("Uren opvang in die maand", "8,5", r"zonder komma"), ("Uren opvang in die maand", "\U0001F600", DIGITS),
                ("Uurprijs", "", r"Vul de uurprijs in"), ("Uurprijs", "51", HIGH)]
         + [c for c in money_cases("Uurprijs", None) if c[1] not in ("1e12",)]),
    Form("klopt-niet", "single_parent", "/kinderopvang", "Doorgeven dat het niet klopt",
         valid=[("Wat klopt er niet?", "Adam was ziek.")], before=open_panel("Klopt niet: uren van Adam"),
         scope=".app-panel:not([hidden])",
         cases=[("Wat klopt er niet?", "", r"Schrijf kort op wat er niet klopt"),
                ("Wat klopt er niet?", " \n\t ", r"Schrijf kort op wat er niet klopt")]),
    Form("voorzichtig", "single_tenant", "/voorzichtig", "Kies voorzichtig voorschot",
         valid=[("Hoeveel procent minder?", "10")],
         before=choose("Krijg elke maand een vast percentage minder voorschot"),
         cases=[("Hoeveel procent minder?", v, r"1 tot en met 50") for v in
                ("0", "51", "10000", "-5", "12,5", "1e1", "tien", "\U0001F4AF", "", "   ")],
         typing=["Hoeveel procent minder?"]),
]

# what a form may send when it is filled in right; none of these may go out on bad input
SENDING = re.compile(r"^/api/(changes|childcare/(correct|dispute|adopt|undo)|income/cautious|applications)$")


# -- the browser side ----------------------------------------------------------------------------------

class Session:
    def __init__(self, page):
        self.page = page
        self.page_errors: list[str] = []
        self.console: list[str] = []
        self.sent: list[str] = []

    def reset(self):
        self.page_errors.clear()
        self.console.clear()
        self.sent.clear()


server = module_server("bad_input")


@pytest.fixture(scope="module")
def sessions(browser, browser_context_args, server):
    made: dict[str, Session] = {}

    def get(key: str) -> Session:
        if key not in made:
            context = browser.new_context(**browser_context_args)
            page = context.new_page()
            s = Session(page)
            page.on("pageerror", lambda e: s.page_errors.append(str(e)))
            page.on("console", lambda m: s.console.append(f"{m.type}: {m.text}")
                    if m.type == "error" or (m.type == "warning" and m.text.startswith("preview:")) else None)

            def on_request(r):
                path = "/" + r.url.split("/", 3)[3].split("?")[0] if r.url.count("/") >= 3 else r.url
                if r.method != "GET" and SENDING.match(path):
                    s.sent.append(f"{r.method} {path} {r.post_data}")
            context.on("request", on_request)
            enrol(page, server, key)
            made[key] = s
        return made[key]

    yield get
    for s in made.values():
        s.page.context.close()


OUTBOX = """() => new Promise((res) => { const r = indexedDB.open('toeslagen');
    r.onsuccess = () => { const db = r.result;
        if (!db.objectStoreNames.contains('outbox')) { db.close(); res(0); return; }
        const q = db.transaction('outbox').objectStore('outbox').count();
        q.onsuccess = () => { db.close(); res(q.result); }; q.onerror = () => { db.close(); res(-1); }; };
    r.onerror = () => res(-1); })"""

FIELD_STATE = """(el) => { const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    const errs = ids.map((id) => document.getElementById(id))
      .filter((e) => e && e.classList.contains('app-error') && !e.hidden);
    return {invalid: el.getAttribute('aria-invalid'), errors: errs.map((e) => e.textContent),
            focused: document.activeElement === el}; }"""

RECORD = """() => { const seen = (window.__seen = []);
    const snap = () => {
        for (const p of document.querySelectorAll('.app-preview')) {
            const t = (p.dataset.state || '?') + '|' + p.innerText.trim();
            if (seen[seen.length - 1] !== t) seen.push(t);
        }
        for (const e of document.querySelectorAll('.app-error:not([hidden])')) {
            const t = 'field-error|' + e.textContent; if (!seen.includes(t)) seen.push(t);
        }
    };
    if (window.__obs) window.__obs.disconnect();
    window.__obs = new MutationObserver(snap);
    window.__obs.observe(document.querySelector('main'), {subtree: true, childList: true, characterData: true,
                                                          attributes: true, attributeFilter: ['data-state', 'hidden']});
    snap(); }"""

SETTLED = """() => { const p = document.querySelector('.app-preview');
    if (!p || p.dataset.state === 'loading') return false;
    const key = p.dataset.state + p.dataset.seq;
    if (window.__settle !== key) { window.__settle = key; window.__settleAt = performance.now(); return false; }
    return performance.now() - window.__settleAt > 250; }"""


def snapshot(page) -> dict:
    return {path: api_json(page, path) for path in ("/api/household", f"/api/history?year={YEAR}", "/api/overview")}


def open_form(page, server, form: Form) -> None:
    # through another route, so the form is always built anew (a hash that does not change renders nothing)
    go(page, server, "/meer")
    go(page, server, form.route)
    if form.before:
        form.before(page)


def fill_valid(page, form: Form) -> None:
    scope = page.locator(form.scope)
    if form.before:
        form.before(page)
    for label, value in form.valid:
        scope.get_by_label(label, exact=True).fill(value)


def submit(page, form: Form) -> None:
    button = page.locator(form.scope).get_by_role("button", name=form.submit, exact=True)
    if button.is_disabled():
        # the voorzichtig voorschot keeps its button disabled while the input is wrong: Enter in the
        # field submits the form the way a keyboard user would (and must not send anything either)
        page.keyboard.press("Enter")
    else:
        button.click()


def settle_field(page, field_, timeout: float = 1.0) -> dict:
    """The field's error state once it shows (the voorzichtig voorschot checks after a short pause)."""
    deadline = time.monotonic() + timeout
    while True:
        if not field_.count():
            return {"invalid": None, "errors": [], "focused": False}  # the form is gone (sent?)
        st = field_.evaluate(FIELD_STATE, timeout=2_000)
        if st["errors"] or time.monotonic() > deadline:
            return st
        page.wait_for_timeout(30)


def field_problems(st: dict, expect: str, scope) -> list[str]:
    if not st["errors"]:
        return [f"no error next to the field (form message: {scope.locator('.app-msg').inner_text().strip()!r})"]
    msg = st["errors"][0]
    out = []
    if st["invalid"] != "true":
        out.append(f"aria-invalid is {st['invalid']!r}")
    if not re.search(expect, msg):
        out.append(f"message {msg!r} does not say /{expect}/")
    if why := plain_dutch(msg):
        out.append(f"message {msg!r} is not plain Dutch ({why})")
    if not st["focused"]:
        out.append("the field with the error does not get the focus")
    return out


# -- 1. absurd values --------------------------------------------------------------------------------

@pytest.mark.parametrize("form", FORMS, ids=[f.id for f in FORMS])
def test_absurd_values_give_a_dutch_error_and_change_nothing(sessions, server, form):
    s = sessions(form.household)
    page = s.page
    open_form(page, server, form)
    s.reset()
    before = snapshot(page)
    events = server.query("SELECT count(*) FROM events")[0][0]
    outbox = page.evaluate(OUTBOX)
    problems: list[str] = []
    valid = dict(form.valid)
    fill_valid(page, form)
    for label, value, expect in form.cases:
        case = f"{form.id}: {label!r} = {value!r}"
        field_ = page.locator(form.scope).get_by_label(label, exact=True)
        field_.fill(value)
        submit(page, form)
        st = settle_field(page, field_)
        if s.sent:
            problems.append(f"{case}: sent {s.sent}")
            s.sent.clear()
        route = page.evaluate("() => document.body.dataset.route")
        if route != form.route:
            problems.append(f"{case}: left the form for {route}")
            open_form(page, server, form)
            fill_valid(page, form)
            continue
        problems += [f"{case}: {p}" for p in field_problems(st, expect, page.locator(form.scope))]
        field_.fill(valid.get(label, ""))  # the other fields still hold good values
    page.wait_for_timeout(300)  # anything queued would be on its way by now
    if (n := page.evaluate(OUTBOX)) != outbox:
        problems.append(f"{form.id}: {n - outbox} item(s) put in the outbox")
    if s.sent:
        problems.append(f"{form.id}: sent {s.sent}")
    after = snapshot(page)
    for path in before:
        if before[path] != after[path]:
            problems.append(f"{form.id}: GET {path} changed")
    if server.query("SELECT count(*) FROM events")[0][0] != events:
        problems.append(f"{form.id}: new events in the store")
    if s.page_errors or s.console:
        problems.append(f"{form.id}: page errors {s.page_errors}, console {s.console}")
    assert not problems, f"{len(problems)} of {len(form.cases)} cases:\n" + "\n".join(problems)


# -- 2. half-typed input -------------------------------------------------------------------------------

# key by key; "<BS>n" is n backspaces. Passes "1", "12", "12,", "", "-", "1e", "12.", " " and ends on a
# value the form takes, so the last state shows amounts.
KEYS = ["1", "2", ",", "5", "<BS>4", "-", "<BS>1", "1", "e", "<BS>2", "1", "2", ".", "<BS>3", " ", "<BS>1", "1", "2", ".", "5"]
HOURS = ["1", "2", ",", "<BS>3", "-", "<BS>1", "1", "e", "<BS>2", "1", "2", ".", "<BS>3", "1", "2", "0"]
PERCENT = ["1", "2", ",", "<BS>3", "-", "<BS>1", "1", "e", "<BS>2", "1", "2"]
# A date field is typed in segments whose order follows the browser's own locale; what it holds while
# the year is typed digit by digit is this (and empty while a segment is empty).
DATES = {"Geboortedatum": ["", "0002-04-15", "0020-04-15", "0202-04-15", "", f"{YEAR}-04-15"],
         "*": ["", "0002-12-31", "0020-12-31", "0202-12-31", f"{YEAR}-12-31", "", "0002-07-01", f"{YEAR}-07-01"]}

TYPING = [(f, label) for f in FORMS for label in f.typing]


def keys_for(label: str) -> list[str]:
    if "Uren" in label:
        return HOURS
    if "procent" in label:
        return PERCENT
    return KEYS


@pytest.mark.parametrize("form,label", TYPING, ids=[f"{f.id}-{re.sub(r'[^a-z]+', '_', l.lower()).strip('_')}" for f, l in TYPING])
def test_half_typed_input_never_breaks_the_preview(sessions, server, form, label):
    s = sessions(form.household)
    page = s.page
    open_form(page, server, form)
    fill_valid(page, form)
    field_ = page.locator(form.scope).get_by_label(label, exact=True)
    is_date = field_.get_attribute("type") == "date"
    page.evaluate(RECORD)
    s.reset()
    if is_date:
        for value in DATES.get(label, DATES["*"]):
            field_.fill(value)
            page.wait_for_timeout(15)
    else:
        field_.fill("")
        field_.focus()
        for k in keys_for(label):
            if k.startswith("<BS>"):
                for _ in range(int(k[4:])):
                    page.keyboard.press("Backspace")
            else:
                page.keyboard.type(k)
            page.wait_for_timeout(15)
    wait_until(page, SETTLED, timeout=15_000)
    seen: list[str] = page.evaluate("() => window.__seen")
    final = page.evaluate("() => { const p = document.querySelector('.app-preview'); "
                          "return {state: p.dataset.state, text: p.innerText}; }")
    problems: list[str] = []
    for entry in seen:
        kind, _, text = entry.partition("|")
        for t in BAD_TOKENS:
            if t in text:
                problems.append(f"{kind}: {t!r} in {text!r}")
        if kind == "ready":
            if "€" not in text and "verandert er niets" not in text:
                problems.append(f"ready without an amount: {text!r}")
        elif kind not in ("empty", "incomplete", "invalid", "loading", "field-error"):
            problems.append(f"unexpected preview state {kind!r}: {text!r}")
        else:
            body = text.split("\n", 1)[-1] if kind != "field-error" else text
            if why := plain_dutch(body):
                problems.append(f"{kind}: {body!r} is not plain Dutch ({why})")
    if final["state"] != "ready" or "€" not in final["text"]:
        problems.append(f"after a good value the preview shows no amount: {final}")
    if s.page_errors:
        problems.append(f"page errors: {s.page_errors}")
    if s.console:
        problems.append(f"console: {s.console}")
    if s.sent:
        problems.append(f"sent while typing: {s.sent}")
    assert not problems, f"{form.id} / {label}:\n" + "\n".join(problems) + "\nstates seen:\n" + "\n".join(seen)


# -- the checks above can see a change go out ----------------------------------------------------------

def test_a_good_value_is_sent_and_the_checks_see_it(sessions, server):
    """The control: the same checks that stay quiet above do see a good change being sent."""
    s = sessions("couple_three_children")
    page = s.page
    form = Form("control", "couple_three_children", "/wijzigen/inkomen", "Versturen", cases=[],
                valid=[(INCOME, "52.000,50"), ("Vanaf wanneer is het inkomen anders?", f"{YEAR}-06-01")])
    open_form(page, server, form)
    before = snapshot(page)
    s.reset()
    fill_valid(page, form)
    submit(page, form)
    wait_settled(page)
    assert [x.split(" ", 2)[:2] for x in s.sent] == [["POST", "/api/changes"]], s.sent
    assert '"income":5200050' in s.sent[0]
    assert page.evaluate(OUTBOX) == 0  # sent, so out of the outbox again
    after = snapshot(page)
    assert before["/api/household"] != after["/api/household"]
    assert before[f"/api/history?year={YEAR}"] != after[f"/api/history?year={YEAR}"]
    assert not s.page_errors and not s.console, (s.page_errors, s.console)
