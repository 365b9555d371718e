"""Helper process of `validation.py`: reads one JSON request per line on stdin, answers one JSON line on stdout.

Started by `validation._Worker` as a script (its folder is taken off `sys.path`); it lifts the address-space limit
inherited from an Odoo server (up to the hard limit) so that Saxon's GraalVM isolate can start, then keeps its
compiled stylesheets for its whole life.
"""

import base64
import dataclasses
import importlib.util
import json
import os
import resource
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
# Python puts this script's folder first on sys.path: a module of the folder named like one of the standard
# library (platform.py) would shadow it for every import below. validation.py is loaded by its path instead.
sys.path[:] = [path for path in sys.path if os.path.abspath(path or os.curdir) != _HERE]
_spec = importlib.util.spec_from_file_location("o2c_facturx_validation", os.path.join(_HERE, "validation.py"))
validation = importlib.util.module_from_spec(_spec)  # the helper runs without Odoo, so not as a package
sys.modules[_spec.name] = validation
_spec.loader.exec_module(validation)

_soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
resource.setrlimit(resource.RLIMIT_AS, (_hard, _hard))


def main():
    """Serve validation requests until stdin closes."""
    checks = {
        "xsd": validation.local_check_xsd,
        "schematron": validation.local_check_schematron,
        "facturx": validation.local_validate_facturx,
    }
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            method = checks[request.pop("method")]
            violations = method(base64.b64decode(request.pop("xml")), **request)
            answer = {"violations": [dataclasses.asdict(violation) for violation in violations]}
        except Exception as error:
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
