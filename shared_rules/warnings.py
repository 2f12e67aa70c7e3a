"""Warnings where the risk is: vermogen above or near a limit, and a toeslagpartner who moves in or
out. The preview returns them (PREVIEW.md, `warnings`), so the phone and the server say the same.

Each warning: {"code", "toeslag" (or None for the whole household), "level" ("warning" / "info"),
"text" (B1 Dutch), "law", and the amounts it names: "assets", "limit", "amount" (euro cents)}.
The list has a fixed order: assets first (toeslagen in NAMES order), then partner warnings."""

from .explain import euro, euro_whole
from .params import for_year, section
from .situation import Home, Person, Situation

# Not law: from this share of a limit on, vermogen counts as "near the limit" (per 100). A parent
# with EUR 75,000 against EUR 76,958 must hear it before 1 January, not after.
NEAR_PCT = 90

NAMES_NL = {"zorgtoeslag": "zorgtoeslag", "huurtoeslag": "huurtoeslag",
            "kindgebonden_budget": "kindgebonden budget", "kinderopvangtoeslag": "kinderopvangtoeslag"}
TITLES_NL = {"zorgtoeslag": "Zorgtoeslag", "huurtoeslag": "Huurtoeslag",
             "kindgebonden_budget": "Kindgebonden budget", "kinderopvangtoeslag": "Kinderopvangtoeslag"}

# The vermogen test of each toeslag that has one: (params section, key single, key with partner, law).
# Kinderopvangtoeslag has no vermogen test.
_ASSET_TESTS = (
    ("zorgtoeslag", "ZORGTOESLAG", "asset_limit_single", "asset_limit_partner", "Wzt art. 3 lid 1"),
    ("huurtoeslag", "HUURTOESLAG", "asset_limit_person", "asset_limit_partner", "Awir art. 7 lid 3"),
    ("kindgebonden_budget", "KINDGEBONDEN_BUDGET", "asset_limit_single", "asset_limit_partner",
     "Wkb art. 1 lid 4"),
)

MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december")

_LOST_BECAUSE = {
    "income_above_limit": "het inkomen is dan te hoog",
    "assets_above_limit": "het vermogen is dan te hoog",
}


def _copy(obj, cls):
    c = cls()
    for name in cls.__slots__:
        if name[0] != "_":
            setattr(c, name, getattr(obj, name))
    return c


def without_assets(s):
    """`s` with no vermogen for anyone: what a toeslag would be without its vermogen test."""
    out = _copy(s, Situation)
    out.applicant = _copy(s.applicant, Person)
    out.applicant.assets = 0
    if s.partner is not None:
        out.partner = _copy(s.partner, Person)
        out.partner.assets = 0
    if s.home is not None:
        out.home = _copy(s.home, Home)
        residents = []
        for c in s.home.co_residents:
            r = _copy(c, Person)
            r.assets = 0
            residents.append(r)
        out.home.co_residents = residents
    return out


def assets(months, results, year, recompute):
    """Vermogen warnings for the year whose 12 monthly situations are `months` and whose amounts per
    toeslag are `results` ({name: {"per_year", "reasons", ...}}). `recompute(name, months)` gives a
    toeslag's year over other situations (used for the amount a limit costs)."""
    out = []
    p_year = for_year(year)
    s = months[11]                      # vermogen is a yearly figure: the same in every month
    with_partner = s.partner is not None
    total = s.applicant.assets + (s.partner.assets if with_partner else 0)
    free = None
    for name, sec, single_key, partner_key, law in _ASSET_TESTS:
        p = section(p_year, sec)
        if p is None or name not in results or single_key not in p or partner_key not in p:
            continue                    # no figures (or no vermogen test) for this toeslag that year
        r = results[name]
        limit = p[partner_key if with_partner else single_key] * 100
        together = " (samen met je toeslagpartner)" if with_partner else ""
        if "assets_above_limit" in r["reasons"]:
            if free is None:
                copies = {}
                free = []
                for m in months:
                    if id(m) not in copies:
                        copies[id(m)] = without_assets(m)
                    free.append(copies[id(m)])
            stake = recompute(name, free)["per_year"] - r["per_year"]
            if stake <= 0:
                continue
            if total > limit:
                text = ("Met %s vermogen op 1 januari heb je het hele jaar geen recht op %s. De grens is "
                        "%s%s. Daardoor krijg je in %d %s niet." % (
                            euro_whole(total), NAMES_NL[name], euro_whole(limit), together, year,
                            euro_whole(stake)))
            else:
                text = ("Iemand die bij je woont heeft meer dan %s vermogen op 1 januari. Dan heb je het "
                        "hele jaar geen recht op %s. Daardoor krijg je in %d %s niet." % (
                            euro_whole(p["asset_limit_person"] * 100), NAMES_NL[name], year,
                            euro_whole(stake)))
            out.append({"code": "assets_above_limit", "toeslag": name, "level": "warning", "text": text,
                        "law": law, "assets": total, "limit": limit, "amount": stake})
        elif r["per_year"] > 0 and total * 100 >= limit * NEAR_PCT:
            text = ("Je vermogen op 1 januari (%s) is dicht bij de grens voor %s: %s%s. Is je vermogen "
                    "op 1 januari hoger dan de grens, dan krijg je dat hele jaar geen %s. In %d gaat "
                    "het om %s." % (euro_whole(total), NAMES_NL[name], euro_whole(limit), together,
                                     NAMES_NL[name], year, euro_whole(r["per_year"])))
            out.append({"code": "assets_near_limit", "toeslag": name, "level": "info", "text": text,
                        "law": law, "assets": total, "limit": limit, "amount": r["per_year"]})
    return out


