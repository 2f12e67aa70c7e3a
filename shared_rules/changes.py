"""The change model, once for the server and the phone: a household's facts -> its situations, and a
change the parent describes -> new facts. So the preview on the phone, the server's preview and the
decision the server records all start from the same function (DESIGN.md: "changes are applied by
one function in shared_rules").

A household's *facts* (`household` below) are what the store keeps, as JSON:
  persons   [{id, role ("applicant"|"partner"|"child"|"co_resident"), birth_date, insured, works,
              treaty_country, co_resident_is_child, member_from, member_until}]   ordered as stored
  homes     [{valid_from, renting, rent, service_costs, ...address}]  ordered by valid_from, then as stored
  contracts [{id, child_id, kind, start_date, end_date}]
  terms     [{contract_id, valid_from, hours_per_month, hourly_rate}]  ordered by contract, valid_from, then as stored
  estimates [{person_id, year, income, assets}]                      ordered by year, then as stored
Extra keys are carried along untouched. Dates are ISO strings (they compare as text).

Functions:
  situation_on(household, day, year, month=None) -> situation (CONTRACT.md) on `day`
  timeline(household, year) -> [{"from", "situation"}]: segments from the first of a month (Awir art. 5)
  apply(household, change, new_ids=None, year=None) -> {"household": new facts, "writes": [...], "date": change date}
  with_finals(household, finals, year) -> facts with the final incomes of a past year
  preview_input(data) -> the input of shared_rules.preview
  preview_change(data) -> shared_rules.preview's answer for a change (bridge kind "change"), for this
      year or, with `year`, any open toeslag year (next year's, a past year's with its final incomes);
      with `later`, also each later open year the change still holds in (`carried_forward`)

A change that cannot be applied raises ChangeRefused (an InputError) with a plain Dutch message."""

from .errors import InputError
from .months import add_days, age_on, format_date, parse_date
from .params import available_years
from .version import rules_version
from .voorschot import HIGH_REPAYMENT
from .voorschot import preview as _preview

KINDS = ("income", "home", "address", "childcare", "partner", "child")
NEW_PERSON = "prs_~new"   # placeholder id of a person a change adds; sorts after every stored id


class ChangeRefused(InputError):
    """A change these facts do not allow. `message` is plain Dutch for the parent; `status` the HTTP
    status the API answers with (404: it names something the household does not have; 422: it
    contradicts the household's facts); `code` a stable name where the API has one."""

    def __init__(self, field, message, status=422, code=None):
        super().__init__(field, message)
        self.status = status
        self.code = code


# -- facts on a day ------------------------------------------------------------------------------

def _member_on(p, day):
    until = p.get("member_until")
    return p["member_from"] <= day and (until is None or day < until)


def members_on(household, day):
    return [p for p in household["persons"] if _member_on(p, day)]


def children_on(household, day):
    kids = [p for p in members_on(household, day) if p["role"] == "child"]
    kids.sort(key=lambda p: (p["birth_date"], p["id"]))   # ids are unique: a stable order anyway
    return kids


def estimate(household, person_id, year):
    """(income, assets) for the year: the latest estimate of that year, else of the latest earlier year."""
    best = None
    for e in household["estimates"]:
        if e["person_id"] == person_id and e["year"] <= year:
            best = e
    return (best["income"], best["assets"]) if best else (0, 0)


def home_on(household, day):
    current = None
    for h in household["homes"]:
        if h["valid_from"] <= day:
            current = h
    return current


def terms_on(household, contract_id, day):
    """The terms in force on `day`, else the contract's first terms."""
    current = first = None
    for t in household["terms"]:
        if t["contract_id"] != contract_id:
            continue
        if first is None:
            first = t
        if t["valid_from"] <= day:
            current = t
    return current or first


def contracts_on(household, day):
    return [c for c in household["contracts"]
            if c["start_date"] <= day and (c.get("end_date") is None or day <= c["end_date"])]


def _person(household, p, year):
    income, assets = estimate(household, p["id"], year)
    return {"birth_date": p["birth_date"], "income": income, "assets": assets, "insured": bool(p["insured"]),
            "treaty_country": p.get("treaty_country"), "works": bool(p["works"])}


