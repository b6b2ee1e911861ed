#!/usr/bin/env bash
# The GPU run kit's one command, on the node (packed by tools/gpu/pack.sh):
#
#   misi-gpu-kit/run.sh RESULTS_DIR
#
# Puts glvnd's EGL in a private prefix from the carried .debs (never in /),
# points glvnd at NVIDIA's EGL vendor file, then runs, each under a time
# limit so that the whole stays within 8 minutes: misi info --json; misi
# bench at 256, 512 and 1024; the CPU-side ceiling (misi bench --ceiling)
# at 16 threads (or nproc when fewer); misi generate over the scale set with
# every core; the kit's fixed views, compared with the llvmpipe renders of
# the same views packed in the kit (misi compare). RESULTS_DIR gets seven
# files: summary.txt, results.json (every figure), run.log and four images
# (two views as drawn here and by llvmpipe). A failed step is recorded and
# the others still run; the exit status is 1 if any failed.
#
# Environment (defaults in brackets):
#   MISI_KIT_SKIP_VENDOR=1     do not look for NVIDIA's vendor file (Mesa/llvmpipe runs)
#   MISI_KIT_EGL_VENDOR=FILE   the EGL vendor file to use (else searched in the usual places)
#   MISI_KIT_BENCH_N=N         images per misi bench size [300]
#   MISI_KIT_SIZES="..."       bench sizes ["256 512 1024"]
#   MISI_KIT_CEILING_N=N       images of the ceiling run [20000]
#   MISI_KIT_CEILING_THREADS=N [16, or nproc when fewer]
#   MISI_KIT_GEN_COMPLEXES=N   complexes of the scale set to generate [all]
#   MISI_KIT_GEN_FORMAT=F      tar | files [tar]
#   MISI_KIT_BUDGET_S=S        wall-time budget for the steps [450]
#   MISI_KIT_WORK=DIR          scratch space, removed at the end [a new folder in $TMPDIR or /tmp]
set -uo pipefail
if [ $# -ne 1 ]; then
  echo "usage: run.sh RESULTS_DIR" >&2
  exit 2
fi
kit=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1" || exit 1
res=$(cd "$1" && pwd)
misi=$kit/bin/misi
t_start=$(date +%s)
budget=${MISI_KIT_BUDGET_S:-450}
work=${MISI_KIT_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/misi-kit-run.XXXXXX")}
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
log=$res/run.log
: >"$log"
say() { echo "$*" | tee -a "$log" >&2; }
failed=0
steps_json=""

# ---- glvnd EGL from the carried packages, in a private prefix ----
prefix=$work/glvnd
mkdir -p "$prefix"
unpack_deb() { # deb dest
  if command -v dpkg-deb >/dev/null 2>&1; then
    dpkg-deb -x "$1" "$2"
  elif command -v ar >/dev/null 2>&1; then
    (d=$(mktemp -d "$work/deb.XXXXXX") && cd "$d" && ar x "$1" && tar xf data.tar.* -C "$2")
  else
    python3 - "$1" "$2" <<'PY'
import io, sys, tarfile
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"!<arch>\n", "not a .deb"
pos = 8
while pos + 60 <= len(data):
    name = data[pos:pos + 16].decode().strip().rstrip("/")
    size = int(data[pos + 48:pos + 58].decode().strip())
    body = data[pos + 60:pos + 60 + size]
    if name.startswith("data.tar"):
        tarfile.open(fileobj=io.BytesIO(body)).extractall(sys.argv[2])
    pos += 60 + size + (size & 1)
PY
  fi
}
for deb in "$kit"/debs/*.deb; do
  unpack_deb "$deb" "$prefix" || say "cannot unpack $(basename "$deb")"
done
glvnd_lib=$(dirname "$(find "$prefix" -name 'libEGL.so.1' | head -n 1)" 2>/dev/null)
[ -n "$glvnd_lib" ] && [ -e "$glvnd_lib/libEGL.so.1" ] || { say "no libEGL.so.1 in the carried packages"; glvnd_lib=""; }

# ---- NVIDIA's EGL vendor file ----
vendor=""
nv_libs=""
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && nv_libs="$nv_libs:$d"
done
if [ "${MISI_KIT_SKIP_VENDOR:-0}" = 1 ]; then
  say "vendor step skipped (MISI_KIT_SKIP_VENDOR=1): glvnd uses the vendors it finds (Mesa here)"
else
  for f in "${MISI_KIT_EGL_VENDOR:-}" /usr/share/glvnd/egl_vendor.d/10_nvidia.json \
           /etc/glvnd/egl_vendor.d/10_nvidia.json /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json \
           /usr/local/share/glvnd/egl_vendor.d/10_nvidia.json /usr/lib/x86_64-linux-gnu/glvnd/egl_vendor.d/10_nvidia.json; do
    if [ -n "$f" ] && [ -f "$f" ]; then vendor=$f; break; fi
  done
  if [ -z "$vendor" ]; then
    vendor=$(timeout 20 find / -xdev -path '*egl_vendor.d/*nvidia*.json' 2>/dev/null | head -n 1)
  fi
  if [ -n "$vendor" ]; then
    export __EGL_VENDOR_LIBRARY_FILENAMES=$vendor
    say "EGL vendor: $vendor"
  else
    say "no NVIDIA EGL vendor file found: glvnd uses the vendors it finds"
  fi
fi
export LD_LIBRARY_PATH="${glvnd_lib:+$glvnd_lib:}$kit/lib$nv_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export MISI_FONT=$kit/share/DejaVuSans.ttf
export TMPDIR=$work
say "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
say "node glibc: $(getconf GNU_LIBC_VERSION 2>/dev/null || echo unknown); kit $(grep '^needs:' "$kit/KIT.txt" 2>/dev/null)"
ldd "$misi" 2>&1 | grep -E 'libEGL|libGLES|libGLdispatch|not found' | sed 's/^[[:space:]]*/ldd: /' >>"$log"

# ---- steps ----
left() { echo $((budget - ($(date +%s) - t_start))); }
# step NAME LIMIT_S OUTFILE CMD...: run CMD under min(LIMIT_S, what is left),
# stdout to OUTFILE, stderr to the log; record its status and seconds.
step() {
  local name=$1 limit=$2 outf=$3
  shift 3
  local l
  l=$(left)
  [ "$limit" -gt "$l" ] && limit=$l
  if [ "$limit" -lt 5 ]; then
    say "== $name: skipped, no time left"
    steps_json="$steps_json${steps_json:+,}\"$name\":{\"rc\":null,\"seconds\":0}"
    failed=1
    return 1
  fi
  say "== $name (limit ${limit} s): $*"
  local t0 t1 rc
  t0=$(date +%s.%N)
  timeout "$limit" "$@" >"$outf" 2>>"$log"
  rc=$?
  t1=$(date +%s.%N)
  local secs
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  say "== $name: exit $rc in $secs s"
  steps_json="$steps_json${steps_json:+,}\"$name\":{\"rc\":$rc,\"seconds\":$secs}"
  [ "$rc" -eq 0 ] || failed=1
  return "$rc"
}
# A JSON file's text, or null when the step left none.
json_or_null() { if [ -s "$1" ] && head -c 1 "$1" | grep -q '{'; then cat "$1"; else echo null; fi; }
# The value of the first "KEY": in a JSON file (cJSON's one key per line).
num() { grep -m 1 "\"$2\":" "$1" 2>/dev/null | sed 's/^[^:]*:[[:space:]]*//; s/,$//; s/^"//; s/"$//'; }
# ... as a number with FORMAT, or ? when there is none.
numf() { awk -v v="$(num "$1" "$2")" -v f="$3" 'BEGIN { if (v == "" || v == "null") print "?"; else printf f, v }'; }

cores=$(nproc)
cthreads=${MISI_KIT_CEILING_THREADS:-$((cores < 16 ? cores : 16))}
bench_n=${MISI_KIT_BENCH_N:-300}
sizes=${MISI_KIT_SIZES:-256 512 1024}

cd "$kit" # misi bench takes assets/complexes from here

step info 30 "$work/info.json" "$misi" info --json

for s in $sizes; do
  step "bench_$s" 90 "$work/bench_$s.json" "$misi" bench -n "$bench_n" --size "$s" --json
done

step ceiling 90 "$work/ceiling.json" "$misi" bench --ceiling --threads "$cthreads" \
  -n "${MISI_KIT_CEILING_N:-20000}" --json

# misi generate over the scale set (or its first N complexes) with every core.
gen_in=$kit/scale
if [ -n "${MISI_KIT_GEN_COMPLEXES:-}" ]; then
  gen_in=$work/scale
  mkdir -p "$gen_in"
  for d in $(ls "$kit/scale" | head -n "$MISI_KIT_GEN_COMPLEXES"); do ln -s "$kit/scale/$d" "$gen_in/$d"; done
fi
ncx=$(ls "$gen_in" | wc -l)
step generate 240 "$work/generate.txt" "$misi" generate --no-progress --threads "$cores" \
  --format "${MISI_KIT_GEN_FORMAT:-tar}" --out "$work/gen" "$gen_in"
# stdout is empty; the summary line goes to stderr (in the log)
gen_line=$(grep -m 1 '^misi generate: .* images in ' "$log" | tail -n 1)
gen_images=$(echo "$gen_line" | sed -n 's/.*, \([0-9]*\) images in .*/\1/p')
gen_secs=$(echo "$gen_line" | sed -n 's/.* images in \([0-9.]*\) s.*/\1/p')
gen_bytes=$(du -sb "$work/gen" 2>/dev/null | cut -f 1)
rm -rf "$work/gen"

# The fixed views, drawn here, against llvmpipe's renders in the kit.
step views 60 "$work/views.txt" "$misi" render -q --views "$kit/views.json" --size 512 \
  --out "$work/views" "$kit/assets/complexes/1cs4" "$kit/assets/complexes/3v2u"
step compare 30 "$work/compare.json" "$misi" compare --json "$work/views" "$kit/ref"
for v in 3v2u/front 1cs4/turned; do
  n=${v/\//_}
  [ -f "$work/views/$v.png" ] && cp "$work/views/$v.png" "$res/here_$n.png"
  cp "$kit/ref/$v.png" "$res/llvmpipe_$n.png"
done

# ---- results ----
t_end=$(date +%s)
wall=$((t_end - t_start))
clean() { tr -d '"\\' | tr '\n\t' '  ' | cut -c 1-400; }
gpu=$( (nvidia-smi -L 2>/dev/null || echo none) | clean)
driver=$( (nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null || echo none) | clean)
{
  echo "{"
  echo "\"kit\": \"$(clean <"$kit/KIT.txt")\","
  echo "\"node\": {\"hostname\": \"$(uname -n | clean)\", \"kernel\": \"$(uname -r | clean)\", \"cores\": $cores,"
  echo "  \"cpu\": \"$(grep -m 1 'model name' /proc/cpuinfo | sed 's/.*: //' | clean)\", \"gpu\": \"$gpu\", \"driver\": \"$driver\","
  echo "  \"egl_vendor_file\": \"$vendor\", \"vendor_step_skipped\": $([ "${MISI_KIT_SKIP_VENDOR:-0}" = 1 ] && echo true || echo false)},"
  echo "\"wall_s\": $wall, \"budget_s\": $budget,"
  echo "\"steps\": {$steps_json},"
  echo "\"info\": $(json_or_null "$work/info.json"),"
  for s in $sizes; do echo "\"bench_$s\": $(json_or_null "$work/bench_$s.json"),"; done
  echo "\"ceiling\": $(json_or_null "$work/ceiling.json"),"
  echo "\"generate\": {\"complexes\": $ncx, \"threads\": $cores, \"images\": ${gen_images:-null}, \"seconds\": ${gen_secs:-null}, \"bytes\": ${gen_bytes:-null}, \"line\": \"$(echo "$gen_line" | clean)\"},"
  echo "\"compare\": $(json_or_null "$work/compare.json")"
  echo "}"
} >"$res/results.json"

{
  echo "misi GPU run kit: $(head -n 3 "$kit/KIT.txt" | tail -n 2 | tr '\n' ' ')"
  echo "node: $(uname -n), $cores cores, GPU: $gpu, driver $driver"
  echo "EGL vendor file: ${vendor:-none}${MISI_KIT_SKIP_VENDOR:+ (vendor step skipped)}"
  echo "renderer: $(num "$work/info.json" renderer), EGL vendor $(num "$work/info.json" vendor)"
  echo
  for s in $sizes; do
    f=$work/bench_$s.json
    echo "bench ${s}x${s}: $(numf "$f" images_per_s %.1f) images/s end to end; per image:" \
      "render $(awk -v a="$(num "$f" render_s)" -v n="$(num "$f" images)" 'BEGIN { if (n > 0) printf "%.3f", 1e3 * a / n; else print "?" }') ms," \
      "readback $(awk -v a="$(num "$f" readback_s)" -v n="$(num "$f" images)" 'BEGIN { if (n > 0) printf "%.3f", 1e3 * a / n; else print "?" }') ms" \
      "($(num "$f" images) images, $(num "$f" device))"
  done
  f=$work/ceiling.json
  echo "CPU-side ceiling, $cthreads threads: $(numf "$f" images_per_s %.0f) images/s;" \
    "$(numf "$f" process %.3f) CPU ms/image (encode $(numf "$f" encode %.3f), SHA-256 $(numf "$f" hash %.3f)," \
    "write $(numf "$f" write %.3f), hand-off $(numf "$f" handoff %.3f), QA $(numf "$f" qa %.3f));" \
    "projected at 16 cores $(numf "$f" projected_16_cores_images_per_s %.0f) images/s"
  echo "generate: ${gen_line:-failed}"
  tot=$work/compare_total.json
  sed -n '/"total":/,/}/p' "$work/compare.json" >"$tot" 2>/dev/null
  echo "compared with llvmpipe's renders ($(num "$work/compare.json" compared) images): max channel difference" \
    "$(num "$tot" max_channel_diff), mean $(numf "$tot" mean_channel_diff %.4f), differing pixels" \
    "$(awk -v v="$(num "$tot" differing_pixel_fraction)" 'BEGIN { if (v == "") print "?"; else printf "%.4f%%", 100 * v }')," \
    "over 16 apart $(awk -v v="$(num "$tot" visible_pixel_fraction)" 'BEGIN { if (v == "") print "?"; else printf "%.4f%%", 100 * v }')"
  echo
  echo "wall: $wall s of the ${budget} s budget; steps: $steps_json"
  [ "$failed" -eq 0 ] && echo "all steps passed" || echo "SOME STEPS FAILED: see run.log"
} >"$res/summary.txt"
cat "$res/summary.txt" >&2
exit "$failed"
