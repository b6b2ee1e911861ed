#!/usr/bin/env bash
# What the per-complex drain of misi generate costs (docs/performance.md,
# "Overlap"). src/pipeline/generate.c waits for the writer pool at the end of
# every complex (finish_part), so the renderer idles while the complex's
# last images are encoded. This runs, on the same complexes:
#   1. misi generate (wall time, images),
#   2. misi bench once per complex with -n = that complex's image count
#      (each run ends in one drain, like a complex of misi generate),
#   3. misi bench once with -n = all the images together (a single drain),
# and prints the three, so (2) - (3) is what draining per complex costs at
# this image count, and (1) - (2) what the generator adds beyond the stages
# misi bench times (more scenes per complex, smaller batches, records, hashes).
#
#   tools/bench/generate-drain.sh [--misi PATH] [--threads N] [COMPLEX_FOLDERS_ROOT]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
misi=$root/build-bench/misi
threads=()
while [ $# -gt 0 ]; do
    case "$1" in
    --misi) misi=$2; shift 2 ;;
    --threads) threads=(--threads "$2"); shift 2 ;;
    *) break ;;
    esac
done
src=${1:-$root/assets/complexes}
work=$(mktemp -d "${TMPDIR:-/tmp}/misi-drain.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "load average: $(uptime | sed 's/.*load average: //')"
t0=$(date +%s.%N)
"$misi" generate "${threads[@]}" --no-progress --out "$work/gen" "$src" >/dev/null
t1=$(date +%s.%N)
gen_s=$(echo "$t1 - $t0" | bc -l)

total_images=0
sum_s=0
sum_drain=0
for d in "$work"/gen/images/*/; do
    id=$(basename "$d")
    k=$(find "$d" -name '*.png' | wc -l)
    [ "$k" -gt 0 ] || continue
    cdir=$src/$id
    [ -d "$cdir" ] || continue
    j=$("$misi" bench "${threads[@]}" --complex "$cdir" -n "$k" --json)
    s=$(echo "$j" | python3 -c 'import json,sys; r=json.load(sys.stdin); st=r["stages"]; print(r["total_s"] + st["load_s"] + st["qa_s"] + st["scene_s"] + st["upload_s"], st["drain_s"])')
    sum_s=$(echo "$sum_s + ${s% *}" | bc -l)
    sum_drain=$(echo "$sum_drain + ${s#* }" | bc -l)
    total_images=$((total_images + k))
done
one=$("$misi" bench "${threads[@]}" -n "$total_images" --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["total_s"], r["stages"]["drain_s"])')
printf 'misi generate:                   %6d images in %7.2f s = %6.1f images/s\n' "$total_images" "$gen_s" "$(echo "$total_images / $gen_s" | bc -l)"
printf 'bench per complex (sum):         %6d images in %7.2f s = %6.1f images/s (drains %.2f s)\n' "$total_images" "$sum_s" "$(echo "$total_images / $sum_s" | bc -l)" "$sum_drain"
printf 'bench all images at once:        %6d images in %7.2f s = %6.1f images/s (drain %.2f s)\n' "$total_images" "${one% *}" "$(echo "$total_images / ${one% *}" | bc -l)" "${one#* }"
echo "load average: $(uptime | sed 's/.*load average: //')"
