"""Environments for concurrency tests, whose threads each work on a committed cursor of their own."""

import random
import time

from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, api
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY


def env_on_cursor(registry, cr, context=None):
    """A superuser environment on the fresh cursor ``cr`` of the test's ``registry``, usable from any thread.

    ``api.Environment`` looks the registry of a new cursor up by database name, under the registries' lock; Odoo's
    own runner (``odoo-bin --test-enable``) holds that lock while its post-install tests run, so a test's thread
    doing that lookup would wait forever. The test hands its registry over instead. For the same reason mail is
    queued (for Odoo's mail cron) rather than sent when the cursor commits, which would look the registry up too."""
    cr.transaction = api.Transaction(registry)
    return api.Environment(cr, SUPERUSER_ID, {"mail_notify_force_send": False, **(context or {})})


def retry_as_a_request(env, func):
    """Call ``func`` as Odoo retries a web request after a concurrency failure (serialization failure, deadlock,
    lock not available): roll back, wait a random while, try again, at most five times; returns its result.

    Odoo's own ``odoo.service.model.retrying`` resets the transaction by looking its registry up by name, which
    waits forever under Odoo's runner (see ``env_on_cursor``); this does the same steps on the transaction at hand."""
    for attempt in range(1, MAX_TRIES_ON_CONCURRENCY_FAILURE + 1):
        try:
            result = func()
            env.cr.flush()
            return result
        except OperationalError as error:
            env.cr.rollback()
            env.transaction.clear()
            if not isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY) or attempt == MAX_TRIES_ON_CONCURRENCY_FAILURE:
                raise
            time.sleep(random.uniform(0.0, 2**attempt))
    raise AssertionError("unreachable")
