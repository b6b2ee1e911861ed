#!/usr/bin/env bash
# Pack the one-shot GPU run kit: a release build of misi with the shared
# libraries it needs, the glvnd EGL packages, a font, a scale set, the
# llvmpipe renders of the kit's fixed views, and run.sh.
#
#   tools/gpu/pack.sh OUTFILE            e.g. tools/gpu/pack.sh /tmp/misi-gpu-kit.tar.gz
#
# On the GPU node: tar xzf misi-gpu-kit.tar.gz && misi-gpu-kit/run.sh RESULTS_DIR
# (docs/performance.md "The GPU run kit").
#
# Environment:
#   MISI_KIT_BUILD=DIR      use DIR/misi instead of a release build (tests)
#   MISI_KIT_COMPLEXES=N    complexes in the scale set (default 200)
#   MISI_KIT_DEBS=DIR       take the glvnd .debs from DIR instead of apt-get download
#
# The release build goes to build-gpu-release/ in the source tree. Libraries
# come from ldd, less glibc's own (the node has a glibc; ours is not newer
# than Debian 12's 2.36) and less libEGL/libGLESv2/libGLdispatch/libOpenGL,
# which must be glvnd's on the node, so that NVIDIA's EGL vendor library is
# the one that draws: they come from the carried .debs, unpacked by run.sh.
set -euo pipefail
die() { echo "pack.sh: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: tools/gpu/pack.sh OUTFILE"
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
case $out in /*) ;; *) out=$PWD/$out ;; esac
ncx=${MISI_KIT_COMPLEXES:-200}
limit=$((60 * 1024 * 1024))

if [ -n "${MISI_KIT_BUILD:-}" ]; then
  build=$(cd "$MISI_KIT_BUILD" && pwd)
else
  build=$root/build-gpu-release
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$root" -Dbuildtype=release -Dtests=false >/dev/null
  fi
  ninja -C "$build" misi >/dev/null
fi
[ -x "$build/misi" ] || die "$build/misi: not built"

stage=$(mktemp -d "${TMPDIR:-/tmp}/misi-gpu-kit.XXXXXX")
trap 'rm -rf "$stage"' EXIT
kit=$stage/misi-gpu-kit
mkdir -p "$kit/bin" "$kit/lib" "$kit/debs" "$kit/share" "$kit/ref"

# The program and what it links, resolved here.
cp "$build/misi" "$kit/bin/misi"
strip "$kit/bin/misi" 2>/dev/null || true
ldd "$build/misi" | while read -r name arrow path _; do
  [ "$arrow" = "=>" ] || continue
  case $name in
    libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|libresolv.so.*|ld-linux*) continue ;;
    libEGL.so.*|libGLESv2.so.*|libGLdispatch.so.*|libOpenGL.so.*|libGL.so.*|libGLX.so.*) continue ;;
  esac
  [ -f "$path" ] || die "ldd names $name at $path, which is not a file"
  cp -L "$path" "$kit/lib/$name"
done

# glvnd's EGL, from Debian's packages (the same ones the device README's
# .gl recipe carries), unpacked on the node into a private prefix.
debs="libegl1 libglvnd0 libgles2 libopengl0"
if [ -n "${MISI_KIT_DEBS:-}" ]; then
  for d in $debs; do cp "$MISI_KIT_DEBS"/${d}_*.deb "$kit/debs/" || die "no $d .deb in $MISI_KIT_DEBS"; done
else
  # apt's download user cannot write into a root-only temporary folder.
  chmod 755 "$stage" "$kit" "$kit/debs"
  (cd "$kit/debs" && apt-get download $debs >/dev/null 2>"$stage/apt.log") ||
    { cat "$stage/apt.log" >&2; die "apt-get download $debs failed (no network? set MISI_KIT_DEBS)"; }
fi
for d in $debs; do ls "$kit/debs"/${d}_*.deb >/dev/null 2>&1 || die "missing the $d package"; done

# Labels need a font; the node may have none.
font=${MISI_FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}
[ -f "$font" ] || die "no label font at $font (apt-get install fonts-dejavu-core)"
cp "$font" "$kit/share/DejaVuSans.ttf"

# Inputs: the asset complexes (misi bench's default is the largest pocket),
# the scale set for misi generate, the fixed views and their llvmpipe renders.
mkdir -p "$kit/assets"
cp -r "$root/assets/complexes" "$kit/assets/complexes"
"$root/tools/make-scale-set.sh" "$ncx" "$kit/scale" >/dev/null
cp "$root/tools/gpu/views.json" "$kit/views.json"
cp "$root/tools/gpu/run.sh" "$kit/run.sh"
chmod +x "$kit/run.sh"
MISI_FONT=$kit/share/DejaVuSans.ttf "$kit/bin/misi" render -q --views "$kit/views.json" --size 512 \
  --out "$kit/ref" "$kit/assets/complexes/1cs4" "$kit/assets/complexes/3v2u" >/dev/null ||
  die "the llvmpipe reference renders failed"
"$kit/bin/misi" info --json >"$kit/ref/info.json" 2>/dev/null || true
{
  echo "misi GPU run kit"
  echo "packed: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n)"
  echo "commit: $(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "build: $build"
  echo "scale set: $ncx complexes"
  echo "needs: glibc >= $(objdump -T "$kit/bin/misi" "$kit"/lib/* 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)"
  echo "run: misi-gpu-kit/run.sh RESULTS_DIR   (MISI_KIT_SKIP_VENDOR=1 on Mesa/llvmpipe)"
} >"$kit/KIT.txt"

tar czf "$out.partial" -C "$stage" misi-gpu-kit
size=$(stat -c %s "$out.partial")
if [ "$size" -gt "$limit" ]; then
  rm -f "$out.partial"
  die "kit is $size bytes, over the 60 MiB limit"
fi
mv "$out.partial" "$out"
echo "pack.sh: $out ($((size / 1024)) KiB, $ncx complexes)"
