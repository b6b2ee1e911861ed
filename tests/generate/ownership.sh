#!/usr/bin/env bash
# misi deletes or replaces only what it made. Foreign files -- temporaries
# with names like misi's (thesis.tmp.bak, movie.mkv.partial), a user's
# images/holiday/beach.jpg, files behind a symlinked folder outside --out --
# survive generate, --force, --resume, --format tar and merge; a folder that
# looks like a root or a home (a temporary one: HOME is pointed at it) is
# refused before anything is written; a non-empty folder that holds no misi
# output is refused unless --force, and --force then replaces none of its
# files (a user's train.jsonl is refused by name).
# usage: ownership.sh <misi> <assets folder>
set -u
misi=$1
assets=$2
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
opts=(--size 48 --tasks translation,rotation --seed 5 --no-progress)
srcs=("$assets/4cup" "$assets/1hpv")

# a listing with checksums of every file under $1 but misi's own (so that
# "the foreign files are as they were" is one cmp)
snap() { (cd "$1" && find . \( -path ./images/4cup -o -path ./images/1hpv -o -path ./.parts -o -path ./shards \) -prune -o \( -type f -o -type l \) -print |
  grep -v -E '^\./(manifest\.json|(train|test)(\.conversations)?\.jsonl|metadata\.jsonl|shards\.jsonl|truth\.jsonl|\.misi-lock)$' |
  sort | while read -r f; do if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f $(md5sum <"$f")"; fi; done); }

# 1. A root-like folder: home/, var/cache, temporaries that look like misi's,
#    a user's images/, a link to a folder outside.
root="$tmp/root"
outside="$tmp/outside"
mkdir -p "$root/home/user" "$root/var/cache" "$root/images/holiday" "$outside"
echo thesis >"$root/home/user/thesis.tmp.bak"
echo movie >"$root/var/cache/movie.mkv.partial"
echo beach >"$root/images/holiday/beach.jpg"
echo notes >"$root/notes.tmp.1.2"
echo secret >"$outside/secret.tmp.1.2"
echo part >"$outside/000000-x.json.partial"
ln -s "$outside" "$root/linked"
snap "$root" >"$tmp/root.before"
snap "$outside" >"$tmp/outside.before"

"$misi" generate "${opts[@]}" --out "$root" "${srcs[@]}" 2>"$tmp/e" && fail "a foreign non-empty folder was accepted"
grep -q 'holds no misi output' "$tmp/e" || { cat "$tmp/e" >&2; fail "no reason given for refusing $root"; }
[ -e "$root/.misi-lock" ] || [ -e "$root/.parts" ] || [ -e "$root/manifest.json" ] && fail "the refused run wrote into $root"
snap "$root" | cmp -s - "$tmp/root.before" || fail "the refused run changed $root"

for args in "--force" "--force" "--resume" "--force --format tar" "--force"; do
  # shellcheck disable=SC2086
  "$misi" generate "${opts[@]}" $args --out "$root" "${srcs[@]}" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "generate $args into $root"; }
  snap "$root" | cmp -s - "$tmp/root.before" || { snap "$root" | diff - "$tmp/root.before" >&2; fail "generate $args changed foreign files in $root"; }
  snap "$outside" | cmp -s - "$tmp/outside.before" || fail "generate $args changed files outside --out"
done
grep -q 'kept .* that misi did not make' "$tmp/e" || { cat "$tmp/e" >&2; fail "--force did not say what it kept"; }
[ -f "$root/manifest.json" ] && [ -f "$root/images/holiday/beach.jpg" ] || fail "the last run did not finish beside the foreign files"

# 2. A user's train.jsonl in a foreign folder: --force refuses by name.
mkdir -p "$tmp/mine"
echo '{"mine": true}' >"$tmp/mine/train.jsonl"
"$misi" generate "${opts[@]}" --force --out "$tmp/mine" "${srcs[@]}" 2>"$tmp/e" && fail "--force replaced a user's train.jsonl"
grep -q 'train.jsonl, which no misi manifest or part lists' "$tmp/e" || { cat "$tmp/e" >&2; fail "the refusal does not name train.jsonl"; }
[ "$(cat "$tmp/mine/train.jsonl")" = '{"mine": true}' ] || fail "the user's train.jsonl changed"

# 3. Links in misi's own folders are refused, not followed.
"$misi" generate "${opts[@]}" --out "$tmp/ok" "${srcs[@]}" 2>/dev/null || fail "plain run"
mkdir -p "$tmp/victim"
echo keep >"$tmp/victim/0123456789abcdef.png.tmp.1.2"
echo keep >"$tmp/victim/0123456789abcdef.png"
snap "$tmp/victim" >"$tmp/victim.before"
ln -s "$tmp/victim" "$tmp/ok/images/evil"
for args in "--force" "--resume"; do
  # shellcheck disable=SC2086
  "$misi" generate "${opts[@]}" $args --out "$tmp/ok" "${srcs[@]}" 2>"$tmp/e" && fail "$args went through a link in images/"
  grep -q 'images/evil is a symbolic link' "$tmp/e" || { cat "$tmp/e" >&2; fail "$args: no error naming the link"; }
  snap "$tmp/victim" | cmp -s - "$tmp/victim.before" || fail "$args changed files behind the link"
done
rm "$tmp/ok/images/evil"
mv "$tmp/ok/images" "$tmp/ok.images"
ln -s "$tmp/ok.images" "$tmp/ok/images"
"$misi" generate "${opts[@]}" --force --out "$tmp/ok" "${srcs[@]}" 2>"$tmp/e" && fail "--force went through a linked images/"
grep -q 'images is a symbolic link' "$tmp/e" || { cat "$tmp/e" >&2; fail "no error naming the linked images/"; }
[ -n "$(ls "$tmp/ok.images/4cup")" ] || fail "files behind the linked images/ were deleted"

# 4. A home folder (HOME pointed at a temporary one) is refused before
#    anything is made in it, with --force too.
mkdir -p "$tmp/home"
for args in "" "--force"; do
  # shellcheck disable=SC2086
  HOME="$tmp/home" "$misi" generate "${opts[@]}" $args --out "$tmp/home/" "${srcs[@]}" 2>"$tmp/e" &&
    fail "generate $args into \$HOME was accepted"
  grep -q 'is your home folder' "$tmp/e" || { cat "$tmp/e" >&2; fail "no reason given for refusing \$HOME"; }
  [ -z "$(ls -A "$tmp/home")" ] || fail "the refused run wrote into \$HOME"
done

# 5. --format tar into a misi folder that also holds a user's images/
#    subfolder: the user's files stay, misi's loose images go.
"$misi" generate "${opts[@]}" --out "$tmp/tar" "${srcs[@]}" 2>/dev/null || fail "plain run for tar"
mkdir -p "$tmp/tar/images/holiday"
echo beach >"$tmp/tar/images/holiday/beach.jpg"
"$misi" generate "${opts[@]}" --force --format tar --out "$tmp/tar" "${srcs[@]}" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "--format tar"; }
[ "$(cat "$tmp/tar/images/holiday/beach.jpg" 2>/dev/null)" = beach ] || fail "--format tar removed a user's images/holiday/beach.jpg"
[ -z "$(find "$tmp/tar/images" -name '*.png')" ] || fail "--format tar kept loose images it packed"

