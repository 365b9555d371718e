"""The second company of the suite's multi-company tests (record rules), built the same way in every addon."""


def create_second_company(env, currency, name="Filiale Lyon"):
    """A company besides env's, with Odoo's generic chart and `currency`, which env's user may switch to."""
    company = env["res.company"].create({"name": name})
    env.user.company_ids |= company
    env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    company.currency_id = currency  # the chart sets its own currency
    return company
