from odoo import api, models


class O2cEinvoiceBatch(models.Model):
    _inherit = "o2c.einvoice.batch"

    def _o2c_process_chunk(self, size=None):
        left = super()._o2c_process_chunk(**({"size": size} if size else {}))
        # The Factur-X just issued go to the company's platform, if it has one.
        issued = self.line_ids.filtered(lambda line: line.state == "done").move_id
        issued.filtered(lambda move: move.o2c_pa_state == "none")._o2c_pa_queue()
        return left

    @api.model
    def _cron_process(self):
        """Cron: issue the queued batches, then deposit on the platform what they issued (same chunks, commits
        and progress as the sending cron)."""
        res = super()._cron_process()
        self.env["account.move"]._cron_o2c_pa_send()
        return res