def situation_on(household, day, year, month=None):
    """The situation (CONTRACT.md) as it stands on `day`, with the yearly figures of `year`."""
    members = members_on(household, day)
    applicant = partner = None
    co_residents = []
    for p in members:
        if p["role"] == "applicant" and applicant is None:
            applicant = p
        elif p["role"] == "partner" and partner is None:
            partner = p
        elif p["role"] == "co_resident":
            co_residents.append(p)
    if applicant is None:
        for p in household["persons"]:
            if p["role"] == "applicant":
                applicant = p
                break
    kids = children_on(household, day)
    home = home_on(household, day)
    situation = {
        "year": year,
        "applicant": _person(household, applicant, year),
        "partner": _person(household, partner, year) if partner else None,
        "children": [{"birth_date": k["birth_date"]} for k in kids],
        "home": None,
        "childcare": [],
    }
    if home is not None and home["renting"] and home["rent"] is not None:
        cos = []
        for c in co_residents:
            income, assets = estimate(household, c["id"], year)
            cos.append({"birth_date": c["birth_date"], "income": income, "assets": assets,
                        "child": bool(c.get("co_resident_is_child"))})
        situation["home"] = {
            "rent": home["rent"],
            "service_costs": home.get("service_costs") or 0,
            "persons": 1 + (1 if partner else 0) + len(kids) + len(co_residents),
            "co_residents": cos,
        }
    care = []
    for entry, _ in _care_on(household, day, kids):
        care.append(entry)
    situation["childcare"] = care
    if month is not None:
        situation["month"] = month
    return situation


def _month_from(day, year):
    """Awir art. 5 on an ISO date: the month of `year` (1-12) from which a fact that starts on `day`
    counts, 1 for a day before `year`, 13 for a day after it (months.effective_month, on text)."""
    y = int(day[0:4])
    if y < year:
        return 1
    if y > year:
        return 13
    m = int(day[5:7])
    return m if day[8:10] == "01" else m + 1


def _months(household, year):
    """The months of `year` in which the facts change (and January)."""
    months = {1}
    for p in household["persons"]:
        months.add(_month_from(p["member_from"], year))
        if p.get("member_until"):
            months.add(_month_from(p["member_until"], year))
    for h in household["homes"]:
        months.add(_month_from(h["valid_from"], year))
    for c in household["contracts"]:
        months.add(_month_from(c["start_date"], year))
        end = c.get("end_date")
        if end:
            # the contract stops after `end`: the day after it is a later day of the same month
            # or the 1st of the next one, and both count from the next month (Awir art. 5)
            y = int(end[0:4])
            months.add(1 if y < year else (13 if y > year else int(end[5:7]) + 1))
    for t in household["terms"]:
        months.add(_month_from(t["valid_from"], year))
    return [m for m in months if m <= 12]


def _care_on(household, day, kids):
    """(situation childcare entry, contract id) of the contracts that count on `day`, in the order of
    the situation's `childcare` list: by child, kind, hours and rate (equal keys are equal entries),
    the contract id last so the order is the same in CPython and MicroPython (unstable sort)."""
    index = {}
    for i in range(len(kids)):
        index[kids[i]["id"]] = i
    care = []
    for c in contracts_on(household, day):
        if c["child_id"] not in index:
            continue
        t = terms_on(household, c["id"], day)
        if t is None:
            continue
        entry = {"child": index[c["child_id"]], "kind": c["kind"], "hours": t["hours_per_month"],
                 "hourly_rate": t["hourly_rate"]}
        care.append(((entry["child"], entry["kind"], entry["hours"], entry["hourly_rate"], c["id"]), entry, c["id"]))
    care.sort(key=lambda x: x[0])
    out = []
    for _, entry, cid in care:
        out.append((entry, cid))
    return out


def contracts_in_order(household, day):
    """The contract ids behind the situation's `childcare` entries on `day` (same order): what the
    kinderopvangtoeslag `parts` of that month belong to."""
    out = []
    for _, cid in _care_on(household, day, children_on(household, day)):
        out.append(cid)
    return out


