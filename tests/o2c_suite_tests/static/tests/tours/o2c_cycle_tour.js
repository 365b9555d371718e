import { registry } from "@web/core/registry";

/** The order-to-cash cycle in the browser, shortened: one tour per person, in the order they act
 * (test_order_to_cash_cycle.py runs them and checks the records between two tours). */

const openMenu = (appXmlid, rootXmlid, leafXmlid) => [
    { trigger: ".o_navbar_apps_menu button", run: "click" },
    { trigger: `.o_app[data-menu-xmlid="${appXmlid}"]`, run: "click" },
    { trigger: `.o_menu_sections button[data-menu-xmlid="${rootXmlid}"]`, run: "click" },
    { trigger: `.dropdown-item[data-menu-xmlid="${leafXmlid}"]`, run: "click" },
];

/** The credit manager approves the held order from the queue of requests. */
registry.category("web_tour.tours").add("o2c_cycle_credit_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu("sale.sale_menu_root", "o2c_credit.menu_credit_root", "o2c_credit.menu_credit_approvals"),
        { trigger: ".o_data_row:contains('Boulangerie Dupont SARL') td[name='order_id']", run: "click" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']", run: "click" },
        { trigger: ".modal .o_field_widget[name='comment'] textarea", run: "edit Client fidèle, saison chargée" },
        { trigger: ".modal button[name='action_confirm']", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')" },
    ],
});

/** The accountant, on the confirmed order, invoices it and posts the invoice (the platform's cron sends it). */
registry.category("web_tour.tours").add("o2c_cycle_invoice_tour", {
    steps: () => [
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Sales Order')" },
        { trigger: ".o_form_view .o_statusbar_buttons button#create_invoice", run: "click" },
        { trigger: ".modal button#create_invoice_open", run: "click" },
        {
            content: "dated the day of the work, 35 days ago (30-day terms: due 5 days ago)",
            trigger: ".o_form_view .o_field_widget[name='invoice_date'] input",
            run: `edit ${luxon.DateTime.now().minus({ days: 35 }).toFormat("MM/dd/yyyy")}`,
        },
        { trigger: ".o_form_view .o_field_widget[name='partner_id']", run: "click" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name='action_post']", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Posted')" },
    ],
});

/** The collector finds the customer's first reminder in the worklist. */
registry.category("web_tour.tours").add("o2c_cycle_worklist_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu("account.menu_finance", "o2c_dunning.menu_dunning_root", "o2c_dunning.menu_dunning_worklist"),
        { trigger: ".o_list_view .o_data_row:contains('Boulangerie Dupont SARL'):contains('First reminder')" },
        { trigger: ".o_data_row:contains('Boulangerie Dupont SARL') button[name='action_send']", run: "click" },
        {
            content: "sent: it leaves the worklist",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Boulangerie Dupont SARL')))",
        },
    ],
});

/** On the portal, the customer contests the invoice's price. */
registry.category("web_tour.tours").add("o2c_cycle_contest_tour", {
    steps: () => [
        { trigger: "a.o2c_contest_invoice", run: "click" },
        { trigger: "#o2c_dispute_form_section.show select[name='reason_id']", run: "selectByLabel Price" },
        { trigger: "input[name='amount']", run: "edit 7200" },
        { trigger: "textarea[name='message']", run: "edit Le prix convenu était de 5 000 € HT." },
        { trigger: "button.o2c_dispute_submit", run: "click" },
        { trigger: ".o2c_dispute_created", content: "the case is registered" },
    ],
});

/** The dispute rejected, the customer pays the overdue balance from its account page with the demo provider. */
registry.category("web_tour.tours").add("o2c_cycle_pay_tour", {
    url: "/my/balance",
    steps: () => [
        { trigger: ".o2c_account .o2c_amount_overdue:contains('7,200.00')" },
        { trigger: "a.o2c_pay_overdue", run: "click" },
        { trigger: ".o2c_account_pay:contains('7,200.00')" },
        { trigger: "#customer_input", run: "edit 4242424242424242" },
        { trigger: "#simulated_payment_state", run: "select done" },
        { trigger: "button[name='o_payment_submit_button']", run: "click" },
        {
            content: "back on the account: paid, nothing overdue",
            trigger: ".o2c_account_notice:contains('Thank you for your payment')",
            timeout: 20000,
        },
        { trigger: ".o2c_account .o2c_amount_overdue:contains('0.00')" },
    ],
});

/** The collector opens the customer invoices and sees the invoice paid. */
registry.category("web_tour.tours").add("o2c_cycle_paid_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu("account.menu_finance", "account.menu_finance_receivables", "account.menu_action_move_out_invoice_type"),
        {
            content: "the invoice's status badge says it is paid (or in payment, the card payment not yet on the bank)",
            trigger: ".o_data_row:contains('Boulangerie Dupont SARL') .badge:contains('Paid'), .o_data_row:contains('Boulangerie Dupont SARL') .badge:contains('In Payment')",
        },
    ],
});
