#!/usr/bin/env bash
# Regenerates the built-in snapshot, data/catalog.pack, from the upstream data
# in SHARED/data/xfu-upstream (the site's pages as pages.tar.xz, the tracker's
# latest.yml and devices.yml; SOURCES.md names their commits).
#
#   tools/update_builtin.sh SHARED
#
# Needs build/xfu (./setup.sh build) for `xfu catalog pack` and `catalog check`.
set -euo pipefail
cd "$(dirname "$0")/.."
upstream=${1:?usage: tools/update_builtin.sh SHARED}/data/xfu-upstream
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tar -xJf "$upstream/xmfirmwareupdater.github.io/pages.tar.xz" -C "$work"
# "`XiaomiFirmwareUpdater/NAME` @ `COMMIT` — DATE" lines in SOURCES.md.
revision() { sed -n "s/^- \`XiaomiFirmwareUpdater\/$1\` @ \`\([0-9a-f]*\)\` — \([0-9-]*\) .*/\1@\2/p" "$upstream/SOURCES.md" | head -1; }
python3 tools/make_catalog.py --site "$work" --tracker "$upstream/miui-updates-tracker" --out "$work/catalog" \
  --site-revision "$(revision xmfirmwareupdater.github.io)" --tracker-revision "$(revision miui-updates-tracker)"
build/xfu catalog check "$work/catalog"
build/xfu catalog pack "$work/catalog" data/catalog.pack
echo "rebuild xfu to link the new snapshot: cmake --build build" >&2
