// reco recommend --history: what-if from the command line. The list is reco::whatIfList
// (core/training/what_if.h), the one the Users panel's "Edit history" mode shows, so the two
// agree item for item; this file only reads the ids and prints.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/item_id_list.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/training/stored_run.h"
#include "core/training/what_if.h"

namespace reco::cli {
namespace {

// "new", "=", "↑3", "↓1".
std::string move(const WhatIfItem& item, std::size_t rank) {
  if (item.previousRank == 0) return "new";
  const long delta = long(item.previousRank) - long(rank);
  if (delta == 0) return "=";
  return (delta > 0 ? "\u2191" : "\u2193") + std::to_string(delta > 0 ? delta : -delta);
}

// Pads to `width` columns counting UTF-8 code points (the arrows are three bytes, one column).
std::string padded(const std::string& text, std::size_t width) {
  std::size_t columns = 0;
  for (const char c : text) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return text + std::string(columns < width ? width - columns : 0, ' ');
}

void writeItem(JsonWriter& json, const WhatIfItem& item, std::size_t rank) {
  json.beginObject();
  if (rank > 0) json.field("rank", std::int64_t(rank));
  json.field("previous_rank", std::int64_t(item.previousRank));
  if (rank > 0) json.field("move", move(item, rank));
  json.field("item", item.meta.externalId)
      .field("title", item.meta.title)
      .field("category", item.meta.category);
  json.key("price");
  item.meta.price ? json.value(*item.meta.price) : json.null();
  json.field("score", double(item.score))
      .field("in_test", item.inTest)
      .field("fallback", item.fallback)
      .field("reason", item.reason)
      .endObject();
}

void printItem(const WhatIfItem& item, const std::string& rankText, const std::string& moveText) {
  std::printf("%4s%c%c %-10s %-40.40s %-24.24s %10.4f  %s %s\n", rankText.c_str(),
              item.inTest ? '*' : ' ', item.fallback ? 'F' : ' ', item.meta.externalId.c_str(),
              item.meta.title.c_str(), item.meta.category.c_str(), double(item.score),
              padded(moveText, 5).c_str(), item.reason.c_str());
}

}  // namespace

int runRecommendHistory(CommandContext& context, const Args& args) {
  const auto n = std::size_t(args.integerAtLeast("n", 1).value_or(10));
  const std::string fallbackName = args.valueOr("fallback", "popular");
  if (fallbackName != "popular" && fallbackName != "none")
    throw Error(ErrorKind::Usage,
                "--fallback expects popular or none, found '" + fallbackName + "'");
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  StoredRun open = openStoredRun(ws, args.require("run"));
  rerankIfAsked(args, ws, open.run, open.split, open.model);
  WhatIfRequest request;
  request.n = n;
  request.history = parseItemIdList(args.require("history"), open.model.header.itemIds, "--history",
                                    "the data run '" + open.run.name + "' was trained on");
  const auto userId = args.value("user");
  if (userId) {
    const auto& ids = open.model.header.userIds;
    const auto at = std::find(ids.begin(), ids.end(), *userId);
    if (userId->empty() || at == ids.end())
      throw Error(ErrorKind::Config, "user '" + *userId + "' is not in the data run '" +
                                         open.run.name + "' was trained on");
    request.user = std::int32_t(at - ids.begin());
  }
  PopularityFallbackOptions popular;
  popular.windowDays = int(args.integerAtLeast("fallback-days", 0).value_or(0));
  popular.category = args.valueOr("fallback-category", "");
  if (fallbackName == "none" && (popular.windowDays > 0 || !popular.category.empty()))
    throw Error(ErrorKind::Usage,
                "--fallback-days and --fallback-category shape the popular fallback, but "
                "--fallback is none");
  const WhatIfFallback fallback =
      fallbackName == "popular"
          ? popularityFallback(ws, open.split, open.model.model->itemCount(), popular)
          : WhatIfFallback{};
  const WhatIfList list =
      whatIfList(ws, open.run, open.model, open.split, request, fallback, context.stop);
  if (context.stop.stop_requested()) return 130;

  const auto& itemIds = open.model.header.itemIds;
  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginObject().field("run", open.run.name).field("model", open.run.model).key("user");
    userId ? json.value(*userId) : json.null();
    json.key("history").beginArray();
    for (const std::int32_t item : request.history) json.value(itemIds[std::size_t(item)]);
    json.endArray()
        .field("rescored", list.rescored)
        .field("method", list.method)
        .field("note", list.note)
        .field("fallback", fallback.scores.empty() ? std::string() : fallback.label)
        .field("seconds", list.seconds)
        .key("items")
        .beginArray();
    for (std::size_t r = 0; r < list.items.size(); ++r) writeItem(json, list.items[r], r + 1);
    json.endArray().key("left").beginArray();
    for (const WhatIfItem& item : list.left) writeItem(json, item, 0);
    std::printf("%s\n", json.endArray().endObject().str().c_str());
    return 0;
  }

  const std::string who = userId ? "user " + *userId : std::string("a new visitor");
  std::printf("What-if for %s with %zu history item%s, by run '%s' (%s)", who.c_str(),
              request.history.size(), request.history.size() == 1 ? "" : "s", open.run.name.c_str(),
              open.run.model.c_str());
  if (!list.rescored) {
    std::printf(": not re-scored\n%s\n", list.note.c_str());
    return 0;
  }
  std::printf(
      ", %s; * = in the held-out test part, F = %s\n", list.method.c_str(),
      fallback.scores.empty() ? "fallback (none chosen)" : ("fallback: " + fallback.label).c_str());
  if (!list.note.empty()) std::printf("%s\n", list.note.c_str());
  std::printf("%4s   %-10s %-40s %-24s %10s  %-5s %s\n", "rank", "item", "title", "category",
              "score", "move", "reason");
  for (std::size_t r = 0; r < list.items.size(); ++r)
    printItem(list.items[r], std::to_string(r + 1), move(list.items[r], r + 1));
  if (!list.left.empty()) {
    std::printf("Left the list (rank before the edit):\n");
    for (const WhatIfItem& item : list.left)
      printItem(item, std::to_string(item.previousRank), "out");
  }
  return 0;
}

}  // namespace reco::cli
