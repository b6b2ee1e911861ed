#!/usr/bin/env bash
# Installs the Debian 12 packages misi needs to build, test and run headless
# (Mesa's llvmpipe provides EGL + OpenGL ES when there is no GPU).
set -euo pipefail

PACKAGES=(
  gcc pkg-config meson ninja-build python3
  libegl-dev libgles-dev libegl-mesa0 libgl1-mesa-dri libgbm1
  libpng-dev libdeflate-dev libcglm-dev libcjson-dev libfreetype-dev zlib1g-dev
  libcmocka-dev fonts-dejavu-core
  clang libclang-rt-14-dev
  slurm-wlm munge
)

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: run as root or install sudo" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
echo "install-deps: ${#PACKAGES[@]} packages present"
