// reco datasets and reco stats: what the workspace holds.
#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/text_format.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/io/import_options.h"
#include "core/storage/workspace.h"

namespace reco::cli {

const char* const kHelpDatasets =
    "usage: reco [--workspace FILE] datasets [--json]\n"
    "\n"
    "Lists the datasets of the workspace: name, format, feedback, users, items, interactions,\n"
    "density and time span. --json prints an array of objects with the same fields.\n";

const char* const kHelpStats =
    "usage: reco [--workspace FILE] stats [--dataset NAME] [--json]\n"
    "\n"
    "Statistics of a dataset (the only one when --dataset is left out): users, items,\n"
    "interactions, density, quantiles of interactions per user and per item, time span,\n"
    "category mix and event mix. JSON keys include users, items, interactions, density,\n"
    "per_user, per_item, first_time, last_time, categories, events.\n";

namespace {

void writeDatasetFields(JsonWriter& json, const DatasetInfo& d) {
  json.field("name", d.name)
      .field("format", d.format)
      .field("feedback", d.feedback)
      .field("source", d.source)
      .field("users", d.users)
      .field("items", d.items)
      .field("interactions", d.interactions)
      .field("density", d.density())
      .field("content_hash", d.contentHash);
  json.key("first_time");
  d.firstTime ? json.value(io::formatDateTime(*d.firstTime)) : json.null();
  json.key("last_time");
  d.lastTime ? json.value(io::formatDateTime(*d.lastTime)) : json.null();
}

void writeSummary(JsonWriter& json, const char* name, const CountSummary& s) {
  json.key(name)
      .beginObject()
      .field("min", s.min)
      .field("q25", s.q25)
      .field("median", s.median)
      .field("q75", s.q75)
      .field("q90", s.q90)
      .field("q99", s.q99)
      .field("max", s.max)
      .field("mean", s.mean)
      .endObject();
}

void printSummary(const char* name, const CountSummary& s) {
  std::printf("  %-22s min %s  q25 %s  median %s  q75 %s  q90 %s  q99 %s  max %s  mean %s\n", name,
              fixed(s.min, 0).c_str(), fixed(s.q25, 1).c_str(), fixed(s.median, 1).c_str(),
              fixed(s.q75, 1).c_str(), fixed(s.q90, 1).c_str(), fixed(s.q99, 1).c_str(),
              fixed(s.max, 0).c_str(), fixed(s.mean, 2).c_str());
}

}  // namespace

int runDatasets(CommandContext& context) {
  const Args args(context.args, {}, {"json"});
  storage::Workspace workspace(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const auto datasets = workspace.datasets();
  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginArray();
    for (const auto& d : datasets) {
      json.beginObject();
      writeDatasetFields(json, d);
      json.endObject();
    }
    std::printf("%s\n", json.endArray().str().c_str());
    return 0;
  }
  if (datasets.empty()) {
    std::printf("The workspace %s has no datasets yet: reco import PATH adds one.\n",
                context.workspacePath.c_str());
    return 0;
  }
  std::printf("%-20s %-14s %-9s %10s %9s %13s %9s  %s\n", "name", "format", "feedback", "users",
              "items", "interactions", "density", "time span");
  for (const auto& d : datasets) {
    std::printf("%-20s %-14s %-9s %10s %9s %13s %8.4f%%  %s .. %s\n", d.name.c_str(),
                d.format.c_str(), d.feedback.c_str(), withThousands(d.users).c_str(),
                withThousands(d.items).c_str(), withThousands(d.interactions).c_str(),
                d.density() * 100.0, dateOrDash(d.firstTime).c_str(),
                dateOrDash(d.lastTime).c_str());
  }
  return 0;
}

int runStats(CommandContext& context) {
  const Args args(context.args, {"dataset"}, {"json"});
  storage::Workspace workspace(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const DatasetInfo dataset = workspace.resolveDataset(args.valueOr("dataset", ""));
  const DatasetStats stats = workspace.stats(dataset.id);
  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginObject();
    writeDatasetFields(json, stats.info);
    writeSummary(json, "per_user", stats.perUser);
    writeSummary(json, "per_item", stats.perItem);
    json.key("categories").beginArray();
    for (const auto& c : stats.categories)
      json.beginObject()
          .field("category", c.category)
          .field("items", c.items)
          .field("interactions", c.interactions)
          .endObject();
    json.endArray();
    json.key("events").beginArray();
    for (const auto& e : stats.events)
      json.beginObject()
          .field("event", e.event)
          .field("weight", e.weight)
          .field("interactions", e.interactions)
          .endObject();
    json.endArray();
    std::printf("%s\n", json.endObject().str().c_str());
    return 0;
  }
  const auto& d = stats.info;
  std::printf("dataset %s (%s, %s feedback)\n", d.name.c_str(), d.format.c_str(),
              d.feedback.c_str());
  std::printf("  source                 %s\n", d.source.c_str());
  std::printf("  users                  %s\n", withThousands(d.users).c_str());
  std::printf("  items                  %s\n", withThousands(d.items).c_str());
  std::printf("  interactions           %s\n", withThousands(d.interactions).c_str());
  std::printf("  density                %.5f%%\n", d.density() * 100.0);
  std::printf("  time span              %s .. %s\n",
              d.firstTime ? io::formatDateTime(*d.firstTime).c_str() : "-",
              d.lastTime ? io::formatDateTime(*d.lastTime).c_str() : "-");
  printSummary("interactions per user", stats.perUser);
  printSummary("interactions per item", stats.perItem);
  if (!stats.categories.empty() &&
      !(stats.categories.size() == 1 && stats.categories[0].category.empty())) {
    std::printf("  categories (by interactions)\n");
    std::size_t shown = 0;
    for (const auto& c : stats.categories) {
      if (++shown > 20) {
        std::printf("    ... %zu more\n", stats.categories.size() - 20);
        break;
      }
      std::printf("    %-40s %9s items %12s interactions (%5.1f%%)\n",
                  c.category.empty() ? "(none)" : c.category.c_str(),
                  withThousands(c.items).c_str(), withThousands(c.interactions).c_str(),
                  d.interactions ? 100.0 * double(c.interactions) / double(d.interactions) : 0.0);
    }
  }
  if (!stats.events.empty()) {
    std::printf("  events\n");
    for (const auto& e : stats.events)
      std::printf("    %-20s weight %-5g %12s interactions\n", e.event.c_str(), e.weight,
                  withThousands(e.interactions).c_str());
  }
  return 0;
}

}  // namespace reco::cli
