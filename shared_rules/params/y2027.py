"""Toeslagjaar 2027, as far as published on 7 December 2026. Every value here is PROVISIONAL: it
comes from the SZW-begroting 2027 (Kamerstukken II 2026/27, 37 020 XV, nr. 2, Prinsjesdag
15 September 2026), not from the final Regelingen. Results carry `provisional: true`.

- Zorgtoeslag and huurtoeslag: no section, so they answer `no_parameters` (no standaardpremie,
  normpremie percentages, ijkpunten or grenzen are published; only the huurtoeslag basishuur
  reduction of EUR 47.57 is fixed in law, Wet verlaging eigen bijdrage huurtoeslag art. 1, which
  alone cannot give an amount).
- Kinderopvangtoeslag: only the first-child column of the table is known; `next` is None, so a
  household with more than one child in care answers `no_parameters` (kinderopvangtoeslag.py).

Adding the final figures is a change to this file (values, SOURCES status "final") plus tests."""

from .entries import final, provisional, section

YEAR = 2027

_BEGROTING = ("SZW-begroting 2027, Kamerstukken II 2026/27, 37 020 XV, nr. 2 (Prinsjesdag 15 september 2026), "
              "via een secundaire bron; voorlopig tot de definitieve regeling")

# Each toeslag's parameters: a value with its source, unit and status (params/entries.py);
# section() keeps the values here and the (source, unit, status) in SOURCES.
SOURCES = {}

KINDGEBONDEN_BUDGET = section(SOURCES, "KINDGEBONDEN_BUDGET", {
    "per_child": provisional(2653, _BEGROTING + "; Wkb art. 2 lid 2", "EUR per jaar per kind"),
    "alo_kop": provisional(3505, _BEGROTING + "; Wkb art. 2 lid 2", "EUR per jaar"),
    "supplement_12_15": provisional(729, _BEGROTING + "; Wkb art. 2 lid 4", "EUR per jaar per kind"),
    "supplement_16_17": provisional(976, _BEGROTING + "; Wkb art. 2 lid 5", "EUR per jaar per kind"),
    "drempel_single": provisional(30910, _BEGROTING + "; Wkb art. 2 lid 6", "EUR per jaar"),
    "drempel_partner": provisional(40560, _BEGROTING + "; Wkb art. 2 lid 6", "EUR per jaar"),
    "afbouw": provisional(8050, _BEGROTING + "; Belastingplan 2025 (8,05% voor 2027)", "per 100000"),
    # EUR: above it the second taper percentage applies (new in 2027)
    "knikpunt": provisional(61917, _BEGROTING + "; Nota van wijziging Kamerstukken 36 923, nr. 5 (EUR 57.950 in prijzen 2024)",
                            "EUR per jaar"),
    "afbouw_above_knikpunt": provisional(9950, _BEGROTING + "; Nota van wijziging Kamerstukken 36 923, nr. 5", "per 100000"),
    "asset_limit_single": provisional(119122, _BEGROTING + "; Wkb art. 1 lid 4", "EUR op 1 januari"),
    "asset_limit_partner": provisional(158748, _BEGROTING + "; Wkb art. 1 lid 4", "EUR op 1 januari"),
})

KINDEROPVANGTOESLAG = section(SOURCES, "KINDEROPVANGTOESLAG", {
    "max_rate": provisional({"dagopvang": 1160, "bso": 1031, "gastouderopvang": 877},
                            _BEGROTING + "; Besluit kinderopvangtoeslag art. 4", "cent per uur per opvangsoort"),
    "max_hours": final(230, "Wko art. 1.7 lid 2 (230 uur per kind per maand, sinds 2023: Stb. 2022, 386)",
                       "uur per kind per maand"),
    # (income from EUR, income to EUR inclusive or None, % first child, % next children) per 1000.
    # Only the first-child column is published (see SOURCES["KINDEROPVANGTOESLAG"]["table"]).
    "table": provisional(
        (
            (0, 71903, 960, None),
            (71904, 75835, 956, None),
            (75836, 79769, 933, None),
            (79770, 83698, 910, None),
            (83699, 87632, 888, None),
            (87633, 91561, 863, None),
            (91562, 95493, 840, None),
            (95494, 99425, 818, None),
            (99426, 103355, 794, None),
            (103356, 107292, 772, None),
            (107293, 111222, 747, None),
            (111223, 115152, 724, None),
            (115153, 119083, 702, None),
            (119084, 123091, 678, None),
            (123092, 127120, 657, None),
            (127121, 131145, 636, None),
            (131146, 135171, 615, None),
            (135172, 139195, 593, None),
            (139196, 143223, 574, None),
            (143224, 147250, 555, None),
            (147251, 151278, 536, None),
            (151279, 155300, 516, None),
            (155301, 159325, 496, None),
            (159326, 163355, 476, None),
            (163356, 167379, 456, None),
            (167380, 171405, 436, None),
            (171406, 175430, 416, None),
            (175431, None, 391, None),
        ),
        _BEGROTING + ": eerste kind 96% tot EUR 71.903, daarboven tot en met EUR 175.430 de "
        "percentages van 2026 plus 5,1 procentpunt, daarboven plus 2,6 (vaste voet 39,1%). De "
        "tussenliggende klassegrenzen zijn de grenzen van 2026 maal 175.430 / 169.547 (afgerond), wat "
        "beide gepubliceerde grenzen precies raakt; de tabel voor het tweede kind is niet gepubliceerd",
        "per 1000 (eerste kind; volgende kinderen onbekend) per inkomensklasse in EUR"),
})
