#!/usr/bin/env bash
# The GPU run kit end to end on llvmpipe, at a reduced scale: tools/gpu/pack.sh
# packs this build's misi (MISI_KIT_BUILD) with 3 scale complexes, the kit
# is unpacked in a fresh folder and its run.sh runs with the vendor step
# skipped, as a GPU node would run it. Checks the kit's contents and size,
# that misi ran on glvnd's libEGL unpacked from the carried packages, the
# results folder (seven files, each under 16 MiB, every figure in
# results.json), and that the views drawn here equal the llvmpipe renders
# packed in the kit (same renderer: no pixel may differ). Never asserts on
# time. The glvnd .debs come from apt-get download once, then from a cache
# in the build folder; without network and cache the test skips (77).
#   kit.sh MISI_EXE SOURCE_ROOT CACHE_DIR
set -euo pipefail
misi=$1 root=$2 cache=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$cache"
debs="libegl1 libglvnd0 libgles2 libopengl0"
have=1
for d in $debs; do ls "$cache"/${d}_*.deb >/dev/null 2>&1 || have=0; done
if [ "$have" = 0 ]; then
  chmod 755 "$cache" 2>/dev/null || true
  if ! (cd "$cache" && apt-get download $debs >/dev/null 2>&1); then
    echo "SKIP: cannot apt-get download $debs (no network?) and no cache in $cache" >&2
    exit 77
  fi
fi

export MISI_KIT_BUILD=$(dirname "$misi") MISI_KIT_COMPLEXES=3 MISI_KIT_DEBS=$cache
"$root/tools/gpu/pack.sh" "$tmp/kit.tar.gz" >"$tmp/pack.log" 2>&1 || { cat "$tmp/pack.log" >&2; fail "pack.sh failed"; }
size=$(stat -c %s "$tmp/kit.tar.gz")
[ "$size" -lt $((60 * 1024 * 1024)) ] || fail "kit is $size bytes, over 60 MiB"

mkdir "$tmp/node"
tar xzf "$tmp/kit.tar.gz" -C "$tmp/node"
k=$tmp/node/misi-gpu-kit
for f in bin/misi run.sh views.json KIT.txt share/DejaVuSans.ttf ref/1cs4/front.png ref/3v2u/turned.png \
         assets/complexes/3v2u scale/s000002; do
  [ -e "$k/$f" ] || fail "kit lacks $f"
done
for d in $debs; do ls "$k"/debs/${d}_*.deb >/dev/null || fail "kit lacks the $d package"; done
[ -f "$k/lib/libdeflate.so.0" ] && [ -f "$k/lib/libpng16.so.16" ] || fail "kit lacks misi's libraries: $(ls "$k/lib")"
if ls "$k/lib" | grep -E '^(libc|libm|ld-linux|libEGL|libGLESv2|libGLdispatch)\.' >/dev/null; then
  fail "kit carries glibc or GL libraries, which must come from the node: $(ls "$k/lib")"
fi

# The node: nothing of the build tree in reach (the kit runs from its folder).
export MISI_KIT_SKIP_VENDOR=1 MISI_KIT_BENCH_N=6 MISI_KIT_SIZES="96 128" MISI_KIT_CEILING_N=60 \
  MISI_KIT_CEILING_THREADS=2 MISI_KIT_GEN_COMPLEXES=2 MISI_KIT_BUDGET_S=400
unset MISI_SOURCE_ROOT MISI_FONT
rc=0
(cd "$tmp" && "$k/run.sh" "$tmp/results") 2>"$tmp/run.err" || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/run.err" >&2; fail "run.sh exit $rc"; }

r=$tmp/results
n=$(ls "$r" | wc -l)
[ "$n" -eq 7 ] || fail "expected 7 result files, got $n: $(ls "$r")"
for f in "$r"/*; do
  [ "$(stat -c %s "$f")" -lt $((16 * 1024 * 1024)) ] || fail "$f is 16 MiB or more"
done
grep -q "libEGL.so.1 => .*/glvnd/" "$r/run.log" || fail "misi did not run on the carried glvnd libEGL: $(grep ldd "$r/run.log")"
grep -q "all steps passed" "$r/summary.txt" || fail "summary: $(cat "$r/summary.txt")"
python3 - "$r/results.json" <<'PY' || fail "results.json"
import json, sys
r = json.load(open(sys.argv[1]))
for k in ["info", "bench_96", "bench_128", "ceiling", "generate", "compare", "steps", "node"]:
    assert r.get(k) is not None, f"{k} missing"
assert all(s["rc"] == 0 for s in r["steps"].values()), r["steps"]
assert r["info"]["gl"]["renderer"], r["info"]
assert r["bench_128"]["images"] == 6 and r["bench_128"]["width"] == 128, r["bench_128"]
c = r["ceiling"]
assert c["mode"] == "ceiling" and c["threads"] == 2 and c["images"] == 60, c
g = r["generate"]
assert g["complexes"] == 2 and g["images"] > 0 and g["bytes"] > 0, g
t = r["compare"]["total"]
assert r["compare"]["compared"] == 6, r["compare"]
# The same llvmpipe drew both: identical pixels.
assert t["max_channel_diff"] == 0 and t["differing_pixel_fraction"] == 0, t
assert r["node"]["vendor_step_skipped"] is True
PY
echo ok
