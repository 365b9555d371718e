from odoo import fields, models


class O2cEinvoicePlatform(models.Model):
    _inherit = "o2c.einvoice.platform"  # pylint: disable=consider-merging-classes-inherited

    ereporting_number = fields.Char(
        string="Platform registration number",
        size=4,
        help="The 4-character number under which the tax administration registered the platform; it names the "
        "platform in every e-reporting file (G6.22).",
    )
    vat_periodicity = fields.Selection(related="company_id.o2c_vat_periodicity", readonly=False)
    ereporting_start = fields.Date(related="company_id.o2c_ereporting_start", readonly=False)
    ereport_count = fields.Integer(string="Declarations", compute="_compute_ereport_count")

    def _compute_ereport_count(self):
        counts = dict(
            self.env["o2c.einvoice.ereport"]._read_group(
                [("company_id", "in", self.company_id.ids)], ["company_id"], ["__count"]
            )
        )
        for platform in self:
            platform.ereport_count = counts.get(platform.company_id, 0)

    def action_open_ereports(self):
        """Button: the e-reporting declarations of this platform's company."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("o2c_einvoice.o2c_einvoice_ereport_action")
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
