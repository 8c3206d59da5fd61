#!/usr/bin/env bash
# Copy the front-end libraries installed by `npm ci` (pinned in package.json + package-lock.json)
# into darirumah/static/vendor/, which is not committed. Pages load them from there through
# {% static %}; nothing is fetched from a CDN at run time. Source maps are copied too, because
# the minified files name them and a manifest static storage refuses a missing one.
set -euo pipefail

cd "$(dirname "$0")/.."
src=node_modules
dest=darirumah/static/vendor

if [ ! -d "$src/bootstrap" ]; then
    echo "node_modules is missing: run 'npm ci' first (or 'make assets')." >&2
    exit 1
fi

rm -rf "$dest"
mkdir -p "$dest"/{bootstrap/css,bootstrap/js,bootstrap-icons/fonts,htmx,chart.js,leaflet/images}

cp "$src"/bootstrap/dist/css/bootstrap.min.css{,.map} "$dest/bootstrap/css/"
cp "$src"/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "$dest/bootstrap/js/"
cp "$src"/bootstrap-icons/font/bootstrap-icons.min.css "$dest/bootstrap-icons/"
cp "$src"/bootstrap-icons/font/fonts/bootstrap-icons.woff{,2} "$dest/bootstrap-icons/fonts/"
cp "$src"/htmx.org/dist/htmx.min.js "$dest/htmx/"
cp "$src"/chart.js/dist/chart.umd.min.js{,.map} "$dest/chart.js/"
cp "$src"/leaflet/dist/leaflet.{js,js.map,css} "$dest/leaflet/"
cp "$src"/leaflet/dist/images/*.png "$dest/leaflet/images/"

# Each library's licence travels with it.
cp "$src"/bootstrap/LICENSE "$dest/bootstrap/LICENSE"
cp "$src"/bootstrap-icons/LICENSE "$dest/bootstrap-icons/LICENSE"
cp "$src"/htmx.org/LICENSE "$dest/htmx/LICENSE"
cp "$src"/chart.js/LICENSE.md "$dest/chart.js/LICENSE.md"
cp "$src"/leaflet/LICENSE "$dest/leaflet/LICENSE"

echo "Front-end assets copied into $dest."
