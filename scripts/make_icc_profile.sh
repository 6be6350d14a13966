#!/usr/bin/env bash
# Make profiles/coated-fogra39.icc from the FOGRA39 characterisation data (see profiles/README.md).
# Needs Debian's argyll and icc-profiles-free packages.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
(cd "$work" && colprof -v -qm -kr -l300 -L95 -D "Coated FOGRA39 (magazine, Argyll colprof)" \
  -C "Made with ArgyllCMS colprof from FOGRA39L.ti3 (Debian icc-profiles-free); characterisation data (c) FOGRA, Zlib licence" \
  FOGRA39L)
cp "$work/FOGRA39L.icc" profiles/coated-fogra39.icc
