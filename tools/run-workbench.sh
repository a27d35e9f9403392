#!/usr/bin/env bash
# The first command of the README: installs what is missing, builds, creates the demo
# workspace on first start and opens it in the workbench, which trains a few quick runs on
# it in the background the first time.
#   ${XDG_DATA_HOME:-~/.local/share}/reco-workbench/demo.reco, imported from datasets/demo/.
# Extra arguments go to reco-workbench. Set RECO_WORKSPACE to open another workspace.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

tools/install-deps.sh
tools/build.sh dev

bin="$root/build/dev/bin"
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
workspace=${RECO_WORKSPACE:-$data_home/reco-workbench/demo.reco}

if [[ ! -e "$workspace" && -z "${RECO_WORKSPACE:-}" ]]; then
  mkdir -p "$(dirname "$workspace")"
  echo "run-workbench: creating the demo workspace $workspace"
  # Import into a temporary file first, so that a failed import never leaves half a workspace.
  partial="${workspace%.reco}.partial.reco"
  rm -f "$partial" "$partial-wal" "$partial-shm"
  "$bin/reco" --workspace "$partial" import datasets/demo/events.csv \
    --items datasets/demo/events.items.csv --name demo
  mv "$partial" "$workspace"
  rm -f "$partial-wal" "$partial-shm"
fi

echo "run-workbench: workspace $workspace"
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
  echo "run-workbench: no display found; on a machine without one use: xvfb-run -a $0" >&2
fi
# --demo (the demo workspace only): without runs it gets a split and a few quick runs,
# trained in the background while the window shows their progress (once: runs then exist).
demo=()
[[ -z "${RECO_WORKSPACE:-}" ]] && demo=(--demo)
exec "$bin/reco-workbench" "${demo[@]}" "$workspace" "$@"
