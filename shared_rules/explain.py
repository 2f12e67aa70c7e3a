"""Steps that explain an amount: each one amount, one plain Dutch (B1) sentence and the article of
law it rests on, so the app can answer "Hoe komt dit bedrag?"."""


def euro(cents):
    """4123456 -> '€ 41.234,56' (Dutch notation)."""
    if cents < 0:
        return "-" + euro(-cents)
    whole, rest = divmod(cents, 100)
    if whole < 1000:
        return "€ %d,%02d" % (whole, rest)
    if whole < 1000000:
        return "€ %d.%03d,%02d" % (whole // 1000, whole % 1000, rest)
    groups = []
    while whole >= 1000:
        whole, group = divmod(whole, 1000)
        groups.append("%03d" % group)
    groups.append(str(whole))
    groups.reverse()
    return "€ " + ".".join(groups) + ",%02d" % rest


def euro_whole(cents):
    """Whole euros without ',00': 2119 00 -> '€ 2.119' (with cents when there are any)."""
    if cents % 100 or cents < 0 or cents >= 100000000:
        text = euro(cents)
        return text[:-3] if text.endswith(",00") else text
    whole = cents // 100      # the common case, formatted directly: steps format many of these
    if whole < 1000:
        return "€ %d" % whole
    return "€ %d.%03d" % (whole // 1000, whole % 1000)


def percent(value, scale):
    """1912 per 100000 -> '1,912%'; trailing zeros dropped."""
    whole = value * 100 // scale
    rest = value * 100 % scale
    if rest == 0:
        return "%d%%" % whole
    digits = ""
    while rest and len(digits) < 6:
        rest *= 10
        digits += str(rest // scale)
        rest = rest % scale
    return "%d,%s%%" % (whole, digits)


def step(steps, text, amount, law, source=None):
    """`source`: where the parameter values this step uses come from (params SOURCES), when it uses
    any; the step then carries it as "source" beside the article of law."""
    if steps is not None:
        entry = {"text": text, "amount": amount, "law": law}
        if source:
            entry["source"] = source
        steps.append(entry)
