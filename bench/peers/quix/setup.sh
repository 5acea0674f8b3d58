#!/usr/bin/env bash
# Make bench/peers/quix/.venv: Quix Streams (which pins its own confluent-kafka) plus what our
# domain core and codec need (fastavro). The repo itself is put on the path by the peer, so the
# RAAS package is used as checked out, without its dependencies (Faust, our confluent-kafka pin).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
if [ -e "$here/.venv/.installed-stamp" ] && [ "$here/.venv/.installed-stamp" -nt "$here/requirements.txt" ]; then
    exit 0
fi
"$python" -m venv "$here/.venv"
"$here/.venv/bin/pip" install -q --upgrade pip
"$here/.venv/bin/pip" install -q -r "$here/requirements.txt"
touch "$here/.venv/.installed-stamp"
echo "Quix Streams peer: $("$here/.venv/bin/python" -c 'import quixstreams; print(quixstreams.__version__)') in $here/.venv"
