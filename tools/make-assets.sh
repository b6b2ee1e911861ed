#!/usr/bin/env bash
# Regenerate assets/complexes/ -- real protein-ligand crystal structures in the
# PDBbind layout -- from structure files shipped by Debian packages.
#
#   tools/make-assets.sh [OUTDIR]        (default: assets/complexes)
#
# For every complex listed below it writes
#   OUTDIR/<id>/<id>_pocket.pdb   whole residues (protein and non-water hetero
#                                 groups, not the ligand) with any atom within
#                                 10 A of any ligand atom; source records + END
#   OUTDIR/<id>/<id>_ligand.mol2  ligand with hydrogens, Sybyl types, bond orders
#   OUTDIR/<id>/<id>_ligand.sdf   the same ligand, SDF V2000 with formal charges
# and prints a polar-contact scan of each complex.
#
# Needs bash, python3 (standard library only), Open Babel's obabel and the
# Debian packages named in the table.  Re-running gives byte-identical files.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HELPERS=$ROOT/tools/assets
OUT=${1:-$ROOT/assets/complexes}

# id|Debian package|source file|ligand residue|chain (_ = blank)|residue number|protonation|extra extract.py options
#   protonation: "ph"      -> obabel -p 7.4 (ionise acids/bases for pH 7.4, add H)
#                "neutral" -> obabel -h (keep the neutral form, add H)
COMPLEXES=(
  "1hpv|pymol-data|/usr/share/pymol/data/tut/1hpv.pdb|478|_|200|ph|"
  "1cs4|emboss-test|/usr/share/EMBOSS/test/data/structure/pdb/1cs4.ent|FOK|_|1002|ph|"
  "1v2x|gap-hap|/usr/share/gap/pkg/HAP/www/SideLinks/About/1V2X.pdb|SAM|A|400|ph|--charge SD=+1"
  "3v2u|t-coffee-examples|/usr/share/doc/t-coffee/examples/3V2U.pdb.gz|ATP|C|523|ph|"
  "5dt0|rdkit-data|/usr/share/RDKit/Contrib/CalcLigRMSD/data/5dt0.pdb|SKE|A|401|ph|--double C1-N2 --double C2-N5"
  "6c83|rdkit-data|/usr/share/RDKit/Contrib/CalcLigRMSD/data/6c83.pdb|ACP|A|501|ph|"
  "4cup|python-biopython-doc|/usr/share/doc/python-biopython-doc/Tests/PDB/4CUP.cif.gz|ZYB|A|2971|neutral|--double C6-N1"
)

die() { echo "make-assets.sh: $*" >&2; exit 1; }

# --- check tools and inputs ------------------------------------------------
missing_pkgs=()
command -v python3 >/dev/null || missing_pkgs+=(python3)
command -v obabel >/dev/null || missing_pkgs+=(openbabel)
for entry in "${COMPLEXES[@]}"; do
  IFS='|' read -r id pkg src _ <<<"$entry"
  if [[ ! -r $src ]]; then
    echo "make-assets.sh: missing $src (for $id; Debian package $pkg)" >&2
    [[ " ${missing_pkgs[*]} " == *" $pkg "* ]] || missing_pkgs+=("$pkg")
  fi
done
for f in extract.py normalize.py contacts.py; do
  [[ -r $HELPERS/$f ]] || die "missing helper $HELPERS/$f"
done
if ((${#missing_pkgs[@]})); then
  echo "make-assets.sh: install the missing packages first:" >&2
  echo "  apt-get install --no-install-recommends ${missing_pkgs[*]}" >&2
  exit 1
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# --- build ---------------------------------------------------------------
scan_args=()
for entry in "${COMPLEXES[@]}"; do
  IFS='|' read -r id pkg src res chain num prot opts <<<"$entry"
  dir=$OUT/$id
  mkdir -p "$dir"
  # shellcheck disable=SC2086  # opts is a word list
  python3 "$HELPERS/extract.py" "$src" "$res" "$chain" "$num" "$TMP" "$id" \
    --label "$pkg:$src" $opts >/dev/null
  mv "$TMP/${id}_pocket.pdb" "$dir/${id}_pocket.pdb"
  case $prot in
    ph) hflags=(-p 7.4) ;;
    neutral) hflags=(-h) ;;
    *) die "bad protonation '$prot' for $id" ;;
  esac
  obabel -ipdb "$TMP/${id}_ligsrc.pdb" -osdf -O "$TMP/${id}.sdf" "${hflags[@]}" \
    >"$TMP/obabel.log" 2>&1 || { cat "$TMP/obabel.log" >&2; die "obabel failed for $id"; }
  obabel -isdf "$TMP/${id}.sdf" -omol2 -O "$TMP/${id}.mol2" \
    >"$TMP/obabel.log" 2>&1 || { cat "$TMP/obabel.log" >&2; die "obabel failed for $id"; }
  python3 "$HELPERS/normalize.py" "$TMP/${id}_ligsrc.pdb" "$TMP/${id}.sdf" "$TMP/${id}.mol2" \
    "$dir/${id}_ligand.sdf" "$dir/${id}_ligand.mol2" "${id}_ligand"
  scan_args+=("$dir" "$id")
done

python3 "$HELPERS/contacts.py" "${scan_args[@]}"
