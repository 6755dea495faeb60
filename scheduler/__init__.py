"""The deterministic pipeline: sync -> plan -> hire -> track -> notify, as plain async steps.

May import: `tools`, `domain`. Never `agent`. APScheduler stays inside `scheduler.runner`.
"""
