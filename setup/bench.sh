#!/usr/bin/env bash
# ./setup/bench.sh [AREA...] — the benchmarks of tests/bench/ (bench_<area>.py), each on databases of
# its own, side by side with the baseline it names; prints their tables and writes bench-results.json.
source "$(dirname "$0")/bootstrap.sh"
bootstrap
cd "$O2C_ROOT"
shopt -s nullglob
for req in tests/bench/oca-*.txt; do
    say "installing the baseline wheels of $req"
    "$O2C_VENV/bin/python" -m pip install -q --build-constraint "$O2C_VENV/.build-constraints.txt" -r "$req" \
        || die "pip could not install the baseline wheels listed in $req."
done
write_odoo_config o2c_bench 8269
export O2C_CONF PYTHONPATH="$O2C_ROOT/tests/bench${PYTHONPATH:+:$PYTHONPATH}"
AREAS=("$@")
if [ ${#AREAS[@]} -eq 0 ]; then
    for bench in tests/bench/bench_*.py; do AREAS+=("$(basename "$bench" .py | sed 's/^bench_//')"); done
fi
[ ${#AREAS[@]} -gt 0 ] || die "no benchmark in tests/bench/ (bench_<area>.py)."
OUT="$(mktemp -d)"
failed=()
for area in "${AREAS[@]}"; do
    [ -f "tests/bench/bench_$area.py" ] || die "there is no benchmark tests/bench/bench_$area.py."
    echo; echo "=== benchmark: $area ==="
    "$O2C_VENV/bin/python" "tests/bench/bench_$area.py" --json "$OUT/$area.json" || failed+=("$area")
done
"$O2C_VENV/bin/python" - "$OUT" <<'PY'
import json, pathlib, sys
results = {p.stem: json.loads(p.read_text()) for p in sorted(pathlib.Path(sys.argv[1]).glob("*.json"))}
pathlib.Path("bench-results.json").write_text(json.dumps(results, indent=2))
print(f"\nbench-results.json: {', '.join(results) or 'no results'}")
PY
[ ${#failed[@]} -eq 0 ] || die "these benchmarks failed: ${failed[*]}."
