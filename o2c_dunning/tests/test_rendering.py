import subprocess
import tempfile

from odoo.tests import Form, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestRendering(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.french = cls._customer("Zeta Menuiserie", lang="fr_FR", city="Lyon", street="3 rue des Lilas", zip="69003")
        cls.english = cls._customer("Omega Ltd", lang="en_US")
        cls.french_invoice = cls._invoice(cls.french, 1800.0, 2)
        cls.english_invoice = cls._invoice(cls.english, 900.0, 2)

    def _body(self, partner):
        comm = self._comms(partner)
        self.assertEqual(comm.state, "sent", comm.error_message)
        return comm.mail_id.body_html, comm.mail_id.subject

    def test_emails_are_written_in_the_customer_language_with_portal_links(self):
        self._run()
        body_fr, subject_fr = self._body(self.french)
        self.assertIn("Sauf erreur de notre part", body_fr)
        self.assertIn("relance", subject_fr.lower())
        self.assertIn(self.french_invoice.name, body_fr)
        self.assertIn(f"/my/invoices/{self.french_invoice.id}?access_token=", body_fr)
        body_en, subject_en = self._body(self.english)
        self.assertIn("Unless we are mistaken", body_en)
        self.assertIn("payment reminder", subject_en)
        self.assertIn(f"/my/invoices/{self.english_invoice.id}?access_token=", body_en)

    def test_formal_notice_letter_renders_as_a_real_pdf_in_french(self):
        self.french_invoice.o2c_dunning_level_id = self.call
        self._run(days=28, send=False)
        notice = self._comms(self.french)
        self.assertEqual(notice.level_id, self.notice)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("o2c_dunning.action_report_dunning_letter", notice.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, check=True).stdout.decode()
        self.assertIn("Mise en demeure", text)
        self.assertIn("D441-5", text)
        self.assertIn(self.french_invoice.name, text)
        self.assertIn("40,00", text, "the €40 recovery indemnity, in French number format")

    def test_english_letter_html(self):
        self._run(send=False)
        comm = self._comms(self.english)
        html = self.env["ir.actions.report"]._render_qweb_html("o2c_dunning.action_report_dunning_letter", comm.ids)[0]
        self.assertIn(b"Payment reminder", html)
        self.assertIn(b"Net balance", html)


class TestRunWizard(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Theta Logistique")
        cls.invoice = cls._invoice(cls.customer, 640.0, 1)

    def test_preview_shows_the_reminders_without_creating_them_then_run_creates_and_sends(self):
        wizard_form = Form(self.env["o2c.dunning.run.wizard"])
        wizard = wizard_form.save()
        wizard.action_preview()
        line = wizard.line_ids.filtered(lambda row: row.partner_id == self.customer)
        self.assertEqual((line.level_id, line.invoice_count, line.amount), (self.first, 1, 640.0))
        self.assertEqual(line.channel, "email")
        self.assertTrue(line.auto_send)
        self.assertFalse(self._comms(self.customer), "a preview creates nothing")
        action = wizard.action_run()
        comm = self._comms(self.customer)
        self.assertIn(comm.id, action["domain"][0][2])
        self.assertEqual(comm.state, "sent")


class TestMultiCompany(DunningCase):
    def test_collector_sees_only_the_reminders_of_its_companies(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.assertTrue(other.o2c_dunning_ladder_id, "every new company gets the default ladder")
        customer = self._customer("Iota")
        self._invoice(customer, 300.0, 2)
        self._run(send=False)
        comm = self._comms(customer)
        collector = self.env["res.users"].create(
            {
                "name": "Collector Other",
                "login": "collector_other",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "groups_id": [(6, 0, [self.env.ref("o2c_dunning.group_o2c_dunning_collector").id])],
            }
        )
        Comm = self.env["o2c.dunning.communication"].with_user(collector)
        self.assertFalse(Comm.search([("id", "=", comm.id)]))
        self.assertEqual(self.env["o2c.dunning.ladder"].with_user(collector).search([]), other.o2c_dunning_ladder_id)
