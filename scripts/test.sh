#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then run them.
# Needs root (or sudo) for apt the first time: Chromium and CJK fonts for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
    sudo_prefix=""
    [ "$(id -u)" -eq 0 ] || sudo_prefix="sudo"
    $sudo_prefix apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_prefix apt-get install -y -qq chromium fonts-noto-cjk
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q -r requirements-dev.txt

# The tests read the tutorial's names data from CHARRNN_DATA; fetch it when it is absent.
if [ -z "${CHARRNN_DATA:-}" ]; then
    [ -d data/names ] || .venv/bin/python -m charrnn download-data
    export CHARRNN_DATA="$PWD/data/names"
fi

# Keep every run on loopback and quiet: no Gradio analytics, no Hugging Face hub calls.
export GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
exec .venv/bin/python -m pytest -q -p no:cacheprovider --timeout=600 "$@" tests
