import { registry } from "@web/core/registry";

/** A portal customer contests an invoice from its portal page and lands on the new case. */
registry.category("web_tour.tours").add("o2c_dispute_portal_tour", {
    steps: () => [
        { trigger: "a.o2c_contest_invoice", run: "click" },
        { trigger: "#o2c_dispute_form_section.show select[name='reason_id']", run: "selectByLabel Goods damaged" },
        { trigger: "input[name='amount']", run: "edit 240" },
        { trigger: "textarea[name='message']", run: "edit Two pallets arrived broken" },
        { trigger: "button.o2c_dispute_submit", run: "click" },
        { trigger: ".o2c_dispute_created", content: "the case is registered" },
        { trigger: ".o2c_dispute_status:contains('New')" },
        { trigger: ".o2c_dispute_description:contains('Two pallets arrived broken')" },
    ],
});

/** The back office finds the customer's case in the disputes kanban and opens it. */
registry.category("web_tour.tours").add("o2c_dispute_backoffice_tour", {
    steps: () => [
        { trigger: ".o_kanban_record:contains('Carrelages Dubois SARL'):contains('Goods damaged')", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='source']:contains('Customer portal')" },
        { trigger: ".o_form_view .o_field_widget[name='amount_disputed']:contains('240')" },
        { trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('New')" },
    ],
});
