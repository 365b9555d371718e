"""Planner statistics of a table that bulk inserts have outgrown: a cursor, no ORM.

PostgreSQL plans the foreign-key check of the rows inserted into a child table (``SELECT 1 FROM parent
WHERE id = $1``) once per connection and keeps that plan. Planned while the parent held a few pages, it is
a sequential scan, and it stays one while the run's batches grow the parent: the bulk insert of each
batch's children then reads the whole parent once per row, and the run grows quadratic. Autovacuum's
ANALYZE would replan it, but only a minute later. Analysing the parent once it has doubled since its
statistics (its own uncommitted rows count) gives the planner its real size and makes it plan again.
"""

from odoo.tools import SQL


def analyze_if_outgrown(cr, table):
    """Analyse ``table`` when it holds more than twice the pages its statistics say (rows inserted by
    the current transaction included); return whether it was due. A large table that a batch barely grows
    is not sampled again, so a run analyses a table a few times at most. ANALYZE keeps its lock on the table
    until the transaction ends: a run that finds it taken (another run, autovacuum) skips instead of waiting
    for that one to commit. Where the database user does not own the table, PostgreSQL skips it with a
    warning and nothing fails."""
    cr.execute(
        SQL(
            "SELECT relpages, pg_relation_size(oid) / current_setting('block_size')::int"
            " FROM pg_class WHERE oid = %s::regclass",
            table,
        )
    )
    [(counted, pages)] = cr.fetchall()
    if pages <= 2 * counted:
        return False
    cr.execute(SQL("ANALYZE (SKIP_LOCKED) %s", SQL.identifier(table)))
    return True
