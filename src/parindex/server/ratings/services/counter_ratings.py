"""A device's counter ratings in one statement (PostgreSQL).

Ratings that name no dossier (the citizen rated the counter) need no lookups but their client
ids and the device's recent ratings. On PostgreSQL one statement does it all, in autocommit: the
client ids already stored are left out, the keys are inserted (``ON CONFLICT DO NOTHING``: a
concurrent retry that committed first keeps its own), the burst flags are counted (the device's
stored ratings within the window, up to the limit, plus the batch's own earlier ratings in the
order time, client id: the rule of ``bursts.Bursts``) and the ratings inserted with the ids their
keys took. PostgreSQL answers after the commit (``synchronous_commit`` stays on), so one round
trip stores the batch durably instead of five (BEGIN, three statements, COMMIT).
"""

from __future__ import annotations

import weakref
from datetime import datetime
from typing import Any

import psycopg
from django.db import connection

from parindex.server.ratings.models import RatingKey
from parindex.server.ratings.services.bursts import BURST_LIMIT, BURST_WINDOW
from parindex.server.ratings.services.storage import RatingResult, RatingRow

_generic: weakref.WeakSet[Any] = weakref.WeakSet()
"""Connections told to keep one plan of the statement: planning it (a CTE over a table of some
forty monthly partitions) cost more CPU than running it, and a plan fitted to each call's values
would be made again on every call."""

_SQL = f"""
WITH input AS (
  SELECT * FROM unnest(%(ids)s::uuid[], %(satisfaction)s::smallint[],
                       %(at)s::timestamptz[], %(counter)s::varchar[], %(index1)s::smallint[],
                       %(index3)s::smallint[], %(index4)s::smallint[], %(index7)s::smallint[],
                       %(comment)s::text[])
    WITH ORDINALITY AS t(client_id, satisfaction, submitted_at, counter, index1, index3,
                         index4, index7, comment, ord)
),
ids AS (SELECT pg_get_serial_sequence('ratings_rating', 'id')::regclass AS sequence),
fresh AS MATERIALIZED (
  SELECT i.*, nextval((SELECT sequence FROM ids)) AS id FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM ratings_ratingkey k WHERE k.client_id = i.client_id)
  ORDER BY i.ord
),
keys AS (
  INSERT INTO ratings_ratingkey (client_id, dossier_code, channel, rating_id)
  SELECT client_id, '', %(channel)s, id FROM fresh ORDER BY ord
  ON CONFLICT DO NOTHING RETURNING client_id
),
taken AS (SELECT f.* FROM fresh f WHERE f.client_id IN (SELECT client_id FROM keys)),
flagged AS (
  SELECT f.*, (
    (SELECT count(*) FROM (
       SELECT 1 FROM ratings_rating r WHERE r.device_id = %(device)s
       AND r.submitted_at BETWEEN f.submitted_at - %(window)s AND f.submitted_at + %(window)s
       LIMIT {int(BURST_LIMIT)}) near)
    -- the batch's own, taken before: within the window back, less itself and the ratings of
    -- the same moment that come after it in client id order
    + count(*) OVER (ORDER BY f.submitted_at RANGE BETWEEN %(window)s PRECEDING AND CURRENT ROW)
    - count(*) OVER (PARTITION BY f.submitted_at ORDER BY f.client_id
                     ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)
  ) >= {int(BURST_LIMIT)} AS burst
  FROM taken f
),
stored AS (
  INSERT INTO ratings_rating (id, client_id, channel, unit_id, dossier_code, counter, officer,
    index1, index3, index4, index7, satisfaction, comment, submitted_at, received_at,
    device_id, burst)
  SELECT id, client_id, %(channel)s, %(unit)s, '', counter, '', index1, index3, index4, index7,
    satisfaction, comment, submitted_at, %(received)s, %(device)s, burst FROM flagged
  RETURNING client_id, id, burst
)
SELECT client_id, id, burst FROM stored
UNION ALL
SELECT k.client_id, k.rating_id, NULL FROM input i JOIN ratings_ratingkey k USING (client_id)
"""


def store_counter_ratings(
    pending: list[tuple[int, RatingRow]], device_id: int, received: datetime
) -> dict[int, RatingResult]:
    """Store ``pending`` (valid, distinct client ids, no dossier, sorted by time and client id)
    in one statement; each answered ``stored`` (with its burst flag) or ``duplicate``."""
    if not pending:
        return {}
    rows = [row for _, row in pending]
    first = rows[0]
    params: dict[str, Any] = {
        "ids": [r.client_id for r in rows],
        "satisfaction": [r.satisfaction for r in rows],
        "at": [r.submitted_at for r in rows],
        "counter": [r.counter for r in rows],
        "index1": [r.index1 for r in rows],
        "index3": [r.index3 for r in rows],
        "index4": [r.index4 for r in rows],
        "index7": [r.index7 for r in rows],
        "comment": [r.comment for r in rows],
        "channel": first.channel,
        "unit": first.unit_id,
        "device": device_id,
        "window": BURST_WINDOW,
        "received": received,
    }
    connection.ensure_connection()
    raw = connection.connection
    # Errors marked on Django's connection (and converted) as with its own cursors.
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        if raw not in _generic:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
            # Django turns preparing off (threshold None); this statement alone asks for it.
            raw.prepare_threshold = 2**31
            _generic.add(raw)
        cursor.execute(_SQL, params, prepare=True, binary=True)
        answers = cursor.fetchall()
    results: dict[int, RatingResult] = {}
    where = {row.client_id: index for index, row in pending}
    for client_id, rating_id, burst in answers:
        index = where.pop(client_id)
        if burst is None:
            results[index] = RatingResult(index, "duplicate", int(rating_id))
        else:
            results[index] = RatingResult(index, "stored", int(rating_id), burst=bool(burst))
    # Neither stored nor known before: stored by a concurrent retry that committed after this
    # statement began (its key stopped ours).
    late = where
    if late:
        keys = RatingKey.objects.filter(client_id__in=list(late)).values_list(
            "client_id", "rating_id"
        )
        for client_id, rating_id in keys:
            results[late[client_id]] = RatingResult(late[client_id], "duplicate", rating_id)
    return results
