"""Turnover's domain: the model and the rules, nothing else.

May import: the standard library and pydantic. Never: I/O, frameworks, the clock, randomness.
Everything outside talks to the domain through the ports in `domain.ports`.
"""
