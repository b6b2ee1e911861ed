#!/usr/bin/env bash
# Ligand atom names reach misi hbonds' output whole: the MOL2 names of 5lng
# (OCARB_A, OCARB_B: the same first four letters) stay two names in the text
# and in --json, and 6dup's two oxygens both named O1 come out qualified by
# their atom ids (O1#2, O1#3), in text, JSON and the --contacts audit.
# usage: hbonds_cli_names.sh <misi> <tests/fixtures/valid/chem>
set -u
misi=$1
chem=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$misi" hbonds "$chem/5lng" >"$tmp/text" 2>/dev/null || fail "misi hbonds 5lng failed"
grep -Eq '^LYS 20 A +NZ +OCARB_A +donor=residue' "$tmp/text" || { cat "$tmp/text" >&2; fail "no NZ -> OCARB_A"; }
grep -Eq '^SER 45 A +OG +OCARB_B +donor=residue' "$tmp/text" || { cat "$tmp/text" >&2; fail "no OG -> OCARB_B"; }
"$misi" hbonds --json "$chem/5lng" "$chem/6dup" >"$tmp/json" 2>/dev/null || fail "misi hbonds --json failed"
python3 - "$tmp/json" <<'PY' || fail "JSON names"
import json, sys
d = {c["complex"]: c for c in json.load(open(sys.argv[1]))}
got = sorted((b["residue_atom"], b["ligand_atom"]) for b in d["5lng"]["hbonds"])
assert got == [("NZ", "OCARB_A"), ("OG", "OCARB_B")], got
got = sorted((b["residue_atom"], b["ligand_atom"]) for b in d["6dup"]["hbonds"])
assert got == [("NZ", "O1#2"), ("OG", "O1#3")], got
PY
"$misi" hbonds --contacts "$chem/6dup" >"$tmp/audit" 2>/dev/null || fail "misi hbonds --contacts failed"
grep -Eq '^LYS 20 A +NZ +O1#2 +2\.80 +hbond' "$tmp/audit" || { cat "$tmp/audit" >&2; fail "audit lacks O1#2"; }
exit 0
