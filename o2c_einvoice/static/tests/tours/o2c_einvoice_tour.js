import { registry } from "@web/core/registry";

/**
 * An accountant posts an invoice whose customer has no SIREN nor VAT number: the checks before issue (blocking)
 * refuse it and say why; the accountant completes the customer from the invoice and posts it.
 */
registry.category("web_tour.tours").add("o2c_einvoice_post_tour", {
    steps: () => [
        { trigger: ".o2c_einvoice_check_alert:contains(Customer SIREN missing)" },
        { trigger: ".o_form_statusbar button[name='action_post']", run: "click" },
        { trigger: ".modal:contains(The checks before issue failed):contains(Customer SIREN missing)" },
        { trigger: ".modal .modal-footer .btn-primary", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_field_widget[name='partner_id'] input", run: "hover" },
        { trigger: ".o_field_widget[name='partner_id'] .o_external_button:not(:visible)", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='vat'] input", run: "edit FR96552100554" },
        { trigger: ".o_notebook a[name='sales_purchases']", run: "click" },
        { trigger: ".o_field_widget[name='company_registry'] input", run: "edit 552100554" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: ".o_breadcrumb .breadcrumb-item:not(.active) a", run: "click" },
        { trigger: ".o_field_widget[name='partner_id']" },
        { trigger: ".o_form_statusbar button[name='action_post']", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Posted)" },
    ],
});

/** The customer portal's Download button of the posted invoice gives the Factur-X PDF. */
registry.category("web_tour.tours").add("o2c_einvoice_portal_tour", {
    steps: () => [
        {
            trigger: "a.o_download_btn",
            async run() {
                const link = document.querySelector("a.o_download_btn");
                const response = await fetch(link.getAttribute("href"));
                const bytes = new Uint8Array(await response.arrayBuffer());
                const text = new TextDecoder("latin1").decode(bytes);
                if (!text.startsWith("%PDF")) {
                    throw new Error("the portal download is not a PDF");
                }
                // pypdf writes the file name as a literal string with octal escapes: (factur\055x\056xml)
                if (!text.includes("factur-x.xml") && !text.includes("(factur\\055x\\056xml)")) {
                    throw new Error("the portal PDF carries no factur-x.xml");
                }
                document.body.classList.add("o2c_facturx_downloaded");
            },
        },
        { trigger: "body.o2c_facturx_downloaded" },
    ],
});
