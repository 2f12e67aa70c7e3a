// The kinds of change a parent can pass on: [slug, kind, title, text]. The change list (#/wijzigen)
// and a year screen (#/jaar/2025, the forms with that year fixed) offer them.

export const KINDS = [
  ["inkomen", "income", "Inkomen", "Je verdient meer of minder dan je had opgegeven."],
  ["huur", "home", "Huur", "Je huur of servicekosten veranderen."],
  ["verhuizen", "address", "Verhuizen", "Je gaat ergens anders wonen."],
  ["kinderopvang", "childcare", "Kinderopvang", "Andere uren of uurprijs, of de opvang stopt."],
  ["partner", "partner", "Partner", "Er komt een partner bij je wonen, of je partner gaat weg."],
  ["kinderen", "child", "Kinderen", "Er is een kind geboren, komt bij je wonen of gaat het huis uit."],
];

/** The kinds a year screen links to besides its own income form: kinderopvang only with a contract. */
export const yearKinds = (hh) => KINDS.filter(([, kind]) => kind !== "income" && (kind !== "childcare" || (hh && hh.contracts.length)));
