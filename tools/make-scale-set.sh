#!/usr/bin/env bash
# Make a PDBbind-layout folder of N complexes for scale runs:
#
#   tools/make-scale-set.sh N OUT [--seed S] [--assets DIR] [--force]
#
# OUT/s000000 .. OUT/s<N-1>: the asset complexes in turn, each turned by a
# random rotation (seeded: the same N, seed and assets give the same bytes)
# about its pocket's centroid, under the new id. Pocket PDB columns 31-54 are
# rewritten with %8.3f (every other column kept byte for byte); ligand MOL2
# and SDF coordinates get the same rotation. OUT/groups.txt names the asset
# each complex copies, for `misi audit --groups` (copies share answers). The work is in
# tools/bench/scale_set.py (python3 standard library only). A non-empty OUT
# is refused unless --force (which empties it first).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec python3 "$root/tools/bench/scale_set.py" --default-assets "$root/assets/complexes" "$@"
