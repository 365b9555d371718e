"""Pure-Python dunning arithmetic: no Odoo import, plain data in and out."""
