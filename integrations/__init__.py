"""Services Turnover calls: calendar feeds and the RentAHuman marketplace (client and sandbox),
plus the system clock and id generator.

May import: `domain`, httpx, icalendar, and (sandbox only) fastapi/uvicorn.
"""
