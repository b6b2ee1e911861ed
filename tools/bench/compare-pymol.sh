#!/usr/bin/env bash
# Render the same complex, at the same size, the same number of images, with
# PyMOL in command-line mode (ray-traced ball-and-stick with labels) and with
# misi bench, in one run; print both rates and their ratio.
#
#   tools/bench/compare-pymol.sh [-n N] [--size PX] [--complex DIR] [--misi PATH] [--keep DIR]
#
# Rates are images per second of the render-and-write loop (loading the
# complex and starting the program are excluded on both sides; the wall time
# of each whole process is printed as well). docs/performance.md.
set -euo pipefail

n=50
size=512
complex=
misi=
keep=
while [ $# -gt 0 ]; do
    case "$1" in
    -n) n=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --complex) complex=$2; shift 2 ;;
    --misi) misi=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "compare-pymol.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "$misi" ]; then
    for b in build-bench build; do
        if [ -x "$root/$b/misi" ]; then misi="$root/$b/misi"; break; fi
    done
fi
[ -n "$misi" ] && [ -x "$misi" ] || { echo "compare-pymol.sh: no misi binary (build it, or pass --misi)" >&2; exit 1; }

if ! command -v pymol >/dev/null 2>&1; then
    echo "compare-pymol.sh: pymol not found; install Debian's package: apt-get install -y pymol" >&2
    exit 1
fi
# Debian's pymol wrapper runs whatever python3 comes first on PATH; a pyenv
# or venv python3 cannot import Debian's pymol module, so prefer /usr/bin.
pymol_path=$PATH
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pymol' 2>/dev/null; then
    pymol_path=/usr/bin:$PATH
fi

if [ -z "$complex" ]; then
    # the same default as misi bench: the asset with the largest pocket
    complex=$("$misi" bench -n 1 --size 16 --no-qa --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["complex_dir"])')
fi
id=$(basename "$complex")
pocket="$complex/${id}_pocket.pdb"
ligand="$complex/${id}_ligand.mol2"
[ -f "$ligand" ] || ligand="$complex/${id}_ligand.sdf"

work=${keep:-$(mktemp -d "${TMPDIR:-/tmp}/misi-vs-pymol.XXXXXX")}
mkdir -p "$work/pymol" "$work/misi"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT

# PyMOL: ball-and-stick (sticks + spheres scaled 0.25), no hydrogens, pocket
# residues labelled at their CA and ligand atoms by name (misi's default
# label set), black background, ray-traced at the target size. Each view
# turns like misi bench's poses (golden-angle turns about y and x tilts).
cat > "$work/render.py" <<PY
import time
from pymol import cmd
cmd.load("$pocket", "pocket")
cmd.load("$ligand", "ligand")
cmd.remove("hydro")
cmd.remove("resn HOH")
cmd.hide("everything")
cmd.show("sticks")
cmd.show("spheres")
cmd.set("sphere_scale", 0.25)
cmd.set("stick_radius", 0.15)
cmd.set("bg_rgb", "black")
cmd.set("label_color", "white")
cmd.set("label_size", 13)
cmd.label("pocket and name CA", "resn + ' ' + resi")
cmd.label("ligand", "name")
cmd.orient()
cmd.viewport($size, $size)
t0 = time.monotonic()
for i in range($n):
    cmd.turn("y", 137.50776)
    cmd.turn("x", ((i * 37) % 91) - 45)
    cmd.ray($size, $size)
    cmd.png("$work/pymol/view-%06d.png" % i)
dt = time.monotonic() - t0
open("$work/pymol.time", "w").write("%.6f\n" % dt)
PY

load=$(uptime | sed 's/.*load average: //')
echo "complex $id, $n images of ${size}x${size}, ball-and-stick with labels; load average $load; $(nproc) CPUs"

t0=$(date +%s.%N)
timer=()
if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -f '%U %S' -o "$work/pymol.cpu"); fi
PATH=$pymol_path "${timer[@]}" pymol -cq "$work/render.py" >"$work/pymol.log" 2>&1 || { cat "$work/pymol.log" >&2; exit 1; }
t1=$(date +%s.%N)
pymol_loop=$(cat "$work/pymol.time")
made=$(ls "$work/pymol" | wc -l)
[ "$made" -eq "$n" ] || { echo "compare-pymol.sh: PyMOL wrote $made of $n images" >&2; cat "$work/pymol.log" >&2; exit 1; }

t2=$(date +%s.%N)
if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -f '%U %S' -o "$work/misi.cpu"); fi
"${timer[@]}" "$misi" bench --complex "$complex" -n "$n" --size "$size" --out "$work/misi" --json >"$work/misi.json"
t3=$(date +%s.%N)

python3 - "$work/misi.json" "$pymol_loop" "$t0" "$t1" "$t2" "$t3" "$n" "$work" <<'PY'
import json, os, sys
def cpu(name):
    f = os.path.join(sys.argv[8], name)
    return sum(map(float, open(f).read().split()[-2:])) if os.path.exists(f) else float("nan")
m = json.load(open(sys.argv[1]))
pl = float(sys.argv[2]); t0, t1, t2, t3 = map(float, sys.argv[3:7]); n = int(sys.argv[7])
pr = n / pl
mr = m["images_per_s"]
print(f"pymol: {pl:8.2f} s for {n} images = {pr:8.3f} images/s  (process {t1 - t0:.2f} s wall, {cpu('pymol.cpu'):.2f} s CPU)")
print(f"misi:  {m['total_s']:8.2f} s for {n} images = {mr:8.3f} images/s  (process {t3 - t2:.2f} s wall, {cpu('misi.cpu'):.2f} s CPU; {m['device']})")
print(f"ratio misi/pymol: {mr / pr:.1f}x  (whole processes: {(t1 - t0) / (t3 - t2):.1f}x wall, {cpu('pymol.cpu') / cpu('misi.cpu'):.1f}x CPU)")
PY
