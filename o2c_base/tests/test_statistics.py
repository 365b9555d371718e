"""A parent table that bulk inserts outgrow is analysed, so its children's foreign-key checks use its index."""

from odoo.addons.o2c_base.tools.statistics import analyze_if_outgrown
from odoo.tests import TransactionCase
from odoo.tools import SQL

BATCHES = 8
PARENTS = 200
CHILDREN = 1800


class TestAnalyzeIfOutgrown(TransactionCase):
    def _tables(self, suffix):
        parent, child = f"o2c_test_parent_{suffix}", f"o2c_test_child_{suffix}"
        self.env.cr.execute(
            SQL(
                "CREATE TEMP TABLE %s (id serial PRIMARY KEY, name varchar);"
                " CREATE TEMP TABLE %s (id serial PRIMARY KEY, parent_id int NOT NULL REFERENCES %s(id));"
                " ANALYZE %s",
                SQL.identifier(parent),
                SQL.identifier(child),
                SQL.identifier(parent),
                SQL.identifier(parent),
            )
        )
        return parent, child

    def _scans(self, table):
        """(sequential scans, index scans) of `table` in this transaction."""
        [row] = self.env.execute_query(
            SQL("SELECT seq_scan, COALESCE(idx_scan, 0) FROM pg_stat_xact_all_tables WHERE relid = %s::regclass", table)
        )
        return row

    def _load(self, parent, child, analyze):
        """Insert the parents and children batch by batch, as the dunning run inserts its letters and their
        lines; return how many times the parent was analysed."""
        analysed = 0
        for _batch in range(BATCHES):
            ids = [
                row[0]
                for row in self.env.execute_query(
                    SQL(
                        "INSERT INTO %s (name) SELECT 'p' || g FROM generate_series(1, %s) g RETURNING id",
                        SQL.identifier(parent),
                        PARENTS,
                    )
                )
            ]
            if analyze:
                analysed += analyze_if_outgrown(self.env.cr, parent)
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s (parent_id) SELECT (%s::int[])[1 + mod(g, %s)] FROM generate_series(1, %s) g",
                    SQL.identifier(child),
                    ids,
                    len(ids),
                    CHILDREN,
                )
            )
        return analysed

    def test_children_checked_through_the_index_once_the_parent_is_analysed(self):
        # Without it, the check planned on the first small batch scans the whole parent for every child.
        parent, child = self._tables("plain")
        self._load(parent, child, analyze=False)
        seq_scans, _index_scans = self._scans(parent)
        self.assertGreater(seq_scans, CHILDREN * (BATCHES - 1))

        parent, child = self._tables("analysed")
        analysed = self._load(parent, child, analyze=True)
        seq_scans, index_scans = self._scans(parent)
        self.assertLess(seq_scans, 3 * CHILDREN, "only the first batches' checks may scan the small parent")
        self.assertGreater(index_scans, CHILDREN * (BATCHES - 3))
        # analysed each time it doubled, not at every batch
        self.assertGreaterEqual(analysed, 2)
        self.assertLess(analysed, BATCHES)

    def test_a_table_its_statistics_still_describe_is_left_alone(self):
        parent, _child = self._tables("fresh")
        self.env.cr.execute(
            SQL("INSERT INTO %s (name) SELECT 'p' || g FROM generate_series(1, 2000) g", SQL.identifier(parent))
        )
        self.assertTrue(analyze_if_outgrown(self.env.cr, parent))
        [(counted,)] = self.env.execute_query(SQL("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", parent))
        self.assertEqual(counted, 2000, "the transaction's own rows are counted")
        self.env.cr.execute(
            SQL("INSERT INTO %s (name) SELECT 'p' || g FROM generate_series(1, 100) g", SQL.identifier(parent))
        )
        self.assertFalse(analyze_if_outgrown(self.env.cr, parent))

    def test_a_table_another_transaction_is_analysing_is_skipped_not_waited_for(self):
        # A committed table and two connections of their own: a temporary table is private to one connection.
        table = SQL.identifier("o2c_test_statistics_locked")
        with self.registry.cursor() as setup:
            setup.execute(SQL("CREATE TABLE %s (id serial PRIMARY KEY, name varchar)", table))
        try:
            with self.registry.cursor() as holder, self.registry.cursor() as run:
                # what a concurrent run's ANALYZE holds until it commits
                holder.execute(SQL("LOCK TABLE %s IN SHARE UPDATE EXCLUSIVE MODE", table))
                run.execute(SQL("INSERT INTO %s (name) SELECT 'p' || g FROM generate_series(1, 2000) g", table))
                run.execute("SET LOCAL lock_timeout = '5s'")  # waiting would fail the test, not hang it
                self.assertTrue(analyze_if_outgrown(run, "o2c_test_statistics_locked"))
                run.execute(
                    SQL("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", "o2c_test_statistics_locked")
                )
                self.assertLess(run.fetchone()[0], 2000, "skipped: the other transaction holds the table")
                run.rollback()
                holder.rollback()
        finally:
            with self.registry.cursor() as cleanup:
                cleanup.execute(SQL("DROP TABLE IF EXISTS %s", table))
