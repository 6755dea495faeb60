"""Two units of work changing the same row at once (PostgreSQL; SQLite runs them one at a time).

The second writer is refused with `Conflict` and saves nothing; the first writer's change stays.
Without it, a scheduler pass and an approver in another process could silently undo each other
(a cancelled task written back to hiring, say).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from domain.errors import Conflict
from domain.tasks import TaskStatus
from storage.database import make_engine, prepare_database
from storage.uow import SqlUnitOfWorkFactory
from tests.storage.conftest import postgres_url, wipe_postgres
from tests.storage.samples import a_task, at, seed

pytestmark = pytest.mark.postgres
NOW = at(20)


@pytest.fixture
async def factory() -> AsyncIterator[SqlUnitOfWorkFactory]:
    engine = make_engine(postgres_url())
    try:
        await wipe_postgres(engine)
        await prepare_database(engine)
        yield SqlUnitOfWorkFactory(engine)
    finally:
        await engine.dispose()


async def test_a_write_over_a_concurrent_change_is_refused_and_the_first_change_stays(
    factory: SqlUnitOfWorkFactory,
) -> None:
    async with factory() as uow:
        await seed(uow, task=True)
        await uow.commit()
    slow = factory()
    await slow.__aenter__()
    try:
        stale = await slow.tasks.get("task_1")  # read before the other change
        assert stale is not None and stale.status is TaskStatus.NEEDS_HOST
        async with factory() as fast:
            task = await fast.tasks.get("task_1")
            assert task is not None
            task.transition(TaskStatus.CANCELLED, NOW, "the stay was cancelled")
            await fast.tasks.update(task)
            await fast.commit()
        stale.transition(TaskStatus.HIRING, NOW, "hiring someone")
        with pytest.raises(Conflict, match="changed by someone else at the same time"):
            await slow.tasks.update(stale)
    finally:
        await slow.__aexit__(None, None, None)
    async with factory() as uow:
        kept = await uow.tasks.get("task_1")
    assert kept is not None and (kept.status, kept.status_reason) == (TaskStatus.CANCELLED, "the stay was cancelled")


async def test_writes_to_different_rows_at_once_both_land(factory: SqlUnitOfWorkFactory) -> None:
    async with factory() as uow:
        await seed(uow, task=True)
        await uow.tasks.add(a_task(id="task_2", natural_key="k2"))
        await uow.commit()
    async with factory() as first, factory() as second:
        one, two = await first.tasks.get("task_1"), await second.tasks.get("task_2")
        assert one is not None and two is not None
        one.transition(TaskStatus.HIRING, NOW, "a")
        two.transition(TaskStatus.HIRING, NOW, "b")
        await first.tasks.update(one)
        await second.tasks.update(two)
        await first.commit()
        await second.commit()
    async with factory() as uow:
        stored = [await uow.tasks.get(task_id) for task_id in ("task_1", "task_2")]
    assert [t.status if t else None for t in stored] == [TaskStatus.HIRING, TaskStatus.HIRING]
