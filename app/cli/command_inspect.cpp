// reco recommend, similar, explain and export: looking inside a stored run, by the
// dataset's own external ids.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <unordered_map>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/text_format.h"
#include "core/common/csv_text.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/number_text.h"
#include "core/common/output_file.h"
#include "core/models/registry.h"
#include "core/storage/dataset_shape.h"
#include "core/storage/run_store.h"
#include "core/storage/user_store.h"
#include "core/training/model_file.h"
#include "core/training/run_lists.h"
#include "core/training/stored_run.h"

namespace reco::cli {

const char* const kHelpRecommend =
    "usage: reco [--workspace FILE] recommend --run RUN --user ID [-n 10] [--rerank K=V,...]\n"
    "                                         [--json]\n"
    "       reco [--workspace FILE] recommend --run RUN --history ID,ID,... [--user ID] [-n 10]\n"
    "                                         [--fallback popular|none] [--fallback-days N]\n"
    "                                         [--fallback-category NAME] [--rerank K=V,...]\n"
    "                                         [--json]\n"
    "\n"
    "The run's top-n items for a user (the dataset's own user id), with the user's training\n"
    "items excluded: rank, item id, title, category, price, score, a '*' on items in the\n"
    "user's held-out test part, and a one-line reason from the model's explanation.\n"
    "\n"
    "With --history, what-if: the list for an ad-hoc history of item ids, oldest first\n"
    "(--history \"\" is a new visitor), re-scored by the run's model where it can fold a\n"
    "history in, and compared with the list for the unedited history: the user's stored\n"
    "training items with --user, none without. Each item shows its reason over the history\n"
    "and its move (new, =, \u2191N up, \u2193N down); the items that left follow.\n"
    "Items the model has nothing to say about are ranked by the fallback (popularity in the\n"
    "split's training part, marked F; --fallback-days N counts only its last N days,\n"
    "--fallback-category NAME only that category's items). A model that cannot score a new\n"
    "history says so.\n"
    "Nothing is stored.\n"
    "\n"
    "With --rerank key=value,... (repeatable; the settings of `reco rerank`, e.g.\n"
    "--rerank method=mmr,lambda=0.3 or --rerank exclude_category=Horror), either list is\n"
    "re-ranked on the fly; each reason says what the re-ranker did (\"moved up by mmr\"),\n"
    "and the scores are the re-ranked order's. With --history the re-ranker applies the\n"
    "fallback itself before it chooses (unless --fallback none or fallback=none).\n";
const char* const kHelpSimilar =
    "usage: reco [--workspace FILE] similar --run RUN --item ID [-n 10] [--json]\n"
    "\n"
    "The n items most similar to an item according to the run's model.\n";
const char* const kHelpShown =
    "usage: reco [--workspace FILE] shown --run RUN --item ID [--json]\n"
    "\n"
    "Who is shown an item: the users whose stored top-N list of the run holds it, with its\n"
    "rank and score there, and their share of the users with a stored list.\n";
const char* const kHelpExplain =
    "usage: reco [--workspace FILE] explain --run RUN --user ID --item ID\n"
    "\n"
    "Why the run's model scores an item for a user: the score, a reason, and the history items\n"
    "(or factors) that contributed, with their weights.\n";
const char* const kHelpExport =
    "usage: reco [--workspace FILE] export --run RUN --out FILE.csv [--raw]\n"
    "\n"
    "Writes the run's stored top-N lists as CSV: user,rank,item,score,title,category.\n"
    "The file is written beside FILE.csv and renamed into place when complete; the workspace\n"
    "(and any SQLite file) is never overwritten. A text field that begins with =, +, -, @, a\n"
    "tab or a carriage return is written as '... so that a spreadsheet shows it as text\n"
    "(OWASP's advice against formula injection); --raw writes every field as it is.\n";

namespace {

// A stored run made usable again: its model, its split, the id maps and (unless skipped)
// every item's title and category.
struct OpenRun {
  storage::RunInfo run;
  storage::SplitInfo split;
  LoadedModel model;
  std::vector<std::string> titles, categories;
};

OpenRun openRun(storage::Workspace& ws, const std::string& name, bool withCatalogue = true) {
  StoredRun stored = openStoredRun(ws, name);
  OpenRun open{std::move(stored.run), std::move(stored.split), std::move(stored.model), {}, {}};
  if (!withCatalogue) return open;
  const auto items = open.model.header.itemIds.size();
  open.titles.assign(items, "");
  open.categories.assign(items, "");
  storage::Statement st(ws.db(), "SELECT idx, title, category FROM items WHERE dataset_id = ?1");
  st.bind(1, open.run.datasetId);
  while (st.step()) {
    const auto idx = std::size_t(st.columnInt(0));
    if (idx >= items) continue;
    open.titles[idx] = st.columnText(1);
    open.categories[idx] = st.columnText(2);
  }
  return open;
}

/// The index of `id` in the model's id map, or -1. A command looks up one or two ids: a scan
/// of the map beats hashing a million user ids first (0.9 s of `reco similar` at 1M users).
std::int32_t indexOf(const std::vector<std::string>& ids, const std::string& id) {
  if (id.empty()) return -1;  // "" marks an unused index
  const auto it = std::find(ids.begin(), ids.end(), id);
  return it == ids.end() ? -1 : std::int32_t(it - ids.begin());
}

std::int32_t userOf(const OpenRun& open, const std::string& id) {
  const std::int32_t user = indexOf(open.model.header.userIds, id);
  if (user < 0) throw Error(ErrorKind::Config, "user '" + id + "' is not in the run's dataset");
  return user;
}

std::int32_t itemOf(const OpenRun& open, const std::string& id) {
  const std::int32_t item = indexOf(open.model.header.itemIds, id);
  if (item < 0) throw Error(ErrorKind::Config, "item '" + id + "' is not in the run's dataset");
  return item;
}

std::string priceText(const std::optional<double>& price) {
  return price ? fixed(*price, 2) : "-";
}

}  // namespace

int runRecommend(CommandContext& context) {
  const Args args(
      context.args,
      {"run", "user", "n", "history", "fallback", "fallback-days", "fallback-category", "rerank"},
      {"json"});
  if (args.has("history")) return runRecommendHistory(context, args);
  if (args.has("fallback"))
    throw Error(ErrorKind::Usage, "--fallback applies to --history only (see --help)");
  const auto n =
      std::size_t(args.integerAtLeast("n", 1).value_or(10));  // options first, then the workspace
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  OpenRun open =
      openRun(ws, args.require("run"), /*withCatalogue=*/false);  // the list reads its own items
  rerankIfAsked(args, ws, open.run, open.split, open.model);
  const std::string userId = args.require("user");
  const RunList list =
      runListForUser(ws, open.run, open.model, open.split, userOf(open, userId), n);
  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginObject().field("run", open.run.name).field("user", userId).key("items").beginArray();
    for (std::size_t r = 0; r < list.items.size(); ++r) {
      const RunListItem& item = list.items[r];
      json.beginObject()
          .field("rank", std::int64_t(r + 1))
          .field("item", item.meta.externalId)
          .field("title", item.meta.title)
          .field("category", item.meta.category);
      json.key("price");
      item.meta.price ? json.value(*item.meta.price) : json.null();
      json.field("score", double(item.score))
          .field("in_test", item.inTest)
          .field("reason", item.reason)
          .endObject();
    }
    std::printf("%s\n", json.endArray().endObject().str().c_str());
    return 0;
  }
  std::printf(
      "Top %zu for user %s by run '%s' (%s); %zu training items excluded; * = in the held-out test "
      "part\n",
      list.items.size(), userId.c_str(), open.run.name.c_str(), open.run.model.c_str(),
      list.trainingItems);
  std::printf("%4s  %-10s %-40s %-24s %8s %10s  %s\n", "rank", "item", "title", "category", "price",
              "score", "reason");
  for (std::size_t r = 0; r < list.items.size(); ++r) {
    const RunListItem& item = list.items[r];
    std::printf("%3zu%c  %-10s %-40.40s %-24.24s %8s %10.4f  %s\n", r + 1, item.inTest ? '*' : ' ',
                item.meta.externalId.c_str(), item.meta.title.c_str(), item.meta.category.c_str(),
                priceText(item.meta.price).c_str(), double(item.score), item.reason.c_str());
  }
  return 0;
}

