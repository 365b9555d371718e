import { registry } from "@web/core/registry";

/** A customer without portal account opens the link of its reminder email, gets its statement and pays
 * the overdue balance with the demo payment provider. */
registry.category("web_tour.tours").add("o2c_dunning_portal_pay_tour", {
    steps: () => [
        { content: "the account opens from the link", trigger: ".o2c_account .o2c_amount_overdue:contains('1,500.00')" },
        {
            content: "download the statement",
            trigger: "a.o2c_statement_download",
            async run(helpers) {
                const response = await fetch(helpers.anchor.getAttribute("href"));
                const body = await response.text();
                const disposition = response.headers.get("Content-Disposition") || "";
                if (!response.ok || !disposition.includes("attachment") || !body.includes("Tour Customer")) {
                    throw new Error(`statement not downloaded: ${response.status} ${disposition}`);
                }
            },
        },
        { content: "pay the overdue balance", trigger: "a.o2c_pay_overdue", run: "click" },
        { content: "the amount to pay", trigger: ".o2c_account_pay:contains('1,500.00')" },
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
