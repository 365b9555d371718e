import { registry } from "@web/core/registry";

/**
 * The E-invoicing Manager enters the platform's client credentials, saves them (the secret is never shown
 * back) and tests the connection.
 */
registry.category("web_tour.tours").add("o2c_einvoice_platform_connect_tour", {
    steps: () => [
        { trigger: ".o_field_widget[name='client_id'] input", run: "edit o2c-test-client" },
        { trigger: ".o_field_widget[name='client_secret_input'] input", run: "edit s3cret-of-the-test-platform" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: ".o_field_widget[name='has_client_secret'] input:checked" },
        {
            trigger: ".o_field_widget[name='client_secret_input'] input",
            run() {
                if (document.querySelector(".o_field_widget[name='client_secret_input'] input").value) {
                    throw new Error("the saved client secret is shown back");
                }
            },
        },
        { trigger: ".o_form_statusbar button[name='action_test_connection']", run: "click" },
        { trigger: ".o_notification:contains(Connection OK)" },
    ],
});

/** The accountant sends a posted invoice to the platform from its form. */
registry.category("web_tour.tours").add("o2c_einvoice_platform_send_tour", {
    steps: () => [
        { trigger: ".o_form_statusbar button[name='action_o2c_pa_send']", run: "click" },
        { trigger: ".o_notification:contains(Queued for the approved platform)" },
    ],
});

/** The platform's 200 is in the E-invoicing tab of the deposited invoice, the buyer's answer not yet. */
registry.category("web_tour.tours").add("o2c_einvoice_platform_deposited_tour", {
    steps: () => [
        { trigger: ".o_notebook a[name='o2c_einvoice']", run: "click" },
        { trigger: ".o_field_widget[name='o2c_pa_state']:contains(Deposited)" },
        { trigger: ".o_field_widget[name='o2c_einvoice_status_ids'] tr:contains(200 Submitted):contains(Platform)" },
        { trigger: ".o_field_widget[name='o2c_einvoice_status_ids']:not(:contains(205 Approved))" },
    ],
});

/** Then the buyer's 205 arrives, with the buyer as its sender. */
registry.category("web_tour.tours").add("o2c_einvoice_platform_approved_tour", {
    steps: () => [
        { trigger: ".o_notebook a[name='o2c_einvoice']", run: "click" },
        { trigger: ".o_field_widget[name='o2c_einvoice_status_code']:contains(205 Approved)" },
        { trigger: ".o_field_widget[name='o2c_einvoice_status_ids'] tr:contains(205 Approved):contains(Buyer)" },
    ],
});