int runSimilar(CommandContext& context) {
  const Args args(context.args, {"run", "item", "n"}, {"json"});
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const OpenRun open = openRun(ws, args.require("run"));
  const std::string itemId = args.require("item");
  const std::int32_t item = itemOf(open, itemId);
  const auto list = similarItemsOf(ws, open.run, open.model, item,
                                   std::size_t(args.integerAtLeast("n", 1).value_or(10)));
  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginObject()
        .field("run", open.run.name)
        .field("item", itemId)
        .key("similar")
        .beginArray();
    for (const SimilarItem& similar : list) {
      json.beginObject()
          .field("item", similar.meta.externalId)
          .field("title", similar.meta.title)
          .field("category", similar.meta.category)
          .field("similarity", double(similar.similarity))
          .endObject();
    }
    std::printf("%s\n", json.endArray().endObject().str().c_str());
    return 0;
  }
  std::printf("Items most similar to %s (%s) by run '%s'\n", itemId.c_str(),
              open.titles[std::size_t(item)].c_str(), open.run.name.c_str());
  for (std::size_t r = 0; r < list.size(); ++r) {
    const SimilarItem& similar = list[r];
    std::printf("%3zu  %-10s %-44.44s %-24.24s %8.4f\n", r + 1, similar.meta.externalId.c_str(),
                similar.meta.title.c_str(), similar.meta.category.c_str(),
                double(similar.similarity));
  }
  return 0;
}

