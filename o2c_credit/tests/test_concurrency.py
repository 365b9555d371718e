import threading
import time

from odoo import Command
from odoo.addons.o2c_base.tests.concurrency import env_on_cursor, retry_as_a_request
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConcurrentConfirmation(TransactionCase):
    """Two orders of one customer confirmed at the same time, each in its own transaction.

    Each order fits under the limit alone, not both together. The data is committed so that two
    real cursors see it, and removed at the end.
    """

    def _setup_committed_data(self):
        with self.registry.cursor() as cr:
            env = env_on_cursor(self.registry, cr, {})
            company = env.ref("base.main_company")
            previous = {"account_use_credit_limit": company.account_use_credit_limit}
            company.write({"account_use_credit_limit": True, "o2c_credit_hold_orders": True})
            customer = env["res.partner"].create({"name": "Concurrent SAS", "is_company": True})
            customer.with_company(company).credit_limit = 10000
            # A service: with sale_stock installed a good's confirmed order would leave stock moves behind the cleanup.
            product = env["product.product"].create(
                {"name": "Concurrent service", "type": "service", "taxes_id": [Command.clear()]}
            )
            rule = env["o2c.credit.rule"].create(
                {
                    "name": "Concurrent over limit",
                    "company_id": company.id,
                    "action": "approval",
                    "approval_group_id": env.ref("o2c_credit.group_o2c_credit_manager").id,
                    "use_over_limit": True,
                }
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "company_id": company.id,
                        "order_line": [
                            Command.create({"product_id": product.id, "price_unit": 6000, "tax_id": [Command.clear()]})
                        ],
                    }
                    for _index in range(2)
                ]
            )
            cr.commit()
            return company.id, previous, customer.id, product.id, rule.id, orders.ids

    def _cleanup(self, company_id, previous, customer_id, product_id, rule_id, order_ids):
        with self.registry.cursor() as cr:
            env = env_on_cursor(self.registry, cr, {})
            orders = env["sale.order"].browse(order_ids).exists()
            orders.filtered(lambda order: order.state == "sale").with_context(
                disable_cancel_warning=True
            ).action_cancel()
            orders.unlink()
            env["o2c.credit.rule"].browse(rule_id).unlink()
            env["product.product"].browse(product_id).product_tmpl_id.unlink()
            env["res.partner"].browse(customer_id).unlink()
            env["res.company"].browse(company_id).write(previous)
            cr.commit()

    @mute_logger("odoo.sql_db")  # the loser's expected serialization failure, logged by Odoo as a bad query
    def test_two_orders_confirmed_concurrently_do_not_both_slip_under_the_limit(self):
        data = self._setup_committed_data()
        _company_id, _previous, _customer_id, _product_id, _rule_id, (first_id, second_id) = data
        outcome = {}
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                env_a = env_on_cursor(self.registry, cr_a, {})
                env_b = env_on_cursor(self.registry, cr_b, {})
                # The second transaction takes its snapshot before the first one commits.
                env_b["sale.order"].browse(second_id).read(["amount_total"])
                env_a["sale.order"].browse(first_id).action_confirm()

                def confirm_second():
                    try:
                        retry_as_a_request(env_b, env_b["sale.order"].browse(second_id).action_confirm)
                        cr_b.commit()
                        outcome["done"] = True
                    except Exception as error:  # reported to the main thread below
                        outcome["error"] = error

                thread = threading.Thread(target=confirm_second)
                thread.start()
                time.sleep(1.0)
                self.assertTrue(thread.is_alive(), "the second check must wait for the first one's lock")
                cr_a.commit()
                thread.join(60)
                self.assertFalse(thread.is_alive())
                self.assertNotIn("error", outcome, outcome.get("error"))

            with self.registry.cursor() as cr:
                env = env_on_cursor(self.registry, cr, {})
                first, second = env["sale.order"].browse([first_id, second_id])
                self.assertEqual(first.state, "sale")
                self.assertIn(first.o2c_credit_state, ("ok", "warning"))
                self.assertEqual((second.state, second.o2c_credit_state), ("draft", "hold"))
                self.assertAlmostEqual(second.o2c_credit_approval_id.exposure_total, 12000)
        finally:
            self._cleanup(*data)
