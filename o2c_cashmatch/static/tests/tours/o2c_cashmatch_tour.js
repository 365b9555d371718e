import { registry } from "@web/core/registry";

/** A camt.053 statement of the test journal: one payment naming its invoice, one the matcher cannot decide. */
const CAMT = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>TOUR</MsgId><CreDtTm>2025-06-30T20:00:00</CreDtTm></GrpHdr>
<Stmt><Id>TOUR-1</Id><CreDtTm>2025-06-30T20:00:00</CreDtTm><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-06-30</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">420.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-06-30</Dt></Dt></Bal>
<Ntry><Amt Ccy="EUR">321.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2025-06-30</Dt></BookgDt>
<AcctSvcrRef>TOUR-TX-1</AcctSvcrRef><BkTxCd/><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>TRANSPORTS MARTIN</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>TOUR-REF-0001</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="EUR">99.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2025-06-30</Dt></BookgDt>
<AcctSvcrRef>TOUR-TX-2</AcctSvcrRef><BkTxCd/><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>BOULANGERIE DUPONT</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>VIREMENT TOUR</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>`;

registry.category("web_tour.tours").add("o2c_cashmatch_import_review_accept", {
    url: "/odoo/action-o2c_cashmatch.action_o2c_cashmatch_review",
    steps: () => [
        {
            content: "Open the Bank Matching menu",
            trigger: '.o_menu_sections button[data-menu-xmlid="o2c_cashmatch.menu_cashmatch_root"]',
            run: "click",
        },
        {
            content: "Import a bank statement",
            trigger: '.dropdown-item[data-menu-xmlid="o2c_cashmatch.menu_cashmatch_import"]',
            run: "click",
        },
        {
            content: "Choose the camt.053 file",
            trigger: ".modal .o_field_widget[name=data_file]",
            run() {
                const input = document.querySelector(".modal .o_field_widget[name=data_file] input.o_input_file");
                const transfer = new DataTransfer();
                transfer.items.add(new File([CAMT], "tour.xml", { type: "application/xml" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is loaded",
            trigger: ".modal .o_field_widget[name=data_file] input.o_input[readonly]",
        },
        {
            content: "Import it",
            trigger: ".modal button.o_cashmatch_import",
            run: "click",
        },
        {
            content: "The undecided payment waits for review",
            trigger: ".o_list_view .o_data_row td:contains(VIREMENT TOUR)",
            run: "click",
        },
        {
            content: "Its two equally good proposals are shown with their reasons",
            trigger: ".o_field_widget[name=o2c_proposal_ids] .o_data_row:nth-child(2) td:contains(just as good)",
        },
        {
            content: "Accept the first proposal",
            trigger: ".o_field_widget[name=o2c_proposal_ids] .o_data_row:first-child button.o_cashmatch_accept",
            run: "click",
        },
        {
            content: "The line is accepted and reconciled",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Accepted)",
        },
    ],
});
