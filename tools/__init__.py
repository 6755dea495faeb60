"""The application layer: use cases as typed async functions over the domain's ports.

May import: `domain`. Never: storage, integrations, channels, frameworks.
"""
