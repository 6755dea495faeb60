"""SQLAlchemy 2 async storage: tables, repositories, the unit of work, Alembic migrations,
and the in-memory fake that the same contract tests hold to.

What the composition root uses:

- `storage.database.make_engine(url) -> AsyncEngine` (SQLite or PostgreSQL URL)
- `await storage.database.prepare_database(engine, *, upgrade=True) -> str` (revision; may raise
  `ConfigurationError` / `SchemaTooNew`)
- `await storage.database.upgrade_database(url) -> str` (`turnover db upgrade`)
- `storage.database.sqlite_url(path) -> str`
- `storage.uow.SqlUnitOfWorkFactory(engine)`: the `UnitOfWorkFactory` port
- `storage.memory.InMemoryUnitOfWorkFactory()`: its fake, for tests

The rules both keep are in `storage.contract`. May import: `domain`, sqlalchemy, alembic.
"""
