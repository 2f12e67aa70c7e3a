"""Slips a parent noticed in the app's Dutch (issue 14), as checks over any text the app produces:
API messages and summaries, shared_rules steps and warnings, and what the PWA shows on a screen.
Used by tests/api/test_dutch.py and tests/e2e/test_phone_ergonomics.py."""

from __future__ import annotations

import re

# Words that are never Dutch here, and leaks of code into text.
_ENGLISH = ("the", "and", "with", "from", "amount", "monthly", "yearly", "income", "rent", "error",
            "undefined", "NaN", "null", "None", "true", "false", "object")
_CHECKS = (
    # within one line; "je je" is Dutch ("Weet je je inkomen?": subject and possessive)
    (re.compile(r"\b(?!je\b)(\w{2,})[^\S\n]+\1\b", re.IGNORECASE | re.UNICODE), "a word twice"),
    (re.compile(r"Huishouden:\s*Huishouden"), "Huishouden: Huishouden"),
    (re.compile(r"\b(" + "|".join(_ENGLISH) + r")\b"), "an English word or a code value"),
    (re.compile(r"\b[a-z]+_[a-z_]+\b"), "a code name (snake_case)"),
    (re.compile(r"[^\S\n]{2,}"), "two spaces"),
    (re.compile(r"\s[.,;:!?](\s|$)"), "a space before a punctuation mark"),
    (re.compile(r"[.,;:]{2}(?!\.)|,\."), "two punctuation marks"),
    (re.compile(r"€\s*-?\s*(NaN|undefined|Infinity)"), "a broken amount"),
    # a subordinate clause keeps its finite verb last: "dat Mila ... bij je komt wonen"
    (re.compile(r"\bdat\b[^.]*\b(komt|gaat) bij je wonen\b"), "word order: 'bij je komt wonen'"),
    (re.compile(r"gaat niet meer bij je wonen"), "'woont niet meer bij je'"),
    (re.compile(r"\bzelfde uur\b"), "'zelfde uur' (no hours given)"),
    # the verb after je/jij/hij/het takes -t: "je krijgt", not "je krijg"
    (re.compile(r"\b([Jj]e|[Jj]ij|[Hh]ij|[Zz]ij|[Hh]et) (krijg|betaal|word|vind|hoef|woon|verdien)\b"),
     "a missing -t"),
)


def slips(text: str) -> list[str]:
    """Every slip in `text`, as "what: ...the words...". Empty when the text reads right."""
    out = []
    for pattern, what in _CHECKS:
        for m in pattern.finditer(text):
            start = max(0, m.start() - 30)
            out.append(f"{what}: …{text[start:m.end() + 30]}…")
    return out
