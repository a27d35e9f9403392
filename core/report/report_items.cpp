// Item stories (section "items"): per chosen item, its nearest items by the first run that
// has a notion of similar items (reco::similarItemsOf, as `reco similar`) and who each run
// shows it to (storage::runItemAudience, as `reco shown`); then, when chosen, the heatmap of
// the chosen items and their nearest (computeSimilarityMatrix, as `reco similarity`) and the
// item map of the first run that has one (computeItemMap, as `reco embed`).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/report/charts.h"
#include "core/report/report_context.h"
#include "core/storage/user_store.h"
#include "core/training/item_map.h"
#include "core/training/run_lists.h"
#include "core/training/similarity_matrix.h"

namespace reco::report::sections {

namespace {

constexpr std::size_t kNearest = 10;        // rows of an item's nearest table
constexpr std::size_t kHeatmapNearest = 5;  // of those, the heatmap's
constexpr std::size_t kHeatmapMost = 36;    // items in the heatmap
constexpr std::size_t kMapCategories = 5;   // coloured categories (palette 0-4)

/// The first run (in the report's order) whose model can do `capability`, or nullopt.
std::optional<std::size_t> firstRunWith(ReportContext& context, unsigned capability) {
  for (std::size_t r = 0; r < context.runs.size(); ++r)
    if (context.capabilities(r) & capability) return r;
  return std::nullopt;
}

/// Why no run of the report can show similar items, from the report's own runs: those that
/// could not be loaded, with the load error, and those whose model has no notion of it.
std::string whyNoSimilarItems(ReportContext& context) {
  std::vector<std::string> lacking, failed;
  for (std::size_t r = 0; r < context.runs.size(); ++r) {
    if (context.loadable(r))
      lacking.push_back(context.runs[r].name);
    else
      failed.push_back("run " + context.runs[r].name + " could not be loaded (" +
                       context.models[r].error + ")");
  }
  std::string text;
  std::string sep;
  if (!lacking.empty()) {
    for (std::size_t i = 0; i < lacking.size(); ++i)
      text += (i == 0 ? sep : i + 1 == lacking.size() ? " and " : ", ") + lacking[i];
    text += lacking.size() == 1 ? " has no notion of similar items" : " have no notion of them";
    sep = "; ";
  }
  for (const std::string& f : failed) {
    text += sep + f;
    sep = "; ";
  }
  return text;
}

/// The sentence that says so, or a pointer to it where the stories already said it.
std::string noSimilarItems(ReportContext& context, bool alreadySaid) {
  return "no run of the report can show similar items" +
         (alreadySaid ? std::string(" (see above).") : ": " + whyNoSimilarItems(context) + ".");
}

void addNearest(ReportContext& context, std::size_t run, const std::string& id,
                const std::string& tableId, std::int32_t item, std::vector<std::string>& heatmapIds,
                Section* section) {
  const auto nearest =
      similarItemsOf(context.workspace, context.runs[run], *context.model(run), item, kNearest);
  Table table;
  table.id = "item-" + tableId + "-nearest";
  table.caption = "Items most similar to " + id + " by run " + context.runs[run].name;
  table.header = {"rank", "item", "title", "category", "similarity"};
  for (std::size_t r = 0; r < nearest.size(); ++r) {
    const SimilarItem& s = nearest[r];
    table.rows.push_back({TableCell{std::to_string(r + 1), "", true, false, false, false},
                          TableCell{s.meta.externalId, "", false, false, false, false},
                          TableCell{s.meta.title, "", false, false, false, s.meta.title.empty()},
                          TableCell{s.meta.category, "", false, false, false, false},
                          TableCell{formatFixed(s.similarity, 4), "", true, false, false, false}});
    if (r < kHeatmapNearest) heatmapIds.push_back(s.meta.externalId);
  }
  if (section) section->blocks.emplace_back(std::move(table));
}

void addAudience(ReportContext& context, const std::string& id, const std::string& tableId,
                 std::int32_t item, Section& section) {
  Table table;
  table.id = "item-" + tableId + "-audience";
  table.caption = "Who each run shows item " + id + " to (its stored top-N lists)";
  table.header = {"run", "shown to", "share of users", "best rank", "median rank"};
  for (const auto& run : context.runs) {
    const auto audience = storage::runItemAudience(context.workspace, run.id, item, context.stop);
    if (!audience) return;  // stopped
    std::vector<std::int32_t> ranks;
    for (const auto& member : audience->members) ranks.push_back(member.rank);
    std::sort(ranks.begin(), ranks.end());
    const bool any = !ranks.empty();
    const double share =
        audience->listedUsers > 0 ? double(ranks.size()) / double(audience->listedUsers) : 0.0;
    table.rows.push_back(
        {TableCell{run.name, "", false, false, false, false},
         TableCell{std::to_string(ranks.size()) + " users",
                   "of " + std::to_string(audience->listedUsers) + " with a list", true, false,
                   false, !any},
         TableCell{formatFixed(100 * share, 1) + "%", "", true, false, false, !any},
         TableCell{any ? std::to_string(ranks.front()) : "\u2013", "", true, false, false, !any},
         TableCell{any ? std::to_string(ranks[ranks.size() / 2]) : "\u2013", "", true, false, false,
                   !any}});
  }
  section.blocks.emplace_back(std::move(table));
}

void addHeatmap(ReportContext& context, std::size_t run, const std::vector<std::string>& ids,
                Section& section) {
  SimilarityMatrixOptions options;
  options.selection.kind = SimilaritySelection::Kind::ItemIds;
  options.selection.ids = ids;
  options.order = ids.size() >= 3 ? SimilarityOrder::Cluster : SimilarityOrder::Listed;
  const auto matrix =
      computeSimilarityMatrix(context.workspace, context.runs[run], *context.model(run),
                              context.splits[run], options, nullptr, context.stop);
  if (!matrix || matrix->size() == 0) return;
  const std::size_t n = matrix->size();
  Heatmap chart;
  chart.title = "Similarity of the chosen items and their nearest";
  chart.valueLabel = "similarity";  // the measure in full is in the caption
  double most = 0;
  chart.values.assign(n, std::vector<double>(n, std::nan("")));
  for (std::size_t r = 0; r < n; ++r) {
    const auto& label = matrix->labels[r];
    chart.rowLabels.push_back(shortName(label.title.empty() ? label.externalId : label.title, 26));
    for (std::size_t c = 0; c < n; ++c) {
      if (r == c) continue;  // the self value would set the scale; the diagonal stays grey
      const double v = matrix->value(r, c);
      chart.values[r][c] = v;
      if (std::isfinite(v)) most = std::max(most, std::abs(v));
    }
  }
  chart.columnLabels = chart.rowLabels;
  if (most <= 0) most = 1;
  chart.minValue = matrix->isSigned ? -most : 0;
  chart.maxValue = most;
  const double side = std::min(500.0, 200.0 + 14.0 * double(n));
  section.blocks.emplace_back(Heading{"Similarity heatmap", 3});
  section.blocks.emplace_back(
      Figure{"heatmap",
             "Run " + context.runs[run].name + ": " + matrix->measure +
                 " between the chosen items and their nearest, clustered; the diagonal is "
                 "left grey.",
             drawHeatmap(chart, side + 120, side)});
}

void addItemMap(ReportContext& context, Section& section, bool reasonSaid) {
  const auto run = firstRunWith(context, kHasItemEmbeddings);
  const auto fallback = run ? run : firstRunWith(context, kCanSimilarItems);
  if (!fallback) {
    section.blocks.emplace_back(
        Paragraph{"The item map is not drawn: no run has item vectors, and " +
                      noSimilarItems(context, reasonSaid),
                  true});
    return;
  }
  const auto map =
      computeItemMap(context.workspace, context.runs[*fallback], *context.model(*fallback),
                     context.splits[*fallback], ItemMapOptions{}, nullptr, context.stop);
  if (!map || map->size() == 0) return;
  // One series per frequent category (palette 0-4), the other items underneath them in a
  // light colour (5), the chosen items on top in black (7) with their names.
  XyChart chart;
  chart.title = "Item map of run " + shortName(context.runs[*fallback].name, 30);
  chart.xLabel = "first principal axis";
  chart.yLabel = "second principal axis";
  const std::size_t coloured = std::min(kMapCategories, map->categories.size());
  chart.series.push_back(XySeries{"other categories", {}, {}, {}, {}, {}, false, true, false, 5});
  for (std::size_t c = 0; c < coloured; ++c)
    chart.series.push_back(XySeries{map->categories[c].empty() ? "no category" : map->categories[c],
                                    {},
                                    {},
                                    {},
                                    {},
                                    {},
                                    false,
                                    true,
                                    false,
                                    int(c)});
  XySeries chosen{"chosen items", {}, {}, {}, {}, {}, false, true, false, 7};
  const std::set<std::int32_t> picked(context.itemIndices.begin(), context.itemIndices.end());
  for (std::size_t p = 0; p < map->size(); ++p) {
    const double x = map->layout.x[p], y = map->layout.y[p];
    const std::int32_t code = map->categoryCode[p];
    XySeries& series =
        chart.series[code >= 0 && std::size_t(code) < coloured ? std::size_t(code) + 1 : 0];
    series.x.push_back(x);
    series.y.push_back(y);
    if (picked.count(map->items[p])) {
      chosen.x.push_back(x);
      chosen.y.push_back(y);
      chosen.pointLabels.push_back(
          shortName(map->titles[p].empty() ? map->externalIds[p] : map->titles[p], 24));
    }
  }
  if (chart.series.front().x.empty()) chart.series.erase(chart.series.begin());
  if (!chosen.x.empty()) chart.series.push_back(std::move(chosen));
  section.blocks.emplace_back(Heading{"Item map", 3});
  section.blocks.emplace_back(Figure{
      "item-map",
      "Every item of run " + context.runs[*fallback].name + " placed by PCA of its " + map->source +
          " (the axes explain " + formatFixed(100 * map->layout.explained[0], 1) + "% and " +
          formatFixed(100 * map->layout.explained[1], 1) + "% of the variance).",
      drawXyChart(chart, 500, 380)});
}

}  // namespace

Section itemsSection(ReportContext& context) {
  const ReportParts& parts = context.options.parts;
  Section section{"items", "Item stories", {}};
  const auto similarRun = firstRunWith(context, kCanSimilarItems);
  std::vector<std::string> heatmapIds;
  bool reasonSaid = false;  // why no run shows similar items, said once
  for (std::size_t i = 0; i < context.itemIndices.size(); ++i) {
    if (context.stop.stop_requested()) return section;
    const std::string& id = context.options.items[i];
    const std::int32_t item = context.itemIndices[i];
    const std::string& tableId = context.itemTableIds[i];
    heatmapIds.push_back(id);
    if (!parts.itemStories) {
      if (parts.heatmap && similarRun)
        addNearest(context, *similarRun, id, tableId, item, heatmapIds, nullptr);
      continue;
    }
    const std::int32_t one[] = {item};
    const auto meta = storage::loadItemMeta(context.workspace, context.dataset.id, one);
    std::string heading = "Item " + id;
    if (!meta.front().title.empty()) heading += ": " + meta.front().title;
    section.blocks.emplace_back(Heading{heading, 3});
    if (!meta.front().category.empty())
      section.blocks.emplace_back(Paragraph{"Category: " + meta.front().category, false});
    if (similarRun) {
      addNearest(context, *similarRun, id, tableId, item, heatmapIds, &section);
    } else {
      section.blocks.emplace_back(Paragraph{
          "No run of the report can show similar items: " + whyNoSimilarItems(context) + ".",
          true});
      reasonSaid = true;
    }
    addAudience(context, id, tableId, item, section);
  }
  if (parts.heatmap && similarRun && heatmapIds.size() >= 2 && !context.stop.stop_requested()) {
    // The chosen items and their nearest, once each, in order of first mention.
    std::vector<std::string> ids;
    std::set<std::string> seen;
    for (const auto& id : heatmapIds)
      if (ids.size() < kHeatmapMost && seen.insert(id).second) ids.push_back(id);
    addHeatmap(context, *similarRun, ids, section);
  } else if (parts.heatmap && !context.stop.stop_requested()) {
    section.blocks.emplace_back(
        Paragraph{"The similarity heatmap is not drawn: " +
                      (similarRun ? std::string("it needs at least two items, and has ") +
                                        std::to_string(heatmapIds.size()) + "."
                                  : noSimilarItems(context, reasonSaid)),
                  true});
  }
  if (parts.itemMap && !context.stop.stop_requested()) addItemMap(context, section, reasonSaid);
  context.releaseModel();  // the writers that follow need the memory more
  return section;
}

}  // namespace reco::report::sections