def timeline(household, year):
    """Segments of the year, each from the first of a month: a month's situation is the one on its
    first day (Awir art. 5). Consecutive equal situations are merged."""
    months = _months(household, year)
    months.sort()
    out = []
    for m in sorted(months):
        start = "%04d-%02d-01" % (year, m)
        sit = situation_on(household, start, year)
        if out and out[-1]["situation"] == sit:
            continue
        out.append({"from": start, "situation": sit})
    return out


# -- a change -> new facts ----------------------------------------------------------------------

def _get(change, key, default=None):
    v = change.get(key)
    return default if v is None else v


def _sorted_rows(rows, key):
    """`rows` ordered by `key(row)` and then by position (MicroPython's sort is not stable)."""
    indexed = [(key(rows[i]), i) for i in range(len(rows))]
    indexed.sort()
    return [rows[i] for _, i in indexed]


def with_writes(household, writes):
    """The facts after `writes` (what apply() returns; the API stores the same writes)."""
    out = {}
    for k in household:
        out[k] = household[k]
    for w in writes:
        op = w["op"]
        if op == "estimate":
            row = {"person_id": w["person_id"], "year": w["year"], "income": w["income"], "assets": w["assets"]}
            out["estimates"] = _sorted_rows(list(out["estimates"]) + [row], lambda e: e["year"])
        elif op == "home":
            out["homes"] = _sorted_rows(list(out["homes"]) + [w["home"]], lambda h: h["valid_from"])
        elif op == "terms":
            row = {"contract_id": w["contract_id"], "valid_from": w["valid_from"],
                   "hours_per_month": w["hours_per_month"], "hourly_rate": w["hourly_rate"]}
            out["terms"] = _sorted_rows(list(out["terms"]) + [row], lambda t: (t["contract_id"], t["valid_from"]))
        elif op == "end_contract":
            out["contracts"] = [_with(c, "end_date", w["end_date"]) if c["id"] == w["contract_id"] else c
                                for c in out["contracts"]]
        elif op == "person":
            out["persons"] = _sorted_rows(list(out["persons"]) + [w["person"]],
                                          lambda p: (p["member_from"], p["birth_date"], p["id"]))
        elif op == "end_membership":
            out["persons"] = [_with(p, "member_until", w["until"]) if p["id"] == w["person_id"] else p
                              for p in out["persons"]]
        else:
            raise InputError("writes", "unknown op " + op)
    return out


def _with(row, key, value):
    out = {}
    for k in row:
        out[k] = row[k]
    out[key] = value
    return out


def _income(household, change, day, year, new_ids):
    role = _get(change, "person", "applicant")
    person = None
    for p in members_on(household, day):
        if p["role"] == role:
            person = p
            break
    if person is None:
        raise ChangeRefused("change.person", "Je hebt op deze datum geen toeslagpartner.")
    assets = change.get("assets")
    if assets is None:
        assets = estimate(household, person["id"], year)[1]
    return [{"op": "estimate", "person_id": person["id"], "year": year, "income": change["income"],
             "assets": assets}]


def _home(household, change, day, year, new_ids):
    home = home_on(household, day)
    if home is None:
        raise ChangeRefused("change.kind", "We kennen je woning nog niet. Geef eerst je adres door.")
    row = _with(home, "valid_from", day)
    row["renting"] = True
    row["rent"] = change["rent"]
    row["service_costs"] = _get(change, "service_costs", 0)
    return [{"op": "home", "home": row}]


def _postcode(text):
    pc = text.upper().replace(" ", "")
    return pc[:4] + " " + pc[4:]


def _address(household, change, day, year, new_ids):
    renting = _get(change, "renting", True)
    if renting and change.get("rent") is None:
        raise ChangeRefused("change.rent", "Vul de kale huur per maand in.")
    a = change["address"]
    return [{"op": "home", "home": {
        "valid_from": day, "street": a["street"], "house_number": a["house_number"],
        "postcode": _postcode(a["postcode"]), "city": a["city"], "renting": renting,
        "rent": change["rent"] if renting else None,
        "service_costs": _get(change, "service_costs", 0) if renting else 0}}]


