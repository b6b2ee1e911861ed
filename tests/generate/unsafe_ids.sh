#!/usr/bin/env bash
# Complex ids become folder names under --out: an id that is not a safe path
# component (a space, a leading '.') is skipped and reported by misi render and
# misi generate, and nothing is written for it.
# usage: unsafe_ids.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$tmp/in/bad id" "$tmp/in/.hidden-ish" "$tmp/in/4cup"
cp "$assets/4cup/4cup_pocket.pdb" "$tmp/in/bad id/bad id_pocket.pdb"
cp "$assets/4cup/4cup_ligand.mol2" "$tmp/in/bad id/bad id_ligand.mol2"
cp "$assets/4cup/"* "$tmp/in/4cup/"
# a pair whose ligand file name gives the id ".."
cp "$assets/4cup/4cup_pocket.pdb" "$tmp/in/p.pdb"
cp "$assets/4cup/4cup_ligand.mol2" "$tmp/in/...mol2"

"$misi" render --size 64 --view front --out "$tmp/render" "$tmp/in/bad id" "$tmp/in/4cup" 2>"$tmp/render.err"
rc=$?
[ $rc = 1 ] || fail "render exit $rc, expected 1"
grep -q "not usable as a folder name" "$tmp/render.err" || fail "render did not say why"
[ -f "$tmp/render/4cup/front.png" ] || fail "render skipped the good complex too"
[ "$(ls "$tmp/render")" = "4cup" ] || fail "render wrote for the bad id: $(ls "$tmp/render")"

"$misi" render --size 64 --view front --out "$tmp/render2" "$tmp/in/p.pdb" "$tmp/in/...mol2" 2>"$tmp/render2.err"
[ $? = 1 ] || fail "render of the '..' pair did not fail"
[ ! -e "$tmp/front.png" ] || fail "render wrote outside --out"

"$misi" generate --size 64 --tasks translation --no-progress --out "$tmp/gen" "$tmp/in/bad id" "$tmp/in/4cup" 2>"$tmp/gen.err"
rc=$?
[ $rc = 1 ] || fail "generate exit $rc, expected 1"
grep -q '"complex":[[:space:]]*"bad id"' "$tmp/gen/manifest.json" || fail "manifest does not list the skipped id"
[ "$(ls "$tmp/gen/images")" = "4cup" ] || fail "generate wrote images for the bad id"
# existing images are kept unless --force
before=$(sha256sum "$tmp/render/4cup/front.png")
"$misi" render --size 80 --view front --out "$tmp/render" "$tmp/in/4cup" 2>"$tmp/again.err"
[ $? = 1 ] || fail "render overwrote an existing image without --force"
grep -q "use --force" "$tmp/again.err" || fail "render did not say how to overwrite"
[ "$(sha256sum "$tmp/render/4cup/front.png")" = "$before" ] || fail "existing image changed"
"$misi" render --force --size 80 --view front --out "$tmp/render" "$tmp/in/4cup" 2>/dev/null || fail "--force failed"
[ "$(sha256sum "$tmp/render/4cup/front.png")" != "$before" ] || fail "--force did not overwrite"
echo "ok: unsafe ids are skipped, nothing leaves --out, nothing is overwritten without --force"
