#!/usr/bin/env bash
# --count rules (docs/dataset.md "Unique and answerable questions"):
# - a count above what any complex can give (T8: 3, T9: 1) is refused before
#   anything is drawn or written (exit 2, no output folder);
# - no question appears twice in a split: 21 zooming questions of one complex
#   are the 21 depths 40..60, each once (21 independent draws would repeat
#   some: the old generator emitted duplicates);
# - a complex that cannot give what --count asks (T1 has 16 distinct
#   questions per split) gives what it can, is listed under "unanswerable",
#   and the run exits 1.
# usage: count_rules.sh MISI ASSETS
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
common=(--size 64 --split train --no-progress)

"$misi" generate "${common[@]}" --tasks interaction_location --count interaction_location=12/12 \
    --out "$tmp/t8" "$assets/1hpv" 2>"$tmp/t8.err"
st=$?
[ "$st" -eq 2 ] || fail "--count interaction_location=12/12: exit $st, expected 2 ($(cat "$tmp/t8.err"))"
grep -q "at most 3" "$tmp/t8.err" || fail "no 'at most 3' in: $(cat "$tmp/t8.err")"
[ ! -e "$tmp/t8" ] || fail "a refused --count left $tmp/t8 behind"
"$misi" generate "${common[@]}" --count pocket_ligand=2 --out "$tmp/t9" "$assets/1hpv" 2>"$tmp/t9.err"
st=$?
[ "$st" -eq 2 ] || fail "--count pocket_ligand=2: exit $st, expected 2"

"$misi" generate "${common[@]}" --tasks zooming --count zooming=21/0 --out "$tmp/zoom" "$assets/1hpv" \
    2>"$tmp/zoom.err" || fail "21 zooming questions: $(cat "$tmp/zoom.err")"
python3 - "$tmp/zoom/train.jsonl" <<'PY' || fail "zooming answers are not the 21 depths once each"
import json, sys
answers = sorted(json.loads(l)["answer"] for l in open(sys.argv[1]))
want = sorted(f"move z {d}" for d in range(40, 61))
sys.exit(0 if answers == want else 1)
PY

"$misi" generate "${common[@]}" --tasks translation --count translation=17/0 --out "$tmp/t1" "$assets/1hpv" \
    2>"$tmp/t1.err"
st=$?
[ "$st" -eq 1 ] || fail "--count translation=17/0: exit $st, expected 1 ($(cat "$tmp/t1.err"))"
grep -q "gave fewer questions than --count asked" "$tmp/t1.err" || fail "no shortfall note: $(cat "$tmp/t1.err")"
python3 - "$tmp/t1" <<'PY' || fail "translation: expected 16 distinct questions and an unanswerable note"
import json, sys
d = sys.argv[1]
recs = [json.loads(l) for l in open(f"{d}/train.jsonl")]
keys = {(tuple(r["images"]), r["question"], r["answer"]) for r in recs}
notes = json.load(open(f"{d}/manifest.json"))["unanswerable"]
sys.exit(0 if len(recs) == 16 and len(keys) == 16 and len(notes) == 1 and "repeats" in notes[0]["reason"] else 1)
PY
echo "count rules hold"