def _childcare(household, change, day, year, new_ids):
    contract = None
    for c in household["contracts"]:
        if c["id"] == change.get("contract_id"):
            contract = c
    if contract is None:
        raise ChangeRefused("change.contract_id", "Dit opvangcontract hebben we niet gevonden.", 404)
    if change.get("ends"):
        if day <= contract["start_date"]:
            raise ChangeRefused("change.date", "De einddatum ligt voor het begin van de opvang.")
        return [{"op": "end_contract", "contract_id": contract["id"],
                 "end_date": format_date(add_days(parse_date(day, "change.date"), -1))}]
    hours = change.get("hours_per_month")
    rate = change.get("hourly_rate")
    if hours is None and rate is None:
        raise ChangeRefused("change.hours_per_month", "Vul het aantal uren per maand of de uurprijs in.")
    start = day if day > contract["start_date"] else contract["start_date"]
    current = terms_on(household, contract["id"], day)
    writes = [{"op": "terms", "contract_id": contract["id"], "valid_from": start,
               "hours_per_month": current["hours_per_month"] if hours is None else hours,
               "hourly_rate": current["hourly_rate"] if rate is None else rate}]
    # The parent tells what holds from `day` on: terms that start later (an adoption of reported
    # hours, its undo, an earlier change) get the new figures too, else they would overrule the
    # change from their month on and the decision would differ from what the parent said.
    later = []
    for t in household["terms"]:
        if t["contract_id"] == contract["id"] and t["valid_from"] > start and t["valid_from"] not in later:
            later.append(t["valid_from"])
    later.sort()
    for valid_from in later:
        t = terms_on(household, contract["id"], valid_from)
        writes.append({"op": "terms", "contract_id": contract["id"], "valid_from": valid_from,
                       "hours_per_month": t["hours_per_month"] if hours is None else hours,
                       "hourly_rate": t["hourly_rate"] if rate is None else rate})
    return writes


def _partner(household, change, day, year, new_ids):
    partner = None
    for p in members_on(household, day):
        if p["role"] == "partner":
            partner = p
            break
    if change["action"] == "moves_in":
        new = change.get("partner")
        if new is None:
            raise ChangeRefused("change.partner", "Vul de gegevens van je toeslagpartner in.")
        if partner is not None:
            raise ChangeRefused("change.action", "Je hebt al een toeslagpartner.", 422, "partner-exists")
        pid = (new_ids or {}).get("partner", NEW_PERSON)
        return [{"op": "person", "person": {
                    "id": pid, "role": "partner", "given_name": new["given_name"], "birth_date": new["birth_date"],
                    "insured": _get(new, "insured", True), "works": _get(new, "works", True),
                    "treaty_country": None, "co_resident_is_child": False, "member_from": day, "member_until": None}},
                {"op": "estimate", "person_id": pid, "year": year, "income": new["income"],
                 "assets": _get(new, "assets", 0)}]
    if partner is None:
        raise ChangeRefused("change.action", "Je hebt op deze datum geen toeslagpartner.")
    return [{"op": "end_membership", "person_id": partner["id"], "until": day}]


def _child(household, change, day, year, new_ids):
    action = change["action"]
    if action in ("born", "moves_in"):
        new = change.get("child")
        if new is None:
            raise ChangeRefused("change.child", "Vul de gegevens van het kind in.")
        birth = parse_date(new["birth_date"], "change.child.birth_date")
        if action == "born" and new["birth_date"] != day:
            raise ChangeRefused("change.child.birth_date", "Bij een geboorte is de datum de geboortedatum.")
        if age_on(birth, parse_date(day, "change.date")) >= 18:
            raise ChangeRefused("change.child.birth_date", "Dit kind is 18 jaar of ouder.")
        pid = (new_ids or {}).get("child", NEW_PERSON)
        return [{"op": "person", "person": {
            "id": pid, "role": "child", "given_name": new["given_name"], "birth_date": new["birth_date"],
            "insured": True, "works": True, "treaty_country": None, "co_resident_is_child": False,
            "member_from": day, "member_until": None}}]
    child_id = change.get("child_id")
    if child_id is None:
        raise ChangeRefused("change.child_id", "Kies het kind dat het huis uit gaat.")
    for p in members_on(household, day):
        if p["role"] == "child" and p["id"] == child_id:
            return [{"op": "end_membership", "person_id": child_id, "until": day}]
    raise ChangeRefused("change.child_id", "Dit kind hebben we niet gevonden.", 404)


