#!/usr/bin/env bash
# Installs the system libraries RawQuant builds against (Debian/Ubuntu): LibRaw, libjpeg, libpng, BLAS; and
# python3 with venv for the Python companion's tests.
# Idempotent: does nothing when they are already installed. Needs root (or sudo).
set -euo pipefail
packages=(libraw-dev libjpeg-dev libpng-dev libblis-dev libopenblas-dev pkg-config python3 python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
