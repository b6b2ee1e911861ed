#!/usr/bin/env bash
# The bundled 3v2u: the galactose GLA 522 (a HETATM group, typed from its
# structure) donates from O1 to the ATP gamma-phosphate's O2G at 2.55 Å, and
# --contacts says how the sugar and the Mg2+ were typed.
# usage: hbonds_3v2u_sugar.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
out=$("$misi" hbonds "$assets/3v2u" 2>/dev/null) || { echo "FAIL: misi hbonds 3v2u failed" >&2; exit 1; }
grep -Eq '^GLA 522 C +O1 +O2G +donor=residue +D\.\.A=2\.55 hydroxyl O -> phosphate O3-' <<<"$out" ||
  { echo "$out" >&2; echo "FAIL: no GLA 522 O1 -> O2G" >&2; exit 1; }
audit=$("$misi" hbonds --contacts "$assets/3v2u" 2>/dev/null) || { echo "FAIL: --contacts failed" >&2; exit 1; }
grep -q '^# group GLA 522 C: typed from its structure: O1 donor hydroxyl O, acceptor hydroxyl O' <<<"$audit" ||
  { echo "$audit" >&2; echo "FAIL: no typing line for GLA 522" >&2; exit 1; }
grep -q '^# group MG 521 C: metal ion, neither donor nor acceptor' <<<"$audit" ||
  { echo "$audit" >&2; echo "FAIL: no typing line for MG 521" >&2; exit 1; }
grep -Eq '^GLA 522 C +O1 +O2G +2\.55 +hbond +donor=residue typed=structure' <<<"$audit" ||
  { echo "$audit" >&2; echo "FAIL: audit line for GLA 522 O1 - O2G" >&2; exit 1; }
exit 0
