// reco rerank: a re-ranker (diversity, novelty, business rules) on top of a stored run,
// evaluated like the run and stored as a derived run (core/training/derived_run.h).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/progress_bar.h"
#include "app/cli/workspace_writing.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/number_text.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/derived_run.h"

namespace reco::cli {

const char* const kHelpRerank =
    "usage: reco [--workspace FILE] rerank --run RUN [--method none|mmr|calibration|popularity]\n"
    "                                   [--set key=value ...] [--exclude-file FILE]\n"
    "                                   [--exclude-item ID ...] [--exclude-attribute KEY=VALUE "
    "...]\n"
    "                                   [--exclude-category NAME ...]\n"
    "                                   [--boost category=NAME:FACTOR ...]\n"
    "                                   [--boost attribute=KEY=VALUE:FACTOR ...] [--cap N]\n"
    "                                   [--fallback popular] [--sweep "
    "lambda=V,V,...|beta=V,V,...]\n"
    "                                   [--name RUN] [--threads N] [--json]\n"
    "\n"
    "Re-ranks every user's list of a stored run, evaluates the result with the same evaluator,\n"
    "split and cut-offs as the run, and stores it as a derived run (model 'rerank', named\n"
    "\"RUN + mmr(λ=0.3)\" unless --name is given), so that `reco compare` and\n"
    "the Compare panel show what diversity and business rules cost in accuracy. Prints each\n"
    "derived run's ndcg@10 with its 95% CI, ild_category@10 and coverage@10 next to the\n"
    "run's own.\n"
    "\n"
    "Per user: the run's scores -> the fallback (optional) -> the top `candidates` items\n"
    "without the user's training items and the excluded items -> boosts -> the method,\n"
    "choosing `depth` items with the cap enforced.\n"
    "\n"
    "Methods (--method, or --set method=...):\n"
    "  mmr          maximal marginal relevance: lambda * relevance - (1 - lambda) * the\n"
    "               similarity to the items already chosen. lambda=1 is the plain list,\n"
    "               lambda=0 the most diverse. by=category: the share of the chosen items\n"
    "               in the item's category (one minus its gain in ild_category);\n"
    "               by=embedding: the largest cosine of the model's item vectors, else of\n"
    "               its item similarities (a model with neither is refused).\n"
    "  calibration  the list's category mix toward the user's history (Steck 2018):\n"
    "               (1 - lambda) * relevance - lambda * KL(history mix || list mix).\n"
    "               NOTE: lambda=0 is the plain list here, lambda=1 the most calibrated.\n"
    "  popularity   a novelty penalty: relevance - beta * log(1 + pop) / log(1 + max pop).\n"
    "  none         the plain list (the rules and the fallback still apply; the default).\n"
    "Relevance is the run's score scaled to (0, 1] within the candidates.\n"
    "\n"
    "Settings (--set key=value, or the options below):\n"
    "  lambda=0.5  by=category|embedding  beta=0.5  depth=50 (>= the run's largest K)\n"
    "  candidates=200  cap=0 (items per category, 0: none)  fallback=none|popular\n"
    "\n"
    "Rules:\n"
    "  --exclude-file FILE          item ids never listed, one per line ('#' comments)\n"
    "  --exclude-item ID            an item id never listed (repeatable)\n"
    "  --exclude-attribute K=V      items whose attribute K is V never listed (in_stock=0)\n"
    "  --exclude-category NAME      a category never listed\n"
    "  --boost category=NAME:F      relevance times F (> 0) for a category's items\n"
    "  --boost attribute=K=V:F      relevance times F for items whose attribute K is V\n"
    "  --cap N                      at most N items of one category per list\n"
    "  --fallback popular           items the run has no signal for (score 0) are ranked by\n"
    "                               training popularity below the rest (cold users)\n"
    "\n"
    "--sweep lambda=0,0.1,0.3,0.5 (or beta=...) stores one derived run per value (the\n"
    "trade-off curve); the base run is loaded once.\n"
    "\n"
    "Examples:\n"
    "  reco rerank --run ease --method mmr --set lambda=0.3\n"
    "  reco rerank --run ease --method mmr --sweep lambda=0,0.1,0.3,0.5\n"
    "  reco rerank --run ease --exclude-attribute in_stock=0 --boost category=Books:1.5 \\\n"
    "      --name ease-rules\n";

namespace {

/// Notes (a rule that matches no item) on stderr whether or not a bar is drawn.
class RerankProgress final : public JobObserver {
 public:
  explicit RerankProgress(bool terminal) : bar_(terminal) {}
  void onProgress(const Progress& progress) override { bar_.onProgress(progress); }
  void onMessage(const std::string& message) override {
    bar_.finish();
    std::fprintf(stderr, "reco rerank: %s\n", message.c_str());
  }
  void finish() { bar_.finish(); }