_APPLY = {"income": _income, "home": _home, "address": _address, "childcare": _childcare,
          "partner": _partner, "child": _child}


def apply(household, change, new_ids=None, year=None):
    """The facts after `change` (the body of POST /api/changes: {"kind", "date", ...}, dates as
    YYYY-MM-DD). Returns {"household": new facts, "writes": what to store, "date": the change's date}.
    `new_ids` ({"partner": id} or {"child": id}) names a person the change adds (the API's new id);
    without it the person gets NEW_PERSON. `year`: the toeslag year the change is for when that is not
    the year of its date (dated in December for next year): the estimates it writes are that year's."""
    if type(change) is not dict:
        raise InputError("change", "must be an object")
    kind = change.get("kind")
    if kind not in _APPLY:
        raise ChangeRefused("change.kind", "Dit soort wijziging kennen we niet.")
    day = format_date(parse_date(change.get("date"), "change.date"))
    writes = _APPLY[kind](household, change, day, int(day[0:4]), new_ids)
    if year is not None and year != int(day[0:4]):
        writes = [_with(w, "year", year) if w["op"] == "estimate" else w for w in writes]
    return {"household": with_writes(household, writes), "writes": writes, "date": day}


def with_finals(household, finals, year):
    """The facts with each person's final income of `year` ({person_id: cents}) as the last, so
    winning, estimate of that year: the definitieve berekening uses the final toetsingsinkomen (Awir
    art. 19), not the estimate, also after a change of the estimate."""
    if not finals:
        return household
    ests = list(household["estimates"])
    for pid in sorted(finals):
        ests.append({"person_id": pid, "year": year, "income": finals[pid],
                     "assets": estimate(household, pid, year)[1]})
    return _with(household, "estimates", _sorted_rows(ests, lambda e: e["year"]))


# -- the preview of a change --------------------------------------------------------------------

_INPUT_KEYS = ("today", "household", "paid", "cautious", "change", "year", "finals", "later")
_LATER_KEYS = ("year", "paid", "cautious")


def _year_of(data):
    """The toeslag year of the preview: `year` when given (an open year the API allowed), else the
    year of `today`."""
    year = data.get("year")
    if year is None:
        return parse_date(data["today"], "today")[0]
    if type(year) is not int or year < 2000 or year > 2100:
        raise InputError("year", "must be a year from 2000 to 2100")
    return year


def _finals(data):
    given = data.get("finals")
    if given is None:
        return {}
    if type(given) is not dict:
        raise InputError("finals", "must be an object")
    for pid in given:
        v = given[pid]
        if type(v) is not int or v < 0:
            raise InputError("finals." + pid, "must be a whole number of cents 0 or more")
    return given


def preview_input(data):
    """{today, household, paid?, cautious?, change?, year?, finals?} -> the input of
    shared_rules.preview: the timeline of the facts of `year` now and, with a change, the timeline of
    the facts after it. `finals` ({person_id: cents}): the final incomes of a past year, which stay the
    figure of the year whatever the change."""
    if type(data) is not dict:
        raise InputError("input", "must be an object")
    for k in data:
        if k not in _INPUT_KEYS:
            raise InputError(k, "unknown key")
    if "today" not in data:
        raise InputError("today", "missing")
    if type(data.get("household")) is not dict:
        raise InputError("household", "must be an object")
    parse_date(data["today"], "today")
    year = _year_of(data)
    finals = _finals(data)
    household = data["household"]
    try:
        out = {"today": data["today"], "timeline": timeline(with_finals(household, finals, year), year)}
        if data.get("paid") is not None:
            out["paid"] = data["paid"]
        if data.get("cautious"):
            out["cautious"] = data["cautious"]
        if data.get("change") is not None:
            applied = apply(with_finals(household, finals, year), data["change"], None, year)
            after = with_finals(applied["household"], finals, year)
            out["change"] = {"date": applied["date"], "timeline": timeline(after, year)}
    except InputError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as e:   # facts not in the shape above
        raise InputError("household", "incomplete facts (" + type(e).__name__ + ")") from e
    return out


