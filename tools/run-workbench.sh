#!/usr/bin/env bash
# The first command of the README: opens the workbench.
#   tools/run-workbench.sh [--demo] [WORKSPACE] [other reco-workbench arguments]
# The first time it installs what is missing, builds the workbench (Release), creates the
# demo workspace ${XDG_DATA_HOME:-~/.local/share}/reco-workbench/demo.reco from
# datasets/demo/ and opens it, training a few quick runs in the background. Later starts
# skip the install and the build while no source file changed since the last build (a
# check of file times, milliseconds) and reopen the workspace opened last; --demo opens the
# demo workspace instead (and trains its quick runs if it has none), WORKSPACE (or
# RECO_WORKSPACE=FILE) opens that file.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

build="$root/build/dev"
bin="$build/bin"
# Written after a successful build: the sources it covers are those older than it.
stamp="$build/.run-workbench-built"

up_to_date() {
  [[ -f "$stamp" && -x "$bin/reco" && -x "$bin/reco-workbench" && -f "$build/build.ninja" ]] || return 1
  # Everything that goes into reco, reco-workbench and the LibTorch module.
  local newer
  newer=$(find core ui app resources CMakeLists.txt CMakePresets.json -newer "$stamp" -type f -print -quit)
  [[ -z "$newer" ]]
}

if up_to_date; then
  echo "run-workbench: the build is up to date"
else
  tools/install-deps.sh
  [[ -f "$build/build.ninja" ]] || cmake --preset dev
  # Only what the workbench needs (the tests are tools/test.sh's): the two programs and,
  # when LibTorch was found, the deep-model module.
  targets=(reco reco-workbench)
  if cmake --build "$build" --target help | grep -q '^reco_torch:'; then targets+=(reco_torch); fi
  cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}"
  touch "$stamp"
fi

data_home=${XDG_DATA_HOME:-$HOME/.local/share}
demo_workspace="$data_home/reco-workbench/demo.reco"

# --demo anywhere among the arguments: the demo workspace; it is passed on (see below).
want_demo=0
args=()
for arg in "$@"; do
  if [[ "$arg" == --demo ]]; then want_demo=1; else args+=("$arg"); fi
done
# Arguments that are not options name a workspace to open.
named=0
for arg in "${args[@]+"${args[@]}"}"; do [[ "$arg" == -* ]] || named=1; done

workspace=""
if [[ -n "${RECO_WORKSPACE:-}" ]]; then
  workspace=$RECO_WORKSPACE
elif [[ $named -eq 0 && ( $want_demo -eq 1 || ! -e "$demo_workspace" ) ]]; then
  # Asked for, or the very first start: the demo workspace, made once.
  want_demo=1
  workspace=$demo_workspace
fi

if [[ "$workspace" == "$demo_workspace" && ! -e "$demo_workspace" ]]; then
  mkdir -p "$(dirname "$demo_workspace")"
  echo "run-workbench: creating the demo workspace $demo_workspace"
  # Import into a temporary file first, so that a failed import never leaves half a workspace.
  partial="${demo_workspace%.reco}.partial.reco"
  rm -f "$partial" "$partial-wal" "$partial-shm"
  "$bin/reco" --workspace "$partial" import datasets/demo/events.csv \
    --items datasets/demo/events.items.csv --name demo
  mv "$partial" "$demo_workspace"
  rm -f "$partial-wal" "$partial-shm"
fi

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
  echo "run-workbench: no display found; on a machine without one use: xvfb-run -a $0" >&2
fi
# --demo: a demo workspace without runs gets a split and a few quick runs, trained in the
# background while the window shows their progress (once: runs then exist). With no
# workspace named, reco-workbench reopens the one opened last.
launch=("$bin/reco-workbench")
[[ $want_demo -eq 1 ]] && launch+=(--demo)
if [[ -n "$workspace" ]]; then
  echo "run-workbench: workspace $workspace"
  launch+=("$workspace")
elif [[ $named -eq 0 ]]; then
  echo "run-workbench: reopening the last workspace (--demo opens the demo)"
fi
exec "${launch[@]}" "${args[@]+"${args[@]}"}"
