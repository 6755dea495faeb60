"""Insights: a summary of the business (occupancy, turnovers, spend) and what happened, by whom."""