 private:
  ProgressBar bar_;
};

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

/// The item ids of an exclusion file, each checked against the dataset (line numbers in
/// the message).
std::vector<std::string> readExcludeFile(const std::string& path,
                                         const std::vector<std::string>& itemIds) {
  // A folder opens as an empty stream: it would exclude nothing, silently.
  if (std::filesystem::is_directory(path))
    throw Error(ErrorKind::Io,
                "--exclude-file: expected a file of item ids, found a folder '" + path + "'");
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::Io, "--exclude-file: cannot open '" + path + "'");
  const std::unordered_set<std::string> known(itemIds.begin(), itemIds.end());
  std::vector<std::string> ids;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string id = trimmed(line);
    if (id.empty() || id.front() == '#') continue;
    if (!known.count(id))
      throw Error(ErrorKind::Config, "--exclude-file " + path + " line " + std::to_string(number) +
                                         ": unknown item id '" + id + "'");
    ids.push_back(id);
  }
  return ids;
}

/// --boost category=NAME:F or attribute=K=V:F into the settings' list forms.
void addBoost(const std::string& text, std::string& categories, std::string& attributes) {
  auto append = [](std::string& list, const std::string& item) {
    list += (list.empty() ? "" : ";") + item;
  };
  if (text.rfind("category=", 0) == 0)
    append(categories, text.substr(9));
  else if (text.rfind("attribute=", 0) == 0)
    append(attributes, text.substr(10));
  else
    throw Error(
        ErrorKind::Usage,
        "--boost expects category=NAME:FACTOR or attribute=KEY=VALUE:FACTOR, found '" + text + "'");
}

struct Sweep {
  std::string parameter;
  std::vector<double> values;
};

Sweep parseSweep(const std::string& text) {
  const auto eq = text.find('=');
  Sweep sweep;
  sweep.parameter = text.substr(0, eq == std::string::npos ? 0 : eq);
  if (sweep.parameter != "lambda" && sweep.parameter != "beta")
    throw Error(ErrorKind::Usage,
                "--sweep expects lambda=V,V,... or beta=V,V,..., found '" + text + "'");
  std::size_t start = eq + 1;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const auto value = parseNumber(item);
    if (!value)
      throw Error(ErrorKind::Usage,
                  "--sweep " + sweep.parameter + ": expected numbers, found '" + item + "'");
    sweep.values.push_back(*value);
    start = comma + 1;
  }
  return sweep;
}

const storage::MetricAggregate* findMetric(const std::vector<storage::MetricAggregate>& metrics,
                                           const std::string& name) {
  for (const auto& m : metrics)
    if (m.metric == name) return &m;
  return nullptr;
}

const char* const kShown[] = {"ndcg@10", "ild_category@10", "coverage@10"};

void printTable(const storage::RunInfo& base,
                const std::vector<storage::MetricAggregate>& baseMetrics,
                const std::vector<ExperimentResult>& results) {
  std::size_t width = base.name.size();
  for (const auto& r : results) width = std::max(width, r.run.name.size());
  width = std::min<std::size_t>(width + 2, 60);
  std::printf("%-*s %8s  %-18s %15s %12s %8s\n", int(width), "run", "ndcg@10", "95% CI",
              "ild_category@10", "coverage@10", "seconds");
  auto row = [&](const std::string& name, const std::vector<storage::MetricAggregate>& metrics,
                 const std::string& seconds) {
    const auto* ndcg = findMetric(metrics, kShown[0]);
    const auto* ild = findMetric(metrics, kShown[1]);
    const auto* coverage = findMetric(metrics, kShown[2]);
    std::string ci = "-";
    if (ndcg && ndcg->ciLow && ndcg->ciHigh)
      ci = std::string("[")
               .append(formatFixed(*ndcg->ciLow, 4))
               .append(", ")
               .append(formatFixed(*ndcg->ciHigh, 4))
               .append("]");
    std::printf("%-*s %8s  %-18s %15s %12s %8s\n", int(width), name.c_str(),
                ndcg ? formatFixed(ndcg->mean, 4).c_str() : "-", ci.c_str(),
                ild ? formatFixed(ild->mean, 4).c_str() : "-",
                coverage ? formatFixed(coverage->mean, 4).c_str() : "-", seconds.c_str());
  };
  row(base.name + " (base)", baseMetrics, "");
  for (const auto& r : results)
    row(r.run.name, r.metrics,
        formatFixed(r.run.trainSeconds.value_or(0) + r.run.evalSeconds.value_or(0), 2));
}

void writeMetrics(JsonWriter& json, const std::vector<storage::MetricAggregate>& metrics) {
  json.key("metrics").beginObject();
  for (const char* name : kShown) {
    const auto* m = findMetric(metrics, name);
    json.key(name);
    if (!m) {
      json.null();
      continue;
    }
    json.beginObject().field("mean", m->mean);
    json.key("ci_low");
    m->ciLow ? json.value(*m->ciLow) : json.null();
    json.key("ci_high");
    m->ciHigh ? json.value(*m->ciHigh) : json.null();
    json.endObject();
  }
  json.endObject();
}

