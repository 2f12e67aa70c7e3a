"""The agency's rule for a betalingsregeling (payment arrangement) of a terugvordering.

Source (Dienst Toeslagen via belastingdienst.nl, "Ik moet toeslag terugbetalen",
https://www.belastingdienst.nl/wps/wcm/connect/bldcontentnl/belastingdienst/prive/toeslagen/informatie_over_toeslagen/hoe_werken_toeslagen/toeslag_terugbetalen/):
"Kunt u niet in 1 keer terugbetalen? Dan is een betalingsregeling mogelijk. U moet het bedrag dan binnen
24 maanden terugbetalen." and "Hebt u een betalingsregeling, maar kunt u het bedrag per maand niet (meer)
betalen? In uitzonderlijke gevallen mag u een lager maandbedrag betalen. Vraag hiervoor een persoonlijke
betalingsregeling aan." The agency's own report in the seed (Stand van de uitvoering 2023) names the
line of a *hoge* terugvordering (EUR 500, EUR 1,000 for kinderopvangtoeslag; in shared_rules as the
preview's `threshold`) but no term of a regeling; the 24 months come from the page above. Pure: no
reads, no writes."""

from __future__ import annotations

STANDARD_MONTHS = 24  # the standard betalingsregeling: the whole amount within 24 monthly terms (source above)

KINDS = ("standaard", "persoonlijk")


def standard_monthly(repayment: int) -> int:
    """The monthly term of the standard regeling for a repayment of `repayment` cents (> 0): the amount
    over 24 months, rounded up to the cent so that 24 terms pay it all (the last term is then the
    smaller one). Integer cents, no floats."""
    if repayment <= 0:
        raise ValueError("a betalingsregeling is for a repayment (> 0 cents)")
    return -(-repayment // STANDARD_MONTHS)
