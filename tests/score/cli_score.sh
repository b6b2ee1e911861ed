#!/bin/sh
# CLI checks of `misi score`: cli_score.sh <misi> <fixtures dir> <case>
set -u
misi=$1
fx=$2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; exit 1; }
expect() { grep -q -- "$1" "$out" || fail "expected '$1' on stdout"; }
expect_err() { grep -q -- "$1" "$err" || fail "expected '$1' on stderr"; }

case $3 in
gold_against_itself)
    "$misi" score --gold "$fx/gold.jsonl" --pred "$fx/gold.jsonl" >"$out" 2>"$err"
    [ $? -eq 0 ] || fail "exit status"
    for t in "T1 translation" "T2 rotation" "T3 zooming" "T4 residue_ligand" "T5 translation_rotation" \
             "T6 rotation_rotation" "T7 docking" "T8 interaction_location" "T9 pocket_ligand"; do
        grep -q "^$t .* 100.00  100.00\$" "$out" || fail "$t not at 100"
    done
    expect "^headline (all but T5, T6) *7 *tasks  100.00  100.00\$"
    grep -q "missing\|malformed\|not in the gold" "$out" && fail "problems reported"
    [ -s "$err" ] && fail "stderr not empty"
    ;;
json)
    "$misi" score --json --gold "$fx/gold.jsonl" --pred "$fx/gold.jsonl" >"$out" 2>"$err"
    [ $? -eq 0 ] || fail "exit status"
    expect '"headline":'
    expect '"score":	100'
    expect '"task":	"pocket_ligand"'
    ;;
rules)
    "$misi" score --gold "$fx/gold.jsonl" --pred "$fx/pred_rules.jsonl" >"$out" 2>"$err"
    [ $? -eq 0 ] || fail "exit status (missing predictions must still exit 0)"
    expect "^headline (all but T5, T6) *7 *tasks   39.29   22.62\$"
    expect "^missing predictions: 1 (scored 0)"
    expect "^  1abc-pocket_ligand-test-1"
    expect "^  nope-1"
    expect "the last answer counts"
    expect_err "pred_rules.jsonl:7: not JSON; line skipped"
    expect_err "pred_rules.jsonl:12: no \"answer\""
    ;;
split)
    "$misi" score --split test --gold "$fx/gold.jsonl" --pred "$fx/pred_rules.jsonl" >"$out" 2>"$err"
    [ $? -eq 0 ] || fail "exit status"
    expect "(17 questions, split test)"
    expect "^T1 translation *2 *2 *25.00 *0.00\$"
    expect "outside split test: 1"
    ;;
unreadable)
    # answers with nothing readable for their task are named: the first 5
    # with their raw text (one line, cut at 80 bytes), every one in --json
    "$misi" score --gold "$fx/gold.jsonl" --pred "$fx/pred_unreadable.jsonl" >"$out" 2>"$err"
    [ $? -eq 0 ] || fail "exit status"
    expect "^answers with nothing readable for their task: 7 (scored 0; --json lists all)"
    expect '^  1abc-translation-test-0: "I cannot tell from these images."$'
    expect '^  1abc-translation-test-1: ""$'
    expect '^  1abc-rotation-test-0: "It turned a little, maybe "clockwise"."$'
    expect '^  1abc-translation_rotation-test-0: "none of them"$'
    expect '^  ... and 2 more$'
    grep -q "1abc-docking-test-0" "$out" && fail "more than 5 unreadable answers shown"
    "$misi" score --json --gold "$fx/gold.jsonl" --pred "$fx/pred_unreadable.jsonl" >"$out" 2>"$err"
    [ $? -eq 0 ] || fail "exit status (--json)"
    python3 - "$out" <<'PY' || fail "--json does not list every unreadable answer with its text"
import json, sys
u = json.load(open(sys.argv[1]))["unreadable"]
assert u["count"] == 7, u
ids = [a["id"] for a in u["answers"]]
assert ids[-2:] == ["1abc-docking-test-0", "1abc-pocket_ligand-test-0"], ids
assert u["answers"][2]["answer"] == 'It turned a little,\nmaybe "clockwise".', u["answers"][2]
assert len(u["answers"][5]["answer"]) > 80
PY
    ;;
malformed_gold)
    "$misi" score --gold "$fx/gold_bad_answer.jsonl" --pred "$fx/gold.jsonl" >"$out" 2>"$err"
    [ $? -eq 1 ] || fail "exit status should be 1"
    expect_err "gold_bad_answer.jsonl:3:"
    "$misi" score --gold "$fx/no-such-file.jsonl" --pred "$fx/gold.jsonl" >"$out" 2>"$err"
    [ $? -eq 1 ] || fail "exit status for a missing gold file should be 1"
    "$misi" score --gold "$fx/gold.jsonl" --pred "$fx/no-such-file.jsonl" >"$out" 2>"$err"
    [ $? -eq 1 ] || fail "exit status for a missing predictions file should be 1"
    expect_err "no-such-file.jsonl"
    ;;
usage)
    "$misi" score --gold "$fx/gold.jsonl" >"$out" 2>"$err"
    [ $? -eq 2 ] || fail "no --pred: exit status should be 2"
    "$misi" score --gold "$fx/gold.jsonl" --pred "$fx/gold.jsonl" --split dev >"$out" 2>"$err"
    [ $? -eq 2 ] || fail "bad --split: exit status should be 2"
    "$misi" score --frobnicate >"$out" 2>"$err"
    [ $? -eq 2 ] || fail "unknown option: exit status should be 2"
    "$misi" score --help >"$out" 2>"$err"
    [ $? -eq 0 ] || fail "--help should exit 0"
    expect "usage: misi score"
    ;;
record_v1_gold)
    # a gold file made before the fixed record shape (record_version 1:
    # per-task truth keys, T7's range an object) scores exactly alike
    "$misi" score --json --gold "$fx/gold_record_v1.jsonl" --pred "$fx/pred_rules.jsonl" 2>/dev/null |
        grep -v '"gold":' >"$err.v1"
    "$misi" score --json --gold "$fx/gold.jsonl" --pred "$fx/pred_rules.jsonl" >"$out" 2>"$err"
    [ $? -eq 0 ] || fail "exit status"
    grep -v '"gold":' "$out" | cmp -s - "$err.v1" || { diff "$err.v1" "$out"; rm -f "$err.v1"; fail "scores differ"; }
    rm -f "$err.v1"
    expect '"score":'
    ;;
*)
    echo "unknown case $3"; exit 2 ;;
esac
exit 0