void printJson(const storage::RunInfo& base,
               const std::vector<storage::MetricAggregate>& baseMetrics,
               const std::vector<ExperimentResult>& results) {
  JsonWriter json(true);
  json.beginObject().key("base").beginObject().field("name", base.name).field("model", base.model);
  writeMetrics(json, baseMetrics);
  json.endObject().key("runs").beginArray();
  for (const auto& r : results) {
    const auto protocol = readDerivedProtocol(r.run.protocolJson);
    json.beginObject()
        .field("name", r.run.name)
        .field("label", protocol ? protocol->label : std::string())
        .field("seconds", r.run.trainSeconds.value_or(0) + r.run.evalSeconds.value_or(0));
    json.key("settings").beginObject();
    if (protocol)
      for (const auto& [key, value] : protocol->rerank) json.field(key, value);
    json.endObject();
    writeMetrics(json, r.metrics);
    json.endObject();
  }
  json.endArray().endObject();
  std::printf("%s\n", json.str().c_str());
}

}  // namespace

void rerankIfAsked(const Args& args, storage::Workspace& workspace, const storage::RunInfo& run,
                   const storage::SplitInfo& split, LoadedModel& model) {
  if (!args.has("rerank")) return;
  OptionValues settings = parseOptionValues(args.values("rerank"));
  // What-if's fallback ranks the items a model has nothing to say about; the re-ranker
  // must see that order before it chooses, or it would choose among ties by item index.
  if (args.has("history") && args.valueOr("fallback", "popular") == "popular" &&
      !settings.count("fallback"))
    settings["fallback"] = "popular";
  const RerankOptions options = RerankOptions::fromSettings(settings);
  rerankLoadedModel(workspace, run, split, model, options);
}

int runRerank(CommandContext& context) {
  const Args args(context.args,
                  {"run", "method", "set", "exclude-file", "exclude-item", "exclude-attribute",
                   "exclude-category", "boost", "cap", "fallback", "sweep", "name", "threads"},
                  {"json"});
  OptionValues settings = parseOptionValues(args.values("set"));
  if (const auto method = args.value("method")) settings["method"] = *method;
  if (const auto cap = args.value("cap")) settings["cap"] = *cap;
  if (const auto fallback = args.value("fallback")) settings["fallback"] = *fallback;
  auto appendTo = [&](const std::string& key, const std::vector<std::string>& items) {
    for (const auto& item : items) {
      std::string& list = settings[key];
      list += (list.empty() ? "" : ";") + item;
    }
  };
  appendTo("exclude_items", args.values("exclude-item"));
  appendTo("exclude_attribute", args.values("exclude-attribute"));
  appendTo("exclude_category", args.values("exclude-category"));
  std::string categoryBoosts, attributeBoosts;
  for (const auto& boost : args.values("boost")) addBoost(boost, categoryBoosts, attributeBoosts);
  appendTo("boost_category", categoryBoosts.empty() ? std::vector<std::string>{}
                                                    : std::vector<std::string>{categoryBoosts});
  appendTo("boost_attribute", attributeBoosts.empty() ? std::vector<std::string>{}
                                                      : std::vector<std::string>{attributeBoosts});
  for (const auto& key : {"exclude_items", "exclude_attribute", "exclude_category",
                          "boost_category", "boost_attribute"})
    if (const auto at = settings.find(key); at != settings.end() && at->second.empty())
      settings.erase(at);
  std::optional<Sweep> sweep;
  if (const auto text = args.value("sweep")) sweep = parseSweep(*text);

  RerankRunOptions options;
  options.baseRun = args.require("run");
  options.rerank = RerankOptions::fromSettings(settings);  // Config errors name the key
  options.name = args.nonEmpty("name").value_or("");
  options.threads = int(args.integerAtLeast("threads", 1).value_or(0));

  storage::Workspace workspace(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const storage::RunInfo base = storage::requireRun(workspace, options.baseRun);
  if (const auto file = args.value("exclude-file")) {
    const auto ids = readExcludeFile(*file, storage::itemExternalIds(workspace, base.datasetId));
    options.rerank.excludeItems.insert(options.rerank.excludeItems.end(), ids.begin(), ids.end());
  }
  prepareForWriting(workspace, context);
  RerankProgress progress(context.stderrIsTerminal);
  std::vector<ExperimentResult> results;
  if (sweep)
    results =
        rerankSweep(workspace, options, sweep->parameter, sweep->values, &progress, context.stop);
  else
    results.push_back(rerankRun(workspace, options, &progress, context.stop));
  progress.finish();
  const bool stopped = !results.empty() && results.back().outcome == Outcome::Stopped;
  if (stopped) results.pop_back();
  const auto baseMetrics = storage::runMetrics(workspace, base.id);
  if (args.flag("json"))
    printJson(base, baseMetrics, results);
  else if (!results.empty())
    printTable(base, baseMetrics, results);
  if (stopped) {
    std::fprintf(stderr, "reco rerank: cancelled; %s\n",
                 results.empty() ? "nothing was stored"
                                 : "the derived runs listed above are kept, nothing else");
    return kExitCancelled;
  }
  return 0;
}

}  // namespace reco::cli
