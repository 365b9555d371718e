import { registry } from "@web/core/registry";

/** Opens the app menu of each O2C addon from the home screen, as a user would, and its settings. */
function openMenu(appXmlid, rootXmlid, leafXmlid, expected) {
    return [
        { trigger: ".o_navbar_apps_menu button", run: "click" },
        { trigger: `.o_app[data-menu-xmlid="${appXmlid}"]`, run: "click" },
        { trigger: `.o_menu_sections button[data-menu-xmlid="${rootXmlid}"]`, run: "click" },
        { trigger: `.dropdown-item[data-menu-xmlid="${leafXmlid}"]`, run: "click" },
        { trigger: expected },
    ];
}

registry.category("web_tour.tours").add("o2c_menu_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu("sale.sale_menu_root", "o2c_credit.menu_credit_root", "o2c_credit.menu_credit_settings",
            ".o_field_widget[name='o2c_credit_hold_orders']"),
        ...openMenu("account.menu_finance", "o2c_dunning.menu_dunning_root", "o2c_dunning.menu_dunning_settings",
            ".o_field_widget[name='o2c_dunning_auto_send']"),
        ...openMenu("account.menu_finance", "o2c_disputes.menu_disputes_root", "o2c_disputes.menu_disputes_settings",
            ".o_field_widget[name='o2c_dispute_portal_enabled']"),
        ...openMenu("account.menu_finance", "o2c_einvoice.menu_einvoice_root", "o2c_einvoice.menu_einvoice_settings",
            ".o_field_widget[name='o2c_einvoice_profile']"),
        ...openMenu("account.menu_finance", "o2c_cashmatch.menu_cashmatch_root", "o2c_cashmatch.menu_cashmatch_settings",
            ".o_field_widget[name='o2c_cashmatch_auto_threshold']"),
    ],
});
