{
    "name": "O2C Suite Tests",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "summary": "Cross-module tests and browser tours of the O2C suite (installed in test databases only)",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["o2c_credit", "o2c_dunning", "o2c_disputes", "o2c_einvoice", "o2c_cashmatch", "o2c_cockpit"],
    "assets": {
        "web.assets_tests": ["o2c_suite_tests/static/tests/tours/*.js"],
    },
}
