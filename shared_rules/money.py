"""Money and rounding. Amounts are integer euro cents; an amount that is not whole yet is a
fraction (numerator, denominator) of cents with a positive denominator. Percentages and factors are
integers with an explicit scale (1.912 % -> 1912 per PCT_SCALE). Every rounding rule of the
toeslagen lives here, named after the rule it implements. No floats."""

PCT_SCALE = 100000      # percentages: 1.912 % == 1912 / 100000
FACTOR_SCALE = 10000    # woonlandfactor: 0.8165 == 8165 / 10000
KOT_PCT_SCALE = 1000    # kinderopvangtoeslag table: 93.9 % == 939 / 1000

MINIMUM_PER_YEAR = 2400  # Awir art. 14 lid 5: under EUR 24 a year no toeslag is granted


def euros(amount):
    """Whole euros from the parameter files to cents."""
    return amount * 100


def round_half_up_to_euro(num, den):
    """Awir art. 14 lid 4: 'rekenkundig afgerond op hele euro's' -> cents, whole euros.
    Only for amounts >= 0 (a toeslag is never negative)."""
    return ((2 * num + 100 * den) // (200 * den)) * 100


def floor_to_euro(num, den):
    """Monthly payment: whole euros, rounded down (Dienst practice; reproduces the published
    tables and worked examples)."""
    return (num // (100 * den)) * 100


def round_half_up_to_cent(num, den):
    """Only for showing an intermediate amount in a step; never used to compute with."""
    return (2 * num + den) // (2 * den)


def apply_minimum(per_year):
    """Awir art. 14 lid 5, applied after rounding (reproduces the published income limits)."""
    if per_year < MINIMUM_PER_YEAR:
        return 0
    return per_year


def monthly_from_rounded_year(num, den):
    """Zorgtoeslag: floor(round_half_up(yearly) / 12), whole euros (published tables)."""
    return (round_half_up_to_euro(num, den) // 1200) * 100


def monthly_from_exact_year(num, den):
    """Kindgebonden budget: floor(yearly / 12) of the unrounded yearly amount, whole euros
    (official 2026 examples: EUR 5,975.94 a year gives 497, not 498)."""
    return floor_to_euro(num, den * 12)


def lowered_voorschot(amount, percentage):
    """A voorschot the household chose to lower by `percentage` % (voorzichtig voorschot, a choice
    the household makes, not law): whole euros, rounded down like every monthly payment."""
    return floor_to_euro(amount * (100 - percentage), 100)
