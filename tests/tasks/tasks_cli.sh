#!/usr/bin/env bash
# `misi tasks` shows the registry: nine tasks in order with their number,
# what they ask, images per question, answer form and counts; --json says
# the same; `misi --help` and `misi generate --help` name every task; and
# the paper preset's fixed counts it prints are what misi generate makes
# for a complex (so the list cannot drift from the generator).
# usage: tasks_cli.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$misi" tasks >"$tmp/text" 2>"$tmp/err" || fail "misi tasks: exit $?"
"$misi" tasks --json >"$tmp/json" || fail "misi tasks --json: exit $?"
"$misi" --help >"$tmp/help" || fail "misi --help"
"$misi" generate --help >"$tmp/ghelp" || fail "misi generate --help"
"$misi" tasks --bogus 2>/dev/null
[ $? = 2 ] || fail "misi tasks --bogus: expected exit 2"

python3 - "$tmp" <<'PY' || fail "misi tasks output"
import json, sys
d = sys.argv[1]
doc = json.load(open(d + "/json"))
tasks = doc["tasks"]
names = ["translation", "rotation", "zooming", "residue_ligand", "translation_rotation",
         "rotation_rotation", "docking", "interaction_location", "pocket_ligand"]
assert [t["name"] for t in tasks] == names, [t["name"] for t in tasks]
assert [t["number"] for t in tasks] == list(range(1, 10))
text = open(d + "/text").read()
for t in tasks:
    assert t["asks"] and t["answer"] and t["images"] > 0, t
    assert t["kind"] in ("cloze", "multiple-choice"), t
    head = "T%d %s (" % (t["number"], t["name"])
    assert head in text, head
    assert t["answer"] in text and t["asks"] in text, t["name"]
    p = t["presets"]["paper"]
    if p["train"] is None:
        assert p.get("rule"), t["name"]
    else:
        assert "%d train / %d test" % (p["train"], p["test"]) in text, t["name"]
    for f in ("help", "ghelp"):
        assert t["name"] in open(d + "/" + f).read(), (f, t["name"])
mc = [t["number"] for t in tasks if t["kind"] == "multiple-choice"]
assert mc == [5, 6, 8], mc
assert tasks[8]["count_max"] == 1 and tasks[7]["count_max"] == 3 and tasks[0]["count_max"] is None
# what a complex needs besides counts is said where it applies, and printed
needs = {t["number"]: t["needs"] for t in tasks}
assert needs[5] and "split" in needs[5] and needs[7] and "covalent" in needs[7], needs
assert all(needs[n] is None for n in (1, 2, 3, 4, 6, 8, 9)), needs
for n in (5, 7):
    assert "   needs:   " + needs[n] in text, n
# the fixed paper counts, for generate below
with open(d + "/fixed", "w") as f:
    for t in tasks:
        p = t["presets"]["paper"]
        if p["train"] is not None and t["name"] != "translation_rotation":
            f.write("%s %d %d\n" % (t["name"], p["train"], p["test"]))
PY

# What generate makes for one complex, per split, equals the printed counts.
tasks=$(cut -d' ' -f1 "$tmp/fixed" | paste -sd, -)
for split in train test; do
  "$misi" generate --no-progress --size 160 --split $split --tasks "$tasks" --out "$tmp/$split" \
    "$assets/1hpv" 2>"$tmp/gen.err" || { cat "$tmp/gen.err" >&2; fail "generate --split $split"; }
done
python3 - "$tmp" <<'PY' || fail "generate's counts differ from misi tasks"
import json, sys
d = sys.argv[1]
for col, split in ((1, "train"), (2, "test")):
    made = {}
    for line in open("%s/%s/%s.jsonl" % (d, split, split)):
        t = json.loads(line)["task"]
        made[t] = made.get(t, 0) + 1
    for row in open(d + "/fixed"):
        f = row.split()
        assert made.get(f[0], 0) == int(f[col]), (split, f[0], made.get(f[0]), f[col])
PY
echo "ok: misi tasks lists the registry, and generate makes the counts it prints"