def partner(before_s, after_s, before, after, month, year, recompute, before_word="nu"):
    """Warnings when the toeslagpartner changes in `month` (1-12): what the partner's income and
    vermogen do to each toeslag, from that month's amounts before and after. `recompute` (as in
    assets()) gives the reason a toeslag stops: the year's reasons are empty while earlier months
    still had an amount. `before_word` names the amount without the change: "nu" in a preview (the
    change is not sent yet), "was" on the overview (the change is in the year already)."""
    had = before_s.partner is not None
    has = after_s.partner is not None
    if had == has:
        return []
    month_nl = "%s %d" % (MONTH_NAMES[month - 1], year)
    out = []
    if has:
        p = after_s.partner
        out.append({"code": "partner_moves_in", "toeslag": None, "level": "warning",
                    "text": ("Vanaf %s is je partner je toeslagpartner. Dan tellen zijn of haar inkomen "
                             "(%s in %d) en vermogen (%s) mee voor al je toeslagen. Jullie inkomen "
                             "samen is %s." % (month_nl, euro_whole(p.income), year, euro_whole(p.assets),
                                               euro_whole(after_s.applicant.income + p.income))),
                    "law": "Awir art. 3 en 8", "assets": p.assets, "limit": 0, "amount": p.income})
        out.append({"code": "partner_same_application", "toeslag": None, "level": "info",
                    "text": ("Je toeslagpartner moet in dezelfde aanvraag staan als jij: jullie hebben "
                             "samen één aanvraag per toeslag. Heeft je partner zelf al toeslagen? Die "
                             "moeten dan stoppen: geef dat ook door."),
                    "law": "Awir art. 3", "assets": 0, "limit": 0, "amount": 0})
    else:
        out.append({"code": "partner_moves_out", "toeslag": None, "level": "warning",
                    "text": ("Vanaf %s is je partner niet meer je toeslagpartner. Dan tellen alleen jouw "
                             "inkomen en vermogen mee. Je ex-partner vraagt zelf toeslagen aan als "
                             "hij of zij daar recht op heeft." % month_nl),
                    "law": "Awir art. 3", "assets": 0, "limit": 0, "amount": 0})
    i = month - 1
    for name in ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag"):
        if name not in before or name not in after:
            continue
        old = before[name]["months"][i]
        new = after[name]["months"][i]
        if old == new:
            continue
        if new == 0:
            why = ""
            for code in recompute(name, [after_s] * 12)["reasons"]:
                if code in _LOST_BECAUSE:
                    why = ": " + _LOST_BECAUSE[code]
                    break
            text = "%s: vanaf %s geen recht meer%s (%s %s per maand)." % (
                TITLES_NL[name], month_nl, why, before_word, euro(old))
        else:
            text = "%s: vanaf %s %s per maand (%s %s)." % (TITLES_NL[name], month_nl, euro(new), before_word,
                                                          euro(old))
        out.append({"code": "partner_effect", "toeslag": name, "level": "info", "text": text,
                    "law": "Awir art. 3 en 8", "assets": 0, "limit": 0, "amount": new - old})
    return out
