#!/usr/bin/env bash
# misi preview on a small generated dataset (two bundled complexes, 96 px).
#   preview.sh <misi> <sheet_check> <assets> tiles    each image whole in its place, captions, text
#   preview.sh <misi> <sheet_check> <assets> answer   --no-answers leaves exactly the answer out
#   preview.sh <misi> <sheet_check> <assets> tar      a --format tar dataset gives the same bytes
#   preview.sh <misi> <sheet_check> <assets> errors   bad ids, tasks, images, records: a clear
#                                                     error and no file
set -u
misi=$1 check=$2 assets=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# T1 (4 images), T5 (11, options are images), T8 (6, options are commands);
# --split train: every question of both complexes in train.jsonl
gen() {
    "$misi" generate --no-progress --no-label-check --size 96 --split train \
        --tasks translation,translation_rotation,interaction_location --out "$tmp/$1" "${@:2}" \
        "$assets/1cs4" "$assets/1hpv" 2>"$tmp/$1.log" && return 0
    if grep -q "EGL\|OpenGL ES" "$tmp/$1.log" && [ -z "${MISI_REQUIRE_GL:-}" ]; then
        echo "no OpenGL ES context: skipped"
        exit 77
    fi
    cat "$tmp/$1.log" >&2
    fail "generate $1"
}
# the image paths of question $2 of dataset $1, one a line
images_of() {
    python3 -c 'import json, sys
for f in ("train.jsonl", "test.jsonl"):
    try:
        lines = open(sys.argv[1] + "/" + f)
    except FileNotFoundError:
        continue
    for line in lines:
        r = json.loads(line)
        if r["id"] == sys.argv[2]:
            print("\n".join(sys.argv[1] + "/" + i for i in r["images"]))' "$1" "$2"
}
# must fail with exit status $1, say $2 on stderr and leave no $tmp/out.png
must_fail() {
    local want=$1 say=$2
    shift 2
    rm -f "$tmp/out.png"
    "$misi" preview --out "$tmp/out.png" "$@" 2>"$tmp/err"
    local rc=$?
    [ "$rc" -eq "$want" ] || { cat "$tmp/err" >&2; fail "preview $* exits $rc, not $want"; }
    grep -qF -- "$say" "$tmp/err" || { cat "$tmp/err" >&2; fail "preview $*: no '$say' in the message"; }
    [ -e "$tmp/out.png" ] && fail "preview $* left $tmp/out.png"
    ls "$tmp" | grep -q '\.tmp\.' && fail "preview $* left a temporary file"
    echo "ok: $* -> $(head -1 "$tmp/err")"
}

case $4 in
tiles)
    gen loose
    for id in 1cs4-interaction_location-train-0 1cs4-translation_rotation-train-0; do
        "$misi" preview --out "$tmp/$id.png" "$tmp/loose" "$id" || fail "preview $id"
        mapfile -t imgs < <(images_of "$tmp/loose" "$id")
        [ "${#imgs[@]}" -ge 6 ] || fail "$id has ${#imgs[@]} images"
        "$check" tiles "$tmp/$id.png" 0 "${imgs[@]}" || fail "sheet of $id"
    done
    # --tile 48 halves the 96 px images: each tile the rounded 2x2 means
    id=1hpv-translation-train-1
    "$misi" preview --tile 48 --out "$tmp/half.png" "$tmp/loose" "$id" || fail "preview --tile 48"
    mapfile -t imgs < <(images_of "$tmp/loose" "$id")
    "$check" tiles "$tmp/half.png" 2 "${imgs[@]}" || fail "--tile 48 sheet of $id"
    # --task: the first N questions of the task, one under the other
    "$misi" preview --task 8 --count 2 --out "$tmp/t8.png" "$tmp/loose" >"$tmp/t8.out" || fail "preview --task 8"
    grep -q "t8.png: 2 questions" "$tmp/t8.out" || fail "--task 8 --count 2 did not show 2 questions"
    mapfile -t a < <(images_of "$tmp/loose" 1cs4-interaction_location-train-0)
    mapfile -t b < <(images_of "$tmp/loose" 1cs4-interaction_location-train-1)
    "$check" tiles "$tmp/t8.png" 0 "${a[@]}" "${b[@]}" || fail "--task sheet"
    ;;
