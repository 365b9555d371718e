"""The company's words stay the company's: a module update leaves its edited emails, rates and ladder alone."""

from odoo.tests import TransactionCase
from odoo.tools.convert import convert_file

DATA_FILES = ("data/mail_templates.xml", "data/o2c_dunning_interest_rate_data.xml")


class TestCompanyWordsSurviveUpdates(TransactionCase):
    """On the installed module's own records and the ladder its installation gave the database's company, which
    an update touches; no accounting data is needed, so not on DunningCase and its test company."""

    def test_mail_templates_and_published_rates_are_noupdate(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "o2c_dunning"), ("model", "in", ("mail.template", "o2c.dunning.interest.rate"))]
        )
        self.assertEqual(
            set(data.filtered(lambda xmlid: xmlid.model == "mail.template").mapped("name")),
            {
                "mail_template_dunning_courteous",
                "mail_template_dunning_reminder",
                "mail_template_dunning_firm",
                "mail_template_dunning_formal_notice",
            },
        )
        self.assertEqual(len(data.filtered(lambda xmlid: xmlid.model == "o2c.dunning.interest.rate")), 13)
        self.assertEqual(data.filtered(lambda xmlid: not xmlid.noupdate), self.env["ir.model.data"])

    def test_module_update_keeps_the_edited_email_rates_and_ladder(self):
        template = self.env.ref("o2c_dunning.mail_template_dunning_reminder")
        template.write({"subject": "Notre rappel", "body_html": "<p>Notre texte à nous</p>"})
        rates = self.env.ref("o2c_dunning.interest_rate_2025_h2")
        rates.ecb_rate = 2.0
        company = self.env.company
        ladder = company.o2c_dunning_ladder_id
        level = ladder.level_ids.sorted("sequence")[1]
        level.write({"name": "Premier rappel maison", "letter_intro": "<p>Notre lettre</p>", "day_offset": 3})
        ladders = self.env["o2c.dunning.ladder"].search([])

        # What `-u o2c_dunning` does with the data files, then with the companies' default ladders.
        for filename in DATA_FILES:
            convert_file(self.env, "o2c_dunning", filename, {}, mode="update", kind="data")
        self.env["res.company"].search([])._o2c_dunning_create_default_ladder()
        self.env.invalidate_all()

        self.assertEqual(template.subject, "Notre rappel")
        self.assertIn("Notre texte à nous", template.body_html)
        self.assertEqual(rates.ecb_rate, 2.0)
        self.assertEqual(self.env["o2c.dunning.ladder"].search([]), ladders, "no ladder created again")
        self.assertEqual(company.o2c_dunning_ladder_id, ladder)
        self.assertEqual((level.name, level.day_offset), ("Premier rappel maison", 3))
        self.assertIn("Notre lettre", level.letter_intro)
