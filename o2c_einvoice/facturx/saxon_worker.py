"""Helper process of `validation.py`: reads one JSON request per line on stdin, answers one JSON line on stdout.

Started by `validation._Worker` with this file's folder first on `sys.path`; it lifts the address-space limit
inherited from an Odoo server (up to the hard limit) so that Saxon's GraalVM isolate can start, then keeps its
compiled stylesheets for its whole life.
"""

import base64
import dataclasses
import json
import resource
import sys

import validation  # this folder, not a package: the helper runs without Odoo

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