answer)
    gen loose
    for id in 1cs4-translation_rotation-train-2 1hpv-translation-train-0; do
        "$misi" preview --out "$tmp/shown.png" "$tmp/loose" "$id" || fail "preview $id"
        "$misi" preview --answers --out "$tmp/shown2.png" "$tmp/loose" "$id" || fail "preview --answers $id"
        cmp -s "$tmp/shown.png" "$tmp/shown2.png" || fail "--answers is not the default"
        "$misi" preview --no-answers --out "$tmp/hidden.png" "$tmp/loose" "$id" || fail "preview --no-answers $id"
        "$check" answer "$tmp/shown.png" "$tmp/hidden.png" || fail "--no-answers on $id"
    done
    ;;
tar)
    gen loose
    gen tar --format tar
    [ -e "$tmp/tar/images" ] && fail "the tar dataset has loose images"
    for q in "1cs4-translation_rotation-train-0" "--task translation_rotation --count 2" "--tile 40 1hpv-interaction_location-train-1"; do
        # shellcheck disable=SC2086
        "$misi" preview --out "$tmp/a.png" "$tmp/loose" $q >/dev/null || fail "preview (loose) $q"
        # shellcheck disable=SC2086
        "$misi" preview --out "$tmp/b.png" "$tmp/tar" $q >/dev/null || fail "preview (tar) $q"
        # shellcheck disable=SC2086
        "$misi" preview --out "$tmp/c.png" "$tmp/loose" $q >/dev/null || fail "preview (again) $q"
        cmp "$tmp/a.png" "$tmp/b.png" || fail "$q: the tar dataset's sheet differs from the loose one's"
        cmp "$tmp/a.png" "$tmp/c.png" || fail "$q: two runs differ"
        echo "ok: $q: $(wc -c <"$tmp/a.png") bytes from loose files and from shards"
    done
    ;;
errors)
    gen loose
    d=$tmp/loose
    must_fail 2 "no question with id '1cs4-nope-train-0'" "$d" 1cs4-nope-train-0
    grep -qF -- "--task" "$tmp/err" || fail "the unknown id's message does not suggest --task"
    must_fail 2 "no question with id '1cs4-nope-train-0' in train.jsonl (" --split train "$d" 1cs4-nope-train-0
    must_fail 2 "the dataset has no test split (no test.jsonl)" --split test "$d" 1cs4-translation-train-0
    must_fail 2 "unknown task 'docks': expected one of translation, rotation, zooming" --task docks "$d"
    grep -qF "interaction_location, pocket_ligand" "$tmp/err" || fail "the unknown task's message does not list every task"
    must_fail 2 "no question of task rotation in train.jsonl or test.jsonl" --task rotation "$d"
    must_fail 2 "--count is a whole number from 1 to 20, not '0'" --task 1 --count 0 "$d"
    must_fail 1 "not a misi dataset: no train.jsonl or test.jsonl" "$tmp" 1cs4-translation-train-0
    # a missing image: named, with its question
    cp -r "$d" "$tmp/holes"
    victim=$(images_of "$tmp/holes" 1cs4-translation-train-0 | sed -n 3p)
    rm "$victim"
    must_fail 1 "question 1cs4-translation-train-0: image ${victim#"$tmp/holes/"} is neither a file of the dataset nor a member of its shards/images-*.tar" "$tmp/holes" 1cs4-translation-train-0
    # a damaged image: named, with the decoder's words
    victim=$(images_of "$tmp/holes" 1hpv-translation-train-0 | sed -n 4p)
    printf 'not a png' >"$victim"
    must_fail 1 "question 1hpv-translation-train-0: image ${victim#"$tmp/holes/"}:" "$tmp/holes" 1hpv-translation-train-0
    # a record that is not JSON: file and line
    sed -i '2s/.*/{"id": "1cs4-translation-train-1", broken/' "$tmp/holes/train.jsonl"
    must_fail 1 "$tmp/holes/train.jsonl:2: expected one JSON object" "$tmp/holes" 1cs4-translation-train-1
    # a record without its question text
    sed -i '3s/"question":/"q":/' "$tmp/holes/train.jsonl"
    must_fail 1 "$tmp/holes/train.jsonl:3: expected a string \"question\"" "$tmp/holes" 1cs4-translation-train-2
    # an image path that leaves the dataset
    sed -i '4s#"images/1cs4/#"../../1cs4/#' "$tmp/holes/train.jsonl"
    must_fail 1 "is not a relative path inside the dataset" "$tmp/holes" 1cs4-translation-train-3
    # a failed run leaves the file that was there as it was
    printf 'keep me' >"$tmp/keep.png"
    "$misi" preview --out "$tmp/keep.png" "$d" 1cs4-nope-train-0 2>/dev/null && fail "unknown id accepted"
    [ "$(cat "$tmp/keep.png")" = "keep me" ] || fail "a failed run changed the file at --out"
    ;;
*)
    fail "unknown case $4"
    ;;
esac
echo ok