def provisional_note(year):
    """What a provisional result says about its source when it has no source of its own."""
    return "Voorlopige bedragen voor %d; de definitieve bedragen volgen." % year


def no_parameters(inp, year):
    """The shape of shared_rules.preview for a year without any parameter file: every toeslag
    `computed: false`, `no_parameters` ("nog niet bekend"); its zeros are never an amount to show."""
    paid = inp.get("paid") or {}
    out = {}
    for t in HIGH_REPAYMENT:
        zero = {"computed": False, "entitled": False, "per_year": 0, "per_month": 0, "months": [0] * 12,
                "reasons": ["no_parameters"], "steps": []}
        row = paid.get(t)
        out[t] = {"computed": False, "provisional": False, "before": zero, "after": _with(zero, "steps", []),
                  "paid": list(row) if row else [None] * 12, "voorschot": [0] * 12, "new_monthly": 0,
                  "due": [0] * 12, "difference_per_month": [0] * 12, "past_months": 0, "repayment": 0,
                  "settlement": 0, "settlement_unchanged": 0, "hoge_terugvordering": False,
                  "hoge_terugvordering_unchanged": False, "threshold": HIGH_REPAYMENT[t]}
    return {"year": year, "today": inp["today"], "effective_month": 1, "toeslagen": out, "warnings": []}


def preview_year(inp, year):
    """shared_rules.preview of `inp` (a preview_input answer) for toeslag `year`; a year without any
    parameter file gives no_parameters. Each provisional toeslag names its source."""
    if year not in available_years():
        return no_parameters(inp, year)
    result = _preview(inp)
    for t in result["toeslagen"]:
        r = result["toeslagen"][t]
        if r.get("provisional") and not r.get("source"):
            r["source"] = provisional_note(year)
    return result


def _later(data, year):
    """`later`: [{year, paid, cautious?}] of the open years after `year` (the `rules_input` of each,
    without its facts): the years a change may still hold in."""
    given = data.get("later")
    if given is None:
        return []
    if type(given) is not list:
        raise InputError("later", "must be a list")
    for i in range(len(given)):
        x = given[i]
        field = "later.%d" % i
        if type(x) is not dict:
            raise InputError(field, "must be an object")
        for k in x:
            if k not in _LATER_KEYS:
                raise InputError(field + "." + k, "unknown key")
        y = x.get("year")
        if type(y) is not int or y <= year or y > 2100:
            raise InputError(field + ".year", "must be a year after %d" % year)
    return given


def carried_forward(data, year):
    """The change carried into each later open year (`later`) whose timeline it alters: that year's
    preview, the facts before the change against the facts after it, from 1 January of that year
    (the partner who moved in on 1 December still lives here in January; next year's estimate is this
    year's carried forward). A year the change does not alter (it has an estimate of its own, the fact
    ended before it) is left out. The API records the same as `change.carried_forward` decisions.
    The facts are the household's own, without a past year's final incomes (those are of that year)."""
    later = _later(data, year)
    if not later or data.get("change") is None:
        return []
    household = data["household"]
    after = apply(household, data["change"], None, year)["household"]
    out = []
    for x in later:
        y = x["year"]
        before_tl = timeline(household, y)
        after_tl = timeline(after, y)
        if before_tl == after_tl:
            continue
        inp = {"today": data["today"], "timeline": before_tl,
               "change": {"date": "%04d-01-01" % y, "timeline": after_tl}}
        if x.get("paid") is not None:
            inp["paid"] = x["paid"]
        if x.get("cautious"):
            inp["cautious"] = x["cautious"]
        out.append(preview_year(inp, y))
    return out


def preview_change(data):
    """shared_rules.preview for `data` (see preview_input): one call for the phone's preview, for any
    open toeslag year; `carried_forward`: the previews of the later open years the change still holds
    in (see carried_forward)."""
    inp = preview_input(data)
    year = _year_of(data)
    result = preview_year(inp, year)
    try:
        carried = carried_forward(data, year)
    except InputError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as e:   # facts not in the shape above
        raise InputError("household", "incomplete facts (" + type(e).__name__ + ")") from e
    version = rules_version()
    for r in carried:
        r["rules_version"] = version
    result["carried_forward"] = carried
    result["rules_version"] = version
    return result
