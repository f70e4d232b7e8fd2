#!/usr/bin/env bash
# Redraw the pictures the README shows, from the shipped graph (needs Graphviz: apt-get install graphviz).
# Run from the repository root: bash docs/pictures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
essay-kg draw positions --holder russia -o docs/positions-russia.svg
essay-kg draw relations --focus russia --depth 1 -o docs/relations-russia.svg
essay-kg draw timeline -o docs/timeline.svg
essay-kg draw positions -o docs/positions.html
essay-kg draw relations -o docs/relations.html
essay-kg draw timeline -o docs/timeline.html
