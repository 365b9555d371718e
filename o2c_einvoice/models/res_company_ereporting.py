from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    o2c_vat_periodicity = fields.Selection(
        [("1", "Normal regime, monthly returns"), ("3", "Normal regime, quarterly returns"),
         ("12", "Simplified regime"), ("franchise", "VAT-free threshold (franchise en base)")],
        string="VAT regime",
        default="1",
        help="Sets the e-reporting periods: ten days for the transactions and a month for the payments in the "
        "monthly normal regime, a month in the quarterly and simplified regimes, two months under the threshold.",
    )  # fmt: skip
    o2c_ereporting_start = fields.Date(
        string="E-reporting from",
        help="First day whose transactions and payments are e-reported through the approved platform; the "
        "declarations of the periods that end afterwards are prepared and sent by themselves.",
    )
