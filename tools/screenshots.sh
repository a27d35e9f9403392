#!/usr/bin/env bash
# tools/screenshots.sh OUTDIR: renders every panel of the workbench to OUTDIR/<panel>.png
# (1400x900, offscreen: no display needed) on a fresh copy of the demo workspace with a
# few trained runs, the way a new user first sees it. Builds first when needed.
# The Items panel is rendered once per tab (items-profile, items-nearest, items-audience,
# items-heatmap: the 50 most popular items clustered, items-map), with one item opened, and
# the Users panel's what-if once (users-whatif-edit) and for a new visitor (users-whatif-visitor).
#   RECO_SCREENSHOT_SIZE=WxH overrides the size; RECO_BUILD_DIR the build folder;
#   RECO_SCREENSHOT_ITEM=ID the item the Items panel opens (default P0017).
set -euo pipefail

out=${1:?usage: tools/screenshots.sh OUTDIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RECO_BUILD_DIR:-$root/build/dev}
[[ -x "$build/bin/reco-workbench" && -x "$build/bin/reco" ]] || "$root/tools/build.sh" dev
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ws="$work/demo.reco"
reco() { "$build/bin/reco" --workspace "$ws" "$@" >/dev/null; }
reco import "$root/datasets/demo/events.csv" --items "$root/datasets/demo/events.items.csv" --name demo
reco split --dataset demo --protocol random --test 0.2 --valid 0.1 --seed 42 --name demo-holdout
reco train --dataset demo --split demo-holdout --model pop,itemknn,ease
reco train --dataset demo --split demo-holdout --model als --validate ndcg@10
reco train --dataset demo --split demo-holdout --model bpr --set epochs=40 --set learning_rate=0.1 --validate ndcg@10
# A deep model beside them when this build has the LibTorch module.
reco train --dataset demo --split demo-holdout --model hybrid --validate ndcg@10 || echo "no deep models in this build"
# Re-ranked runs for the Compare panel's trade-off tab: MMR by category over λ.
reco rerank --run ease --method mmr --sweep lambda=0,0.5,0.7,0.9

export QT_QPA_PLATFORM=offscreen
# Separate settings, so that the user's remembered geometry and workspace stay untouched.
export XDG_CONFIG_HOME="$work/config"
for panel in Datasets Experiments Compare Users; do
  file="$out/$(echo "$panel" | tr '[:upper:]' '[:lower:]').png"
  RECO_SCREENSHOT="$file" RECO_SCREENSHOT_PANEL="$panel" RECO_SCREENSHOT_DELAY_MS=${RECO_SCREENSHOT_DELAY_MS:-4000} \
    RECO_SCREENSHOT_DATASET=demo RECO_SCREENSHOT_RUN=bpr RECO_SCREENSHOT_SIZE=${RECO_SCREENSHOT_SIZE:-1400x900} \
    "$build/bin/reco-workbench" "$ws"
done
# The Users panel's what-if: the first user's history without its three newest items, and a
# new visitor.
for whatif in edit visitor; do
  RECO_SCREENSHOT="$out/users-whatif-$whatif.png" RECO_SCREENSHOT_PANEL=Users RECO_SCREENSHOT_WHATIF=$whatif \
    RECO_SCREENSHOT_DELAY_MS=${RECO_SCREENSHOT_DELAY_MS:-4000} RECO_SCREENSHOT_SIZE=${RECO_SCREENSHOT_SIZE:-1400x900} \
    "$build/bin/reco-workbench" "$ws"
done
# The trade-off tab of Compare, and the Re-rank dialog (a window of its own, saved apart).
RECO_SCREENSHOT="$out/compare-tradeoff.png" RECO_SCREENSHOT_PANEL=Compare RECO_SCREENSHOT_COMPARE_TAB=tradeoff \
  RECO_SCREENSHOT_RERANK_DIALOG="$out/rerank-dialog.png" RECO_SCREENSHOT_DELAY_MS=${RECO_SCREENSHOT_DELAY_MS:-4000} \
  RECO_SCREENSHOT_SIZE=${RECO_SCREENSHOT_SIZE:-1400x900} "$build/bin/reco-workbench" "$ws"
for tab in profile nearest audience heatmap map; do
  RECO_SCREENSHOT="$out/items-$tab.png" RECO_SCREENSHOT_PANEL=Items RECO_SCREENSHOT_ITEMS_TAB=$tab \
    RECO_SCREENSHOT_ITEM=${RECO_SCREENSHOT_ITEM:-P0017} RECO_SCREENSHOT_DELAY_MS=${RECO_SCREENSHOT_DELAY_MS:-4000} \
    RECO_SCREENSHOT_SIZE=${RECO_SCREENSHOT_SIZE:-1400x900} "$build/bin/reco-workbench" "$ws"
done
# Presenter mode on the demo story (two steps: the comparison and the first customer).
# Full screen is the screen's size: an offscreen screen of the screenshots' size.
reco story demo
size=${RECO_SCREENSHOT_SIZE:-1400x900}
printf '{"screens": [{"name": "s", "x": 0, "y": 0, "width": %d, "height": %d, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}\n' \
  "${size%x*}" "${size#*x}" > "$work/screen.json"
for step in 1 2; do
  QT_QPA_PLATFORM="offscreen:configfile=$work/screen.json" \
  RECO_SCREENSHOT="$out/presenter-$step.png" RECO_SCREENSHOT_PRESENTER=1 RECO_SCREENSHOT_STORY_STEP=$step \
    RECO_SCREENSHOT_DELAY_MS=${RECO_SCREENSHOT_DELAY_MS:-4000} RECO_SCREENSHOT_SIZE=${RECO_SCREENSHOT_SIZE:-1400x900} \
    "$build/bin/reco-workbench" "$ws"
done
# The report, as a stakeholder opens it: the HTML in Chromium and the PDF's pages (each only
# where its viewer is installed: chromium, poppler-utils).
runs=pop,itemknn,ease,als,bpr
reco report --runs "$runs" --baseline pop --users U00001 --items P0017 --out "$out/report.html"
reco report --runs "$runs" --baseline pop --users U00001 --items P0017 --out "$out/report.pdf"
if command -v chromium >/dev/null; then
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1600 \
    --screenshot="$out/report-html.png" "file://$out/report.html" 2>/dev/null
fi
if command -v pdftoppm >/dev/null; then pdftoppm -png -r 80 "$out/report.pdf" "$out/report-pdf"; fi
echo "screenshots: $(ls "$out"/*.png | wc -l) files in $out"
