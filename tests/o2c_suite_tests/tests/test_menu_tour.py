from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMenuTour(HttpCase):
    def test_admin_opens_each_addon_menu_in_chromium(self):
        self.start_tour("/odoo", "o2c_menu_tour", login="admin")