int runShown(CommandContext& context) {
  const Args args(context.args, {"run", "item"}, {"json"});
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const OpenRun open = openRun(ws, args.require("run"));
  const std::string itemId = args.require("item");
  const std::int32_t item = itemOf(open, itemId);
  const auto audience = storage::runItemAudience(ws, open.run.id, item, {});
  if (!audience) return 130;  // stopped: not reachable without a stop source
  const auto& userIds = open.model.header.userIds;
  const auto userId = [&](std::int32_t user) {
    return std::size_t(user) < userIds.size() ? userIds[std::size_t(user)] : std::to_string(user);
  };
  const double share = audience->listedUsers > 0
                           ? double(audience->members.size()) / double(audience->listedUsers)
                           : 0.0;
  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginObject()
        .field("run", open.run.name)
        .field("item", itemId)
        .field("shown_to", std::int64_t(audience->members.size()))
        .field("listed_users", audience->listedUsers)
        .field("share", share)
        .key("users")
        .beginArray();
    for (const auto& member : audience->members) {
      json.beginObject()
          .field("user", userId(member.user))
          .field("rank", std::int64_t(member.rank))
          .field("score", double(member.score))
          .endObject();
    }
    std::printf("%s\n", json.endArray().endObject().str().c_str());
    return 0;
  }
  std::printf("Item %s (%s) is in the stored top-N of %zu of %lld users (%.1f%%) by run '%s'\n",
              itemId.c_str(), open.titles[std::size_t(item)].c_str(), audience->members.size(),
              static_cast<long long>(audience->listedUsers), 100.0 * share, open.run.name.c_str());
  if (!audience->members.empty()) std::printf("%-12s %5s %10s\n", "user", "rank", "score");
  for (const auto& member : audience->members)
    std::printf("%-12s %5d %10.4f\n", userId(member.user).c_str(), member.rank,
                double(member.score));
  return 0;
}

int runExplain(CommandContext& context) {
  const Args args(context.args, {"run", "user", "item"}, {});
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const OpenRun open = openRun(ws, args.require("run"));
  const std::int32_t user = userOf(open, args.require("user"));
  const std::int32_t item = itemOf(open, args.require("item"));
  const auto parts = storage::loadUserSplitParts(ws, open.split, user);
  const Explanation e = open.model.model->explain(UserIndex{user}, ItemIndex{item}, parts.train);
  std::printf("Run '%s' (%s), user %s, item %s (%s)\n", open.run.name.c_str(),
              open.run.model.c_str(), args.require("user").c_str(), args.require("item").c_str(),
              open.titles[std::size_t(item)].c_str());
  std::printf("  score %.6f: %s\n", e.score, resolveReason(ws, open.run.datasetId, e).c_str());
  for (const auto& c : e.because) {
    const auto i = std::size_t(c.item.value);
    std::printf("    %+10.6f  %-10s %s\n", c.weight, open.model.header.itemIds[i].c_str(),
                open.titles[i].c_str());
  }
  return 0;
}

int runExport(CommandContext& context) {
  const Args args(context.args, {"run", "out"}, {"raw"});
  const std::string path = args.require("out");
  // Before the workspace is opened: its -wal and -shm must not be the target either.
  checkOutputTarget(path, workspaceFiles(context.workspacePath));
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const storage::RunInfo run = storage::requireRun(ws, args.require("run"));
  const auto users = storage::userExternalIds(ws, run.datasetId);
  const auto items = storage::itemExternalIds(ws, run.datasetId);
  std::unordered_map<std::int32_t, std::pair<std::string, std::string>> meta;
  storage::Statement st(ws.db(), "SELECT idx, title, category FROM items WHERE dataset_id = ?1");
  st.bind(1, run.datasetId);
  while (st.step()) meta[std::int32_t(st.columnInt(0))] = {st.columnText(1), st.columnText(2)};
  const CsvFormulas formulas = args.flag("raw") ? CsvFormulas::Raw : CsvFormulas::Escape;
  AtomicOutputFile out(path, workspaceFiles(context.workspacePath));
  out.write("user,rank,item,score,title,category\n");
  std::size_t rows = 0;
  const auto evalUsers = storage::runEvalUsers(ws, run.id);
  for (const auto user : evalUsers) {
    const auto list = storage::runRecommendations(ws, run.id, user);
    if (!list) continue;
    storage::requireStoredIndex(run.datasetId, user, std::int64_t(users.size()),
                                "a top-N list for user index");
    for (std::size_t r = 0; r < list->items.size(); ++r) {
      const auto i = list->items[r];
      storage::requireStoredIndex(run.datasetId, i, std::int64_t(items.size()),
                                  "a top-N list with item index");
      out.write(csvField(users[std::size_t(user)], formulas) + ',' + std::to_string(r + 1) + ',' +
                csvField(items[std::size_t(i)], formulas) + ',' +
                formatSignificant(list->scores[r], 7) + ',' + csvField(meta[i].first, formulas) +
                ',' + csvField(meta[i].second, formulas) + '\n');
      ++rows;
    }
  }
  out.commit();
  std::printf("Wrote %zu rows (%zu users) of run '%s' to %s\n", rows, evalUsers.size(),
              run.name.c_str(), path.c_str());
  return 0;
}

}  // namespace reco::cli
