"""PDF rendering of the letters (ReportLab platypus), from plain data: no ORM, no clock."""
