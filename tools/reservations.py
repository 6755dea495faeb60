"""Reservations: the stays the calendar feeds brought in."""
