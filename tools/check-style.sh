#!/usr/bin/env bash
# tools/check-style.sh format|tidy|fix [BASE]: the style the repository declares, enforced
# (.github/CONTRIBUTING.md, Style). Exits 1 on any finding, naming each file.
#
#   format  clang-format (.clang-format) over every C++ file git tracks: fails on any drift.
#           Seconds; needs no build.
#   fix     rewrites the drifted files in place (then review and commit them).
#   tidy    clang-tidy (.clang-tidy) over the .cpp files changed since BASE (default: the
#           parent commit, or $RECO_STYLE_BASE), with build/dev's compile database: any
#           warning on a line the change wrote fails (older code is held to it when it is
#           touched). Run after the dev build (the ui sources need their generated moc headers).
#
# clang-format and clang-tidy are Debian 12's (14.x); another version formats differently.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

mode=${1:-}
cpp_files() { git ls-files -- '*.h' '*.cpp'; }

case "$mode" in
  format)
    drifted=()
    while IFS= read -r file; do
      clang-format --dry-run --Werror "$file" >/dev/null 2>&1 || drifted+=("$file")
    done < <(cpp_files)
    if [[ ${#drifted[@]} -gt 0 ]]; then
      echo "check-style: ${#drifted[@]} file(s) differ from .clang-format (tools/check-style.sh fix rewrites them):" >&2
      printf '  %s\n' "${drifted[@]}" >&2
      exit 1
    fi
    echo "check-style: $(cpp_files | wc -l) C++ files match .clang-format"
    ;;
  fix)
    cpp_files | xargs -r clang-format -i
    git diff --stat | tail -1
    ;;
  tidy)
    base=${2:-${RECO_STYLE_BASE:-HEAD~1}}
    database=build/dev/compile_commands.json
    [[ -f "$database" ]] || { echo "check-style: no $database: build the dev preset first (tools/build.sh dev)" >&2; exit 1; }
    if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
      echo "check-style: no commit '$base' to compare with (a shallow clone?): clang-tidy skipped" >&2
      exit 0
    fi
    # clang-tidy-diff runs clang-tidy on each changed .cpp file and reports the warnings on
    # the lines the change wrote. core/torch is left out: clang-tidy 14 cannot parse
    # LibTorch's headers (c10::IValue "incomplete"), which is no finding about our code.
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    git diff -U0 --diff-filter=d "$base" -- '*.cpp' '*.h' |
      clang-tidy-diff -p1 -path build/dev -quiet -j "$(nproc)" -regex '(?!core/torch/).*[.]cpp' >"$log" 2>&1 || true
    findings=$(grep -c ': warning: \|: error: ' "$log" || true)
    if [[ $findings -gt 0 ]]; then
      grep -A3 ': warning: \|: error: ' "$log" >&2
      echo "check-style: clang-tidy found $findings finding(s) in the lines changed since $base; fix them or, where a check is wrong, say why in a NOLINT comment" >&2
      exit 1
    fi
    echo "check-style: clang-tidy found nothing in the .cpp lines changed since $base"
    ;;
  *)
    echo "usage: tools/check-style.sh format|fix|tidy [BASE]" >&2
    exit 2
    ;;
esac
