"""Group commit: the ratings of every request waiting at a moment stored by one statement.

A rating is answered only after the statement that stored it has committed, and committing is
what costs PostgreSQL most for a single row (pgbench's reference pays it once a row). Requests
that arrive while the statements before them run wait together and are stored together, so at
sixteen devices a statement carries several requests' ratings and a commit is paid once for
them; a lone request still goes at once. ``connections`` statements may run at the same time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, NamedTuple
from uuid import UUID

from asyncpg.exceptions import DataError

from parindex.core.errors import ParindexError
from parindex.ingest.reading import Rating
from parindex.ingest.statement import KNOWN, counter_ratings_sql, positional
from parindex.ingest.tokens import Device

log = logging.getLogger(__name__)

_KNOWN = KNOWN.format(ids="$1")


class Stored(NamedTuple):
    outcome: Literal["stored", "duplicate"]
    id: int
    burst: bool


class StoreUnavailable(ParindexError):
    """The database could not store the ratings: nothing of them is acknowledged."""


class StoreRefused(ParindexError):
    """PostgreSQL refused a value of these ratings (reading lets through nothing it is known to
    refuse): sending them again would not help."""


Done = Callable[[list[Stored] | Exception], None]


class Committer:
    def __init__(
        self,
        pool: Any,
        sequence: str,
        burst_window: timedelta,
        burst_limit: int,
        connections: int,
    ) -> None:
        self.pool = pool
        self.window = burst_window
        self.sql = counter_ratings_sql(positional, burst_limit, sequence)
        self.waiting: list[tuple[list[tuple[Rating, Device]], Done]] = []
        self.wake = asyncio.Event()
        self.workers = [asyncio.create_task(self._work()) for _ in range(connections)]

    def submit(self, ratings: list[tuple[Rating, Device]], done: Done) -> None:
        """Store ``ratings`` (valid, distinct client ids, no dossier): ``done`` is called with
        their outcomes after the commit, or with :class:`StoreUnavailable` (nothing stored
        then, or nothing that may be acknowledged)."""
        self.waiting.append((ratings, done))
        self.wake.set()

    async def store(self, ratings: list[tuple[Rating, Device]]) -> list[Stored]:
        """:meth:`submit`, awaited."""
        future: asyncio.Future[list[Stored]] = asyncio.get_running_loop().create_future()

        def done(answers: list[Stored] | Exception) -> None:
            if isinstance(answers, Exception):
                future.set_exception(answers)
            else:
                future.set_result(answers)

        self.submit(ratings, done)
        return await future

    async def close(self) -> None:
        for worker in self.workers:
            worker.cancel()
        await asyncio.gather(*self.workers, return_exceptions=True)

    async def _work(self) -> None:
        while True:
            try:
                async with self.pool.acquire() as connection:
                    # Not prepared ahead: asyncpg keeps the statement once run (its cache), and
                    # a statement prepared and left waiting holds its tables' locks meanwhile
                    # (no Sync is sent), which a migration or a new partition would queue behind.
                    while True:
                        await self.wake.wait()
                        group, self.waiting = self.waiting, []
                        if not group:
                            self.wake.clear()
                            continue
                        await self._store_group(connection, group)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the connection is gone: answer the waiting, retry
                log.exception("ratings store connection failed")
                group, self.waiting = self.waiting, []
                _tell(group, StoreUnavailable(str(error)))
                await asyncio.sleep(0.5)

    async def _store_group(
        self, connection: Any, group: list[tuple[list[tuple[Rating, Device]], Done]]
    ) -> None:
        """The group in one statement; if PostgreSQL refuses a value of it, each request again
        alone, so only the request holding that value is refused (and told why)."""
        try:
            await self._store(connection, group)
        except (DataError, UnicodeEncodeError) as error:
            if len(group) == 1:
                _tell(group, StoreRefused(str(error)))
                return
            for position, one in enumerate(group):
                try:
                    await self._store(connection, [one])
                except (DataError, UnicodeEncodeError) as alone:
                    _tell([one], StoreRefused(str(alone)))
                except Exception as failure:  # _store has told this one
                    _tell(group[position + 1 :], StoreUnavailable(str(failure)))
                    raise

    async def _store(
        self, connection: Any, group: list[tuple[list[tuple[Rating, Device]], Done]]
    ) -> None:
        first: dict[UUID, tuple[Rating, Device]] = {}
        for ratings, _ in group:
            for rating, device in ratings:
                first.setdefault(rating.client_id, (rating, device))
        # One order for every statement (client id), so two statements holding the same
        # retried ids wait on each other instead of deadlocking.
        rows = sorted(first.values(), key=lambda pair: pair[0].client_id)
        ids = [r.client_id for r, _ in rows]
        try:
            answers = await connection.fetch(
                self.sql,
                ids,
                [r.satisfaction for r, _ in rows],
                [r.submitted_at for r, _ in rows],
                [r.counter for r, _ in rows],
                [r.index1 for r, _ in rows],
                [r.index3 for r, _ in rows],
                [r.index4 for r, _ in rows],
                [r.index7 for r, _ in rows],
                [r.comment for r, _ in rows],
                [d.unit_id for _, d in rows],
                [d.user_id for _, d in rows],
                datetime.now(UTC),
                self.window,
            )
            found = {client_id: Stored("stored", id_, burst) for client_id, id_, burst in answers}
            known = [i for i in ids if i not in found]
            if known:  # stored before, or by a statement that committed while this one ran
                for client_id, rating_id in await connection.fetch(_KNOWN, known):
                    found[client_id] = Stored("duplicate", rating_id, False)
        except (DataError, UnicodeEncodeError):
            raise
        except Exception as error:
            _tell(group, StoreUnavailable(str(error)))
            raise
        given: set[UUID] = set()
        replies: list[tuple[Done, list[Stored] | Exception]] = []
        for ratings, done in group:
            answer = []
            for rating, _ in ratings:
                stored = found.get(rating.client_id)
                if stored is None:  # neither stored nor found: nothing may be acknowledged
                    break
                # A client id sent twice in one group: the second is a retry of the first.
                if rating.client_id in given and stored.outcome == "stored":
                    stored = Stored("duplicate", stored.id, False)
                given.add(rating.client_id)
                answer.append(stored)
            if len(answer) == len(ratings):
                replies.append((done, answer))
            else:
                replies.append((done, StoreUnavailable("a rating was neither stored nor found")))
        # Answered on the loop's next turn: the worker sends the next group's statement first,
        # so PostgreSQL does not wait while the answers are written.
        asyncio.get_running_loop().call_soon(_answer, replies)


def _answer(replies: list[tuple[Done, list[Stored] | Exception]]) -> None:
    for done, answer in replies:
        _call(done, answer)


def _tell(group: list[tuple[list[tuple[Rating, Device]], Done]], error: Exception) -> None:
    for _, done in group:
        _call(done, error)


def _call(done: Done, answers: list[Stored] | Exception) -> None:
    try:
        done(answers)
    except Exception:  # one request's failure must not keep the others' answers
        log.exception("answering stored ratings failed")
