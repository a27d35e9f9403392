#!/usr/bin/env bash
# tools/fuzz.sh SECONDS [TARGET...]: builds the libFuzzer targets of tests/fuzz (the fuzz
# preset: clang, AddressSanitizer, UndefinedBehaviorSanitizer, LeakSanitizer) into
# build/fuzz and runs each for SECONDS (all of them when no TARGET is named): the readers
# csv_mapped, ratings, events, movielens, online_retail and items, and the workspace opener.
#
# - Seeds come from tests/data (the readers' test files, the multi-part targets' inputs
#   joined by NUL as tests/fuzz/*.cpp describe; for the workspace, small workspaces that
#   this build's `reco` makes from them), written fresh into build/fuzz/seeds/TARGET.
# - The corpus each run grows is kept in build/fuzz/corpus/TARGET, so that later runs go on
#   from it ($RECO_FUZZ_CORPUS moves it).
# - An input that crashes, leaks, or takes over 1 s (-timeout=1) is copied to
#   tests/data/fuzz/TARGET/, where core_test_fuzz_regressions replays it in every build:
#   fix the defect, commit the input with the fix.
# - Each run's date, target, seconds, executions, coverage, inputs kept and exit status are
#   appended to build/fuzz/stats.tsv (the figures of the closing note); the totals per
#   target are printed at the end.
# RECO_FUZZ_JOBS=N runs N targets at a time (default 1; CI's two cores are shared).
# RECO_FUZZ_SKIP_BUILD=1 uses build/fuzz as it is (a long campaign that builds beforehand).
# RECO_FUZZ_TIMEOUT=S counts S seconds as a hang instead of 1: for a campaign on a machine
# busy with other work, where a starved input's wall time says nothing about the input.
# RECO_FUZZ_TOP_UP=1 reads SECONDS as the total a target should have in build/fuzz/stats.tsv:
# each target runs only for what it still lacks (none that has it), the longest first, so
# that a campaign spread over several sittings packs its cores.
# Exits 1 when any target found a problem, 0 otherwise.
set -euo pipefail

seconds=${1:?usage: tools/fuzz.sh SECONDS [TARGET...]}
shift
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
all=(csv_mapped ratings events movielens online_retail items workspace)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
jobs=${RECO_FUZZ_JOBS:-1}

