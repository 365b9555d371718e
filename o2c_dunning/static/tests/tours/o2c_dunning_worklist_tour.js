import { registry } from "@web/core/registry";

/** The collector opens the dunning worklist from the Accounting menu, sends one reminder and skips another. */
registry.category("web_tour.tours").add("o2c_dunning_worklist_tour", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_navbar_apps_menu button", run: "click" },
        { trigger: '.o_app[data-menu-xmlid="account.menu_finance"]', run: "click" },
        { trigger: '.o_menu_sections button[data-menu-xmlid="o2c_dunning.menu_dunning_root"]', run: "click" },
        { trigger: '.dropdown-item[data-menu-xmlid="o2c_dunning.menu_dunning_worklist"]', run: "click" },
        { trigger: ".o_list_view .o_data_row:contains('Tour Alpha')" },
        { trigger: ".o_list_view .o_data_row:contains('Tour Beta')" },
        {
            content: "send the reminder of Tour Alpha in one click",
            trigger: ".o_data_row:contains('Tour Alpha') button[name='action_send']",
            run: "click",
        },
        {
            content: "sent: it leaves the worklist",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Alpha'))) .o_data_row:contains('Tour Beta')",
        },
        {
            content: "skip the reminder of Tour Beta",
            trigger: ".o_data_row:contains('Tour Beta') button[name='action_skip']",
            run: "click",
        },
        { trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Beta')))" },
        {
            content: "the sent reminder is in the history",
            trigger: '.o_menu_sections button[data-menu-xmlid="o2c_dunning.menu_dunning_root"]',
            run: "click",
        },
        { trigger: '.dropdown-item[data-menu-xmlid="o2c_dunning.menu_dunning_communication"]', run: "click" },
        { trigger: ".o_data_row:contains('Tour Alpha') .badge:contains('Sent')" },
        { trigger: ".o_data_row:contains('Tour Beta') .badge:contains('Cancelled')" },
    ],
});
