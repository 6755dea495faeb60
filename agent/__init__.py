"""The pydantic-ai agent built from the tool registry (the tool-catalog issue builds it).

May import: `tools`, `domain`, pydantic_ai.
"""
