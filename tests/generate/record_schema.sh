#!/usr/bin/env bash
# Every JSON Lines file of a dataset has one type per field (docs/dataset.md
# "One type per field"): an Arrow-like schema inferred over every line of a
# set that holds all nine tasks in both splits finds no field with two types
# (tools/jsonl-schema.py: int64 and double do not merge, structs need one key
# set). A --format tar set names no path that is not in its shards. And the
# checker fails on the records misi wrote before the fixed shape.
# usage: record_schema.sh <misi> <assets folder> <source root>
set -u
misi=$1
assets=$2
root=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
schema=("$root/tools/jsonl-schema.py")

# 1. All nine tasks, both splits (1hpv and 4cup are the test split), at a size
#    where T8's and T9's labels are legible, so `legible` is filled too.
counts=()
for t in translation rotation zooming translation_rotation rotation_rotation docking interaction_location \
         pocket_ligand; do counts+=(--count "$t=1/1"); done
"$misi" generate --no-progress --size 384 --seed 2 "${counts[@]}" --count residue_ligand=2/2 \
    --out "$tmp/set" 2>"$tmp/set.log"
rc=$?
# exit 1: some complex gives fewer than asked (no H-bond, a covalent ligand)
[ $rc = 0 ] || [ $rc = 1 ] || { cat "$tmp/set.log" >&2; fail "generate: exit $rc"; }
python3 - "$tmp/set" <<'PY' || fail "the set does not cover every task in both splits"
import json, sys
seen = set()
for split in ("train", "test"):
    for line in open("%s/%s.jsonl" % (sys.argv[1], split)):
        o = json.loads(line)
        seen.add((split, o["task_number"]))
        if o["truth"].get("legible"):
            seen.add((split, "legible"))
missing = [(s, t) for s in ("train", "test") for t in list(range(1, 10)) + ["legible"] if (s, t) not in seen]
if missing:
    sys.exit("missing: %s" % missing)
PY
python3 "${schema[@]}" "$tmp/set" >"$tmp/schema.out" 2>&1 || { cat "$tmp/schema.out" >&2; fail "fields with two types"; }
grep -q "^ok: .* in 4 groups of files" "$tmp/schema.out" || { cat "$tmp/schema.out" >&2; fail "not every file checked"; }
# a float field is a float in every line, even where its value is whole
grep -q '"max":180.0' "$tmp/set/train.jsonl" || fail "a whole-numbered H-bond bound is not printed as a float"
grep -q '"rotation":\[1.0,0.0,0.0,' "$tmp/set/truth.jsonl" || fail "a whole-numbered pose is not printed as floats"
# the scorer's fixture is in the same shape
python3 "${schema[@]}" "$root/tests/score/fixtures/gold.jsonl" >/dev/null || fail "the score fixture has two types"

# 2. --format tar: no metadata.jsonl naming loose files that are gone, but
#    shards.jsonl, and every path any file names is a member of its shard.
"$misi" generate --no-progress --size 64 --no-label-check --format tar --shard-images 5 \
    --tasks translation,translation_rotation,residue_ligand --count translation=1/1 \
    --count translation_rotation=1/1 --count residue_ligand=1/1 --out "$tmp/tar" 2>"$tmp/tar.log" ||
    { cat "$tmp/tar.log" >&2; fail "tar run"; }
[ -e "$tmp/tar/metadata.jsonl" ] && fail "a tar run wrote metadata.jsonl, whose file names are not on disk"
python3 "${schema[@]}" "$tmp/tar" >"$tmp/schema.out" 2>&1 || { cat "$tmp/schema.out" >&2; fail "tar: two types"; }
python3 - "$tmp/tar" <<'PY' || fail "a tar dataset names a path that no shard holds"
import json, os, sys, tarfile
d = sys.argv[1]
members = {}
for name in sorted(os.listdir(os.path.join(d, "shards"))):
    with tarfile.open(os.path.join(d, "shards", name)) as t:
        for m in t.getnames():
            members[m] = "shards/" + name
index = {}
for line in open(os.path.join(d, "shards.jsonl")):
    o = json.loads(line)
    if members.get(o["file_name"]) != o["shard"]:
        sys.exit("shards.jsonl: %s is not in %s" % (o["file_name"], o["shard"]))
    index[o["file_name"]] = o["shard"]
if set(index) != set(members):
    sys.exit("shards.jsonl and the shards list different images")
named = [json.loads(l)["file_name"] for l in open(os.path.join(d, "truth.jsonl"))]
for split in ("train", "test"):
    for l in open(os.path.join(d, split + ".jsonl")):
        o = json.loads(l)
        named += o["images"] + [v for v in (o["options"] or {}).values() if v.startswith("images/")]
    for l in open(os.path.join(d, split + ".conversations.jsonl")):
        named += json.loads(l)["images"]
bad = [p for p in named if p not in index]
if bad:
    sys.exit("named but in no shard: %s" % bad[:3])
manifest = {f["path"] for f in json.load(open(os.path.join(d, "manifest.json")))["files"]}
if "shards.jsonl" not in manifest:
    sys.exit("the manifest does not list shards.jsonl")
PY

# 3. The checker fails, naming line and field, on misi's records before the
#    fixed shape: T1's range a list and T7's an object; an H-bond bound
#    printed 4 in one line and 3.57 in another.
cat >"$tmp/old.jsonl" <<'JL'
{"id":"a-translation-train-0","task":"translation","answer":"move x 3","truth":{"axis":"x","value":3,"range":[-4,4]}}
{"id":"a-translation-train-1","task":"translation","answer":"move x 2","truth":{"axis":"x","value":2,"range":{"rotation":[-90,90]}}}
JL
python3 "${schema[@]}" "$tmp/old.jsonl" 2>"$tmp/old.err" >/dev/null && fail "the old T7 range passed"
grep -q "old.jsonl:2: field .truth.range is struct{rotation} here but list<int64> before" "$tmp/old.err" ||
    { cat "$tmp/old.err" >&2; fail "the conflict is not named"; }
cat >"$tmp/num.jsonl" <<'JL'
{"tests":[{"name":"D..A","max":3.57}]}
{"tests":[{"name":"phi","max":4}]}
JL
python3 "${schema[@]}" "$tmp/num.jsonl" 2>"$tmp/num.err" >/dev/null && fail "int and double merged"
grep -q "num.jsonl:2: field .tests\[\].max is int64 here but double before" "$tmp/num.err" ||
    { cat "$tmp/num.err" >&2; fail "the number conflict is not named"; }
echo "ok: one type per field in every file of a nine-task set; tar paths all in their shards; old shapes fail"
