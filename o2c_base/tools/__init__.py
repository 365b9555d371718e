"""Plain-Python tools shared by the suite's addons (no ORM)."""
