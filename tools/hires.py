"""Hires: proposing, booking, following and cancelling marketplace bookings for tasks."""
