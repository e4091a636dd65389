"""The one statement that stores counter ratings on PostgreSQL, for the site and the front alike.

Ratings that name no dossier (the citizen rated the counter) need no lookups but their client
ids and their devices' recent ratings, so one statement in autocommit does it all: the keys are
inserted first (``ON CONFLICT DO NOTHING``: a client id already stored, or stored by a
concurrent retry that committed first, keeps its own), the burst flags counted (each device's
stored ratings within the window, up to the limit, plus the statement's own earlier ratings of
that device in the order time, client id: the rule of ``server.ratings.services.bursts``) and
the ratings inserted with the ids their keys took. It answers ``(client_id, id, burst)`` for
every rating it stored; a client id it does not answer was stored before (or by a statement
that committed meanwhile), and ``KNOWN`` reads its id: nothing more is read in the usual case.

PostgreSQL answers after the commit (``synchronous_commit`` stays on), so a rating answered
``stored`` is durable. Every rating carries its own unit and device: the ingestion front stores
the ratings of many requests (several devices) in one statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable

PARAMETERS = (
    "ids",
    "satisfaction",
    "at",
    "counter",
    "index1",
    "index3",
    "index4",
    "index7",
    "comment",
    "unit",
    "device",
    "received",
    "window",
)
"""The statement's parameters: arrays of one value a rating (up to ``device``), then the time
received and the burst window (an interval)."""

_TEMPLATE = """
WITH input AS (
  SELECT * FROM unnest({ids}::uuid[], {satisfaction}::smallint[], {at}::timestamptz[],
                       {counter}::varchar[], {index1}::smallint[], {index3}::smallint[],
                       {index4}::smallint[], {index7}::smallint[], {comment}::text[],
                       {unit}::bigint[], {device}::bigint[])
    WITH ORDINALITY AS t(client_id, satisfaction, submitted_at, counter, index1, index3,
                         index4, index7, comment, unit_id, device_id, ord)
),
keys AS (
  INSERT INTO ratings_ratingkey (client_id, dossier_code, channel, rating_id, device_id,
                                 submitted_at)
  SELECT client_id, '', 'device', nextval('{sequence}'::regclass), device_id, submitted_at
  FROM input ORDER BY ord
  ON CONFLICT DO NOTHING RETURNING client_id, rating_id
),
taken AS (SELECT i.*, k.rating_id AS id FROM input i JOIN keys k USING (client_id)),
flagged AS (
  SELECT f.*, (
    (SELECT count(*) FROM (
       SELECT 1 FROM ratings_ratingkey r WHERE r.device_id = f.device_id
       AND r.submitted_at BETWEEN f.submitted_at - {window}::interval AND f.submitted_at + {window}::interval
       -- walked in the index's order and left after {limit} entries: the front's sessions
       -- allow no bitmap scan (which reads the whole window: a flooding device's thousands)
       ORDER BY r.submitted_at LIMIT {limit}) near)
    -- the statement's own of the same device, taken before: within the window back, less
    -- itself and the ratings of the same moment that come after it in client id order
    + count(*) OVER (PARTITION BY f.device_id ORDER BY f.submitted_at
                     RANGE BETWEEN {window}::interval PRECEDING AND CURRENT ROW)
    - count(*) OVER (PARTITION BY f.device_id, f.submitted_at ORDER BY f.client_id
                     ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)
  ) >= {limit} AS burst
  FROM taken f
),
stored AS (
  INSERT INTO ratings_rating (id, client_id, channel, unit_id, dossier_code, counter, officer,
    index1, index3, index4, index7, satisfaction, comment, submitted_at, received_at,
    device_id, burst)
  SELECT id, client_id, 'device', unit_id, '', counter, '', index1, index3, index4, index7,
    satisfaction, comment, submitted_at, {received}::timestamptz, device_id, burst FROM flagged
  RETURNING client_id, id, burst
)
SELECT client_id, id, burst FROM stored
"""


SEQUENCE = "SELECT pg_get_serial_sequence('ratings_rating', 'id')"
"""The ratings' id sequence (its name depends on the table's history: read it once)."""

KNOWN = "SELECT client_id, rating_id FROM ratings_ratingkey WHERE client_id = ANY({ids}::uuid[])"
"""The ids of ratings already stored under some client ids (those the statement did not store)."""


def counter_ratings_sql(placeholder: Callable[[str], str], burst_limit: int, sequence: str) -> str:
    """The statement with each parameter written by ``placeholder`` (``%(ids)s`` for psycopg,
    ``$1`` for asyncpg), the burst limit and the id sequence's name (``SEQUENCE``)."""
    if not re.fullmatch(r"[\w.\"]+", sequence):
        raise ValueError(f"not a sequence name: {sequence!r}")
    slots = {name: placeholder(name) for name in PARAMETERS}
    return _TEMPLATE.format(**slots, limit=int(burst_limit), sequence=sequence)


def positional(name: str) -> str:
    """asyncpg's placeholder: parameters in the order of ``PARAMETERS``."""
    return f"${PARAMETERS.index(name) + 1}"