# 6. misi merge into a folder with a user's images/ and train.jsonl: refused,
#    also with --force (by name); without the train.jsonl --force merges
#    beside the user's images.
"$misi" generate "${opts[@]}" --shard 0/1 --out "$tmp/s0" "${srcs[@]}" 2>/dev/null || fail "shard run"
mkdir -p "$tmp/m/images/holiday"
echo beach >"$tmp/m/images/holiday/beach.jpg"
echo '{"mine": true}' >"$tmp/m/train.jsonl"
"$misi" merge "$tmp/m" "$tmp/s0" 2>"$tmp/e" && fail "merge into a foreign folder was accepted"
grep -q 'holds no misi output' "$tmp/e" || { cat "$tmp/e" >&2; fail "merge: no reason given"; }
"$misi" merge --force "$tmp/m" "$tmp/s0" 2>"$tmp/e" && fail "merge --force replaced a user's train.jsonl"
grep -q 'train.jsonl, which no misi manifest' "$tmp/e" || { cat "$tmp/e" >&2; fail "merge --force: train.jsonl not named"; }
[ "$(cat "$tmp/m/train.jsonl")" = '{"mine": true}' ] || fail "merge changed the user's train.jsonl"
mv "$tmp/m/train.jsonl" "$tmp/train.mine"
"$misi" merge --force "$tmp/m" "$tmp/s0" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "merge --force beside a user's images/"; }
[ "$(cat "$tmp/m/images/holiday/beach.jpg")" = beach ] || fail "merge removed the user's images/holiday/beach.jpg"
[ -f "$tmp/m/manifest.json" ] || fail "merge wrote no manifest"
"$misi" merge --force "$tmp/m" "$tmp/s0" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "merge --force over its own merge"; }
[ "$(cat "$tmp/m/images/holiday/beach.jpg")" = beach ] || fail "a second merge --force removed the user's file"

# 7. The Slurm layout (tools/slurm): shard folders and logs inside the folder
#    merged into. Folders holding the inputs are not someone else's files.
mkdir -p "$tmp/run/slurm/logs"
echo log >"$tmp/run/slurm/logs/generate-1_0.out"
cp -a "$tmp/s0" "$tmp/run/slurm/0"
"$misi" merge "$tmp/run" "$tmp/run/slurm/0" 2>"$tmp/e" || { cat "$tmp/e" >&2; fail "merge into the folder holding its shards"; }
[ -f "$tmp/run/manifest.json" ] && [ -f "$tmp/run/slurm/logs/generate-1_0.out" ] || fail "merge into the Slurm layout"
echo "ok: foreign files survive every command"