build=$root/build/fuzz
declare -A run_seconds
for target in "${targets[@]}"; do run_seconds[$target]=$seconds; done
if [[ -n ${RECO_FUZZ_TOP_UP:-} ]]; then
  for target in "${targets[@]}"; do
    done_seconds=$(awk -F'\t' -v t="$target" '$2 == t {s += $3} END {print s + 0}' "$build/stats.tsv" 2>/dev/null || echo 0)
    run_seconds[$target]=$((seconds > done_seconds ? seconds - done_seconds : 0))
  done
  mapfile -t targets < <(for target in "${targets[@]}"; do
    ((run_seconds[$target] > 0)) && printf '%s %s\n' "${run_seconds[$target]}" "$target"
  done | sort -rn | cut -d' ' -f2)
  [[ ${#targets[@]} -gt 0 ]] || { echo "fuzz.sh: every target has $seconds s in stats.tsv already"; exit 0; }
fi

[[ -n ${RECO_FUZZ_SKIP_BUILD:-} ]] || tools/build.sh fuzz --target reco $(printf 'fuzz_%s ' "${targets[@]}")
corpus_root=${RECO_FUZZ_CORPUS:-$build/corpus}
data=$root/tests/data

# The fuzz build's own reco is instrumented: leaks at its exit are not what is fuzzed here.
export ASAN_OPTIONS="detect_leaks=0"
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{csv_mapped,ratings,events,movielens,online_retail,items,workspace}
join_parts() { # part... -> the parts joined by NUL on stdout
  local first=1 part
  for part in "$@"; do
    ((first)) || printf '\0'
    first=0
    if [[ -f $part ]]; then cat "$part"; else printf '%s' "$part"; fi
  done
}
join_parts "user=customer,item=product,time=when,event=kind,quantity=qty" "$data/csv/shop.tsv" > "$seeds/csv_mapped/shop"
join_parts "user=1,item=0" "$data/csv/pipe.txt" > "$seeds/csv_mapped/pipe"
cp "$data"/ratings/*.csv "$data"/broken/*.csv "$seeds/ratings/"
cp "$data/events/events.csv" "$seeds/events/"
cp "$data/retail/online_retail.csv" "$seeds/online_retail/"
join_parts 100k "$data"/ml100k/{u.data,u.item,u.user,u.genre} > "$seeds/movielens/100k"
join_parts 1m "$data"/ml1m/{ratings.dat,movies.dat,users.dat} > "$seeds/movielens/1m"
join_parts "" "$data/csv/items.csv" > "$seeds/items/detected"
join_parts "id=sku,title=name,category=2" "$data/csv/items.csv" > "$seeds/items/mapped"
make_workspace() { # name models import-arguments... : a workspace with a split and runs
  local ws=$seeds/workspace/$1 models=$2
  shift 2
  "$build/bin/reco" --workspace "$ws" import "$@" --name d > /dev/null
  "$build/bin/reco" --workspace "$ws" split --dataset d --protocol random --test 0.3 --seed 1 --name s > /dev/null
  # Every classic model, so that each one's stored state is there to be damaged.
  "$build/bin/reco" --workspace "$ws" train --split s --model "$models" > /dev/null
  "$build/bin/reco" --workspace "$ws" story demo > /dev/null 2>&1 || true
  rm -f "$ws-wal" "$ws-shm"
}
make_workspace ml100k random,pop,itemknn,userknn,puresvd,biasedmf,als,bpr,ease,content "$data/ml100k"
make_workspace shop pop,itemknn,content "$data/csv/shop.tsv" --format csv --items "$data/csv/items.csv" \
  --map user=customer,item=product,time=when,event=kind,quantity=qty

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tools/lsan.supp:print_suppressions=0"
logs=$build/logs
mkdir -p "$logs"

fuzz_one() { # target: runs it, keeps what crashed, appends its figures to stats.tsv
  local target=$1 corpus=$corpus_root/$1 crashes=$build/crashes/$1
  mkdir -p "$corpus" "$crashes"
  local log=$logs/$target.log status=0 started=$SECONDS
  "$build/fuzz/fuzz_$target" -max_total_time="${run_seconds[$target]}" -timeout="${RECO_FUZZ_TIMEOUT:-1}" -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "$seeds/$target" > "$log" 2>&1 || status=$?
  local execs cov ran=$((SECONDS - started))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)  # none: it crashed at once
  local found=0 input
  for input in "$crashes"/*; do
    [[ -f $input ]] || continue
    mkdir -p "$data/fuzz/$target"
    cp "$input" "$data/fuzz/$target/"
    rm "$input"
    found=$((found + 1))
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$ran" "${execs:-0}" \
    "${cov:-0}" "$found" "$status" >> "$build/stats.tsv"
  if [[ $status -ne 0 || $found -gt 0 ]]; then
    echo "fuzz.sh: $target FAILED (exit $status, $found inputs kept in tests/data/fuzz/$target); log: $log"
    grep -m5 -E 'ERROR|reco fuzz target|SUMMARY' "$log" || true
    return 1
  fi
  echo "fuzz.sh: $target ran ${ran} s: ${execs:-0} executions, coverage ${cov:-0}, nothing found"
}

failed=0
running=0
for target in "${targets[@]}"; do
  fuzz_one "$target" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done

echo "fuzz.sh: totals so far (build/fuzz/stats.tsv): target, seconds, executions, inputs kept"
awk -F'\t' '{s[$2]+=$3; e[$2]+=$4; k[$2]+=$6} END {for (t in s) printf "  %-14s %8d s %12d executions %3d kept\n", t, s[t], e[t], k[t]}' \
  "$build/stats.tsv" | sort
exit $failed
