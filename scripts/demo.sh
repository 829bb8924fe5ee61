#!/usr/bin/env bash
# Install planwatch into .venv and run the Jiaxing demo (ingest → store → import → evaluate → reports).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! fc-list :lang=zh 2>/dev/null | grep -q . && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  # Charts need a CJK font so Chinese does not render as empty boxes.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e .
.venv/bin/planwatch demo -o out "$@"
