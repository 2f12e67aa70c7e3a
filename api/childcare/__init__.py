"""Childcare hours reported by the kinderopvangorganisatie: compared with the parent's estimate, adopted
("Neem over"), undone, corrected by hand or disputed ("Klopt niet"). See service.py for the threshold."""
