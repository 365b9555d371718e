import { registry } from "@web/core/registry";

/** An accountant opens the Order to Cash dashboard and the figures, then the health check, follows a finding
 * and lands on the customers behind it. */
registry.category("web_tour.tours").add("o2c_cockpit_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_navbar_apps_menu button", run: "click" },
        { trigger: '.o_app[data-menu-xmlid="spreadsheet_dashboard.spreadsheet_dashboard_menu_root"]', run: "click" },
        { content: "the dashboard is listed", trigger: ".o_search_panel li:contains('Order to Cash')", run: "click" },
        { content: "its spreadsheet is drawn", trigger: ".o_spreadsheet_dashboard_action .o-grid canvas" },
        { trigger: ".o_navbar_apps_menu button", run: "click" },
        { trigger: '.o_app[data-menu-xmlid="account.menu_finance"]', run: "click" },
        { trigger: '.o_menu_sections button[data-menu-xmlid="account.menu_finance_reports"]', run: "click" },
        { trigger: '.dropdown-item[data-menu-xmlid="o2c_cockpit.menu_cockpit_figures"]', run: "click" },
        { content: "twelve months of figures", trigger: ".o_list_view .o_data_row:nth-child(12)" },
        { trigger: '.o_menu_sections button[data-menu-xmlid="account.menu_finance_reports"]', run: "click" },
        { trigger: '.dropdown-item[data-menu-xmlid="o2c_cockpit.menu_cockpit_health_check"]', run: "click" },
        { trigger: ".o_list_view .o_data_row:first .o_data_cell", run: "click" },
        { trigger: ".o_form_view .o_notebook a:contains('Findings')", run: "click" },
        {
            content: "follow the finding on the customers without SIREN",
            trigger: ".o_field_one2many .o_data_row:contains('Customers without SIREN') button[name='action_open_records']",
            run: "click",
        },
        { content: "the customer behind it", trigger: ".o_list_view .o_data_row:contains('Tour Sans SIREN')" },
        { trigger: ".o_breadcrumb:contains('Customers without SIREN')" },
    ],
});
