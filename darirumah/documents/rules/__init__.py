"""Pure rules of the documents app (no ORM, no clock): letter numbering (numbering.py)."""
