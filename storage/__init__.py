"""SQLAlchemy 2 async storage: tables, repositories, the unit of work, Alembic migrations,
and the in-memory fake that the same contract tests hold to.

May import: `domain`, sqlalchemy, alembic.
"""
