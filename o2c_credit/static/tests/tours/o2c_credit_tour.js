import { registry } from "@web/core/registry";

/** A salesperson confirms a quotation over the customer's limit: it stays a quotation on credit hold. */
registry.category("web_tour.tours").add("o2c_credit_hold_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_navbar_apps_menu button", run: "click" },
        { trigger: ".o_app[data-menu-xmlid='sale.sale_menu_root']", run: "click" },
        { trigger: ".o_data_row:contains('Tour Credit SA') td[name='partner_id']", run: "click" },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        { trigger: ".o2c_credit_banner:contains('Credit hold')" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Quotation')" },
    ],
});

/** The credit manager opens the queue of pending requests, approves with a comment, and the order is confirmed. */
registry.category("web_tour.tours").add("o2c_credit_approval_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_navbar_apps_menu button", run: "click" },
        { trigger: ".o_app[data-menu-xmlid='sale.sale_menu_root']", run: "click" },
        { trigger: ".o_menu_sections button[data-menu-xmlid='o2c_credit.menu_credit_root']", run: "click" },
        { trigger: ".dropdown-item[data-menu-xmlid='o2c_credit.menu_credit_approvals']", run: "click" },
        { trigger: ".o_data_row:contains('Tour Credit SA') td[name='order_id']", run: "click" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']", run: "click" },
        { trigger: ".modal .o_field_widget[name='comment'] textarea", run: "edit Approved for the season" },
        { trigger: ".modal button[name='action_confirm']", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name='action_open_order']", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Sales Order')" },
    ],
});
