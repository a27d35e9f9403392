#include "core/training/derived_run.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>
#include <unordered_map>

#include "core/common/clock.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/number_text.h"
#include "core/common/parallel.h"
#include "core/data/sampled_negatives.h"
#include "core/rerank/reranked_model.h"
#include "core/storage/database.h"
#include "core/storage/item_attributes.h"
#include "core/training/model_file.h"
#include "core/training/stored_run.h"

namespace reco {

namespace {

/// Everything a derived run needs from its base, loaded once (a sweep makes several).
struct BaseContext {
  StoredRun stored;
  storage::LoadedSplit split;
  std::vector<int> ks;
  /// The base's sampled evaluation, repeated for every derived run (empty count: none).
  std::optional<FrozenNegatives> negatives;
  RerankSideInfo side;  ///< categories and popularity; the rules are filled per run
};

/// The cut-offs the base run was evaluated with, from its stored "ndcg@K" metrics.
std::vector<int> storedCutoffs(storage::Workspace& workspace, storage::RunId run) {
  std::vector<int> ks;
  for (const auto& m : storage::runMetrics(workspace, run)) {
    if (m.metric.rfind("ndcg@", 0) != 0) continue;
    const auto k = parseNumber(std::string_view(m.metric).substr(5));
    if (k && *k >= 1 && std::find(ks.begin(), ks.end(), int(*k)) == ks.end()) ks.push_back(int(*k));
  }
  std::sort(ks.begin(), ks.end());
  if (ks.empty()) ks = EvalOptions{}.ks;
  return ks;
}

/// Refuses a derived run as a base (its base is to be re-ranked instead).
void checkNotDerived(const storage::RunInfo& run) {
  if (run.model == "rerank")
    throw Error(
        ErrorKind::Config,
        "run '" + run.name + "' is a re-ranked run already: re-rank its base run '" +
            readDerivedProtocol(run.protocolJson).value_or(DerivedRunProtocol{}).derivedFrom +
            "' instead");
}

/// The split as the base run was evaluated (a run refitted on train+valid excludes both
/// parts) and the side info every re-ranker of the run shares.
void loadBaseData(storage::Workspace& workspace, BaseContext& base, JobObserver* observer) {
  const bool merged = base.stored.run.protocolJson.find("\"train+valid\"") != std::string::npos;
  report(observer, Progress{"loading the split", 0, 0});
  base.split = storage::loadSplit(workspace, base.stored.split, base.stored.run.seed, merged);
  const TrainingData& train = *base.split.train;
  RECO_CHECK(std::size_t(train.itemCount) == base.stored.model.model->itemCount(),
             ErrorKind::Workspace,
             "run '" + base.stored.run.name + "' has a model of " +
                 std::to_string(base.stored.model.model->itemCount()) + " items, its split " +
                 std::to_string(train.itemCount));
  base.side.itemCategory = train.itemCategory;
  base.side.itemCategory.resize(std::size_t(train.itemCount), -1);
  base.side.categoryNames = train.categoryNames;
  base.side.popularity.resize(std::size_t(train.itemCount));
  for (std::int32_t i = 0; i < train.itemCount && i < train.itemUsers.rows(); ++i)
    base.side.popularity[std::size_t(i)] = float(train.itemUsers.rowSize(i));
}

/// The negatives per test item of the base run's sampled evaluation, when it had one. A run
/// does not store the count, but its split's frozen negatives do: used when the split has
/// exactly one set; with several the choice is ambiguous and the derived run reports full
/// ranking only (as it always does).
std::optional<int> sampledCount(storage::Workspace& workspace, const storage::RunInfo& run) {
  const auto metrics = storage::runMetrics(workspace, run.id);
  if (std::none_of(metrics.begin(), metrics.end(), [](const auto& m) { return m.sampled; }))
    return std::nullopt;
  storage::Statement st(workspace.db(),
                        "SELECT DISTINCT count FROM split_negatives WHERE split_id = ?1");
  st.bind(1, run.splitId);
  std::vector<int> counts;
  while (st.step()) counts.push_back(int(st.columnInt(0)));
  if (counts.size() != 1) return std::nullopt;
  return counts.front();
}

BaseContext openBase(storage::Workspace& workspace, const std::string& name,
                     JobObserver* observer) {
  report(observer, Progress{"loading the base run", 0, 0});
  BaseContext base;
  base.stored = openStoredRun(workspace, name);
  checkNotDerived(base.stored.run);
  loadBaseData(workspace, base, observer);
  base.ks = storedCutoffs(workspace, base.stored.run.id);
  if (const auto count = sampledCount(workspace, base.stored.run))
    base.negatives = storage::splitNegatives(workspace, base.stored.split, base.split, *count);
  return base;
}

/// The side info with `options`' rules resolved against the dataset (Config naming an
/// unknown item id, category or attribute key).
RerankSideInfo resolveRules(storage::Workspace& workspace, const BaseContext& base,
                            const RerankOptions& options, JobObserver* observer) {
  RerankSideInfo side;
  side.itemCategory = base.side.itemCategory;
  side.categoryNames = base.side.categoryNames;
  side.popularity = base.side.popularity;
  const std::size_t items = side.itemCategory.size();
  side.excluded.assign(items, 0);
  const auto& names = side.categoryNames;
  auto categoryIndex = [&](const std::string& name, const char* rule) {
    const auto at = std::find(names.begin(), names.end(), name);
    if (at == names.end()) {
      std::string known;
      for (std::size_t c = 0; c < names.size() && c < 20; ++c) known += (c ? ", " : "") + names[c];
      if (names.size() > 20) known += ", ...";
      throw Error(ErrorKind::Config,
                  std::string("re-rank ") + rule + ": unknown category '" + name +
                      "'; the dataset's categories are: " + (known.empty() ? "(none)" : known));
    }
    return std::int32_t(at - names.begin());
  };
  const DatasetId dataset = base.stored.run.datasetId;
  std::vector<std::string> keys;
  auto attributeItems = [&](const AttributeMatch& match, const char* rule) {
    if (keys.empty()) keys = storage::itemAttributeKeys(workspace, dataset);
    if (std::find(keys.begin(), keys.end(), match.key) == keys.end()) {
      std::string known;
      for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
      throw Error(ErrorKind::Config, std::string("re-rank ") + rule + ": no item has attribute '" +
                                         match.key + "'; the dataset's item attributes are: " +
                                         (known.empty() ? "(none)" : known));
    }
    auto found = storage::itemsWithAttribute(workspace, dataset, match.key, match.value);
    if (found.empty())
      note(observer, std::string("re-rank ") + rule + " " + match.key + "=" + match.value +
                         " matches no item");
    return found;
  };

  if (!options.excludeItems.empty()) {
    const auto& ids = base.stored.model.header.itemIds;
    std::unordered_map<std::string_view, std::int32_t> index;
    index.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (!ids[i].empty()) index.emplace(ids[i], std::int32_t(i));
    for (const auto& id : options.excludeItems) {
      const auto at = index.find(id);
      if (at == index.end())
        throw Error(ErrorKind::Config, "re-rank exclude_items: item '" + id +
                                           "' is not in the data run '" + base.stored.run.name +
                                           "' was trained on");
      side.excluded[std::size_t(at->second)] = 1;
    }
  }
  for (const auto& name : options.excludeCategories) {
    const std::int32_t c = categoryIndex(name, "exclude_category");
    for (std::size_t i = 0; i < items; ++i)
      if (side.itemCategory[i] == c) side.excluded[i] = 1;
  }
  for (const auto& match : options.excludeAttributes)
    for (const auto i : attributeItems(match, "exclude_attribute"))
      if (i >= 0 && std::size_t(i) < items) side.excluded[std::size_t(i)] = 1;
  if (!options.categoryBoosts.empty() || !options.attributeBoosts.empty()) {
    side.boost.assign(items, 1.0f);
    for (const auto& b : options.categoryBoosts) {
      const std::int32_t c = categoryIndex(b.category, "boost_category");
      for (std::size_t i = 0; i < items; ++i)
        if (side.itemCategory[i] == c) side.boost[i] *= float(b.factor);
    }
    for (const auto& b : options.attributeBoosts)
      for (const auto i : attributeItems(b.match, "boost_attribute"))
        if (i >= 0 && std::size_t(i) < items) side.boost[std::size_t(i)] *= float(b.factor);
  }
  return side;
}

std::string settingsJson(const OptionValues& settings, const std::string* baseModel) {
  JsonWriter json;
  json.beginObject();
  for (const auto& [key, value] : settings) json.field(key, value);
  if (baseModel) json.field("base_model", *baseModel);
  return json.endObject().str();
}

/// Progress of one evaluation mapped onto a sweep's whole (value `index` of `count`).
class SweepProgress final : public JobObserver {
 public:
  SweepProgress(JobObserver* next, std::size_t index, std::size_t count, std::string label)
      : next_(next), index_(index), count_(count), label_(std::move(label)) {}
  void onProgress(const Progress& p) override {
    if (!next_) return;
    if (count_ <= 1 || p.total == 0) return next_->onProgress(p);
    next_->onProgress(
        Progress{label_ + ": " + p.stage, index_ * p.total + p.done, count_ * p.total});
  }
  void onMessage(const std::string& message) override {
    if (next_) next_->onMessage(message);
  }

 private:
  JobObserver* next_;
  std::size_t index_, count_;
  std::string label_;
};

/// One derived run on a loaded base; the base model is lent and handed back.
ExperimentResult deriveOne(storage::Workspace& workspace, BaseContext& base,
                           const RerankOptions& rerank, const std::string& requestedName,
                           int threads, JobObserver* observer, std::stop_token stop) {
  rerank.validate();
  const int largestK = base.ks.empty() ? 0 : base.ks.back();
  if (rerank.depth < largestK)
    throw Error(ErrorKind::Config, "re-rank depth " + std::to_string(rerank.depth) +
                                       " is below the base run's largest cut-off " +
                                       std::to_string(largestK) +
                                       ": set depth=" + std::to_string(largestK) + " or more");
  const storage::RunInfo& baseRun = base.stored.run;
  const std::string label = rerank.label();
  storage::RunRecord record;
  storage::RunInfo& run = record.info;
  run.name = storage::uniqueRunName(
      workspace, requestedName.empty() ? baseRun.name + " + " + label : requestedName);
  if (!requestedName.empty() && run.name != requestedName)
    throw Error(ErrorKind::Config,
                "a run named '" + requestedName + "' exists already: choose another --name");
  const auto start = std::chrono::steady_clock::now();
  run.datasetId = baseRun.datasetId;
  run.splitId = baseRun.splitId;
  run.model = "rerank";
  run.optionsJson = settingsJson(rerank.settings(), &baseRun.model);
  run.seed = baseRun.seed;
  run.datasetHash = baseRun.datasetHash;
  run.threads = resolveThreads(threads);
  run.startedAt = unixNow();
  {
    JsonWriter protocol;
    protocol.beginObject()
        .field("derived_from", baseRun.name)
        .field("base_run_id", std::int64_t(baseRun.id))
        .key("rerank")
        .raw(settingsJson(rerank.settings(), nullptr))
        .field("label", label);
    run.protocolJson = protocol.endObject().str();
  }

  RerankSideInfo side = resolveRules(workspace, base, rerank, observer);
  const TrainingData& train = *base.split.train;
  RerankedModel model(std::move(base.stored.model.model), rerank, std::move(side), train.userItems);
  model.setBaseOptions(base.stored.model.header.options);
  // Whatever happens below, the base goes back to the context for the next value.
  struct GiveBack {
    RerankedModel& model;
    std::unique_ptr<Recommender>& slot;
    ~GiveBack() { slot = model.releaseBase(); }
  } giveBack{model, base.stored.model.model};
  run.device = model.computeDevice();
  run.trainSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  report(observer, Progress{"evaluating", 0, 0});
  EvalOptions eval;
  eval.ks = base.ks;
  eval.threads = threads;
  if (base.negatives) {
    eval.sampledNegatives = base.negatives->count;
    eval.negatives = &*base.negatives;
  }
  const EvalResult result = evaluate(model, train, base.split.test, eval, observer, stop);
  if (result.outcome == Outcome::Stopped || stop.stop_requested())
    return {Outcome::Stopped, {}, {}, {}};
  fillEvaluation(result, train, base.split.test, record);
  OptionValues headerOptions = rerank.settings();
  headerOptions["base_model"] = baseRun.model;
  const ModelFileHeader header{"rerank", headerOptions, base.stored.model.header.userIds,
                               base.stored.model.header.itemIds};
  record.model = writeModelFile(header, model);
  run.status = "done";
  run.finishedAt = unixNow();
  run.peakMemory = peakResidentBytes();
  run.id = storage::saveRun(workspace, record);
  return {Outcome::Completed, run, record.metrics, {}};
}

// ---- readDerivedProtocol: a small reader for the one flat shape derived runs store. ----

struct JsonCursor {
  std::string_view text;
  std::size_t at = 0;
  void space() {
    while (at < text.size() &&
           (text[at] == ' ' || text[at] == '\n' || text[at] == '\t' || text[at] == '\r'))
      ++at;
  }
  bool eat(char c) {
    space();
    if (at < text.size() && text[at] == c) return ++at, true;
    return false;
  }
  std::optional<std::string> string() {
    if (!eat('"')) return std::nullopt;
    std::string out;
    while (at < text.size() && text[at] != '"') {
      char c = text[at++];
      if (c == '\\' && at < text.size()) {
        const char e = text[at++];
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'u': {
            if (at + 4 > text.size()) return std::nullopt;
            unsigned code = 0;
            const char* first = text.data() + at;
            const auto [end, failed] = std::from_chars(first, first + 4, code, 16);
            if (failed != std::errc() || end != first + 4) return std::nullopt;
            at += 4;
            if (code < 0x80) {
              out += char(code);
            } else if (code < 0x800) {
              out += char(0xC0 | (code >> 6));
              out += char(0x80 | (code & 0x3F));
            } else {
              out += char(0xE0 | (code >> 12));
              out += char(0x80 | ((code >> 6) & 0x3F));
              out += char(0x80 | (code & 0x3F));
            }
            break;
          }
          default: out += e;
        }
      } else {
        out += c;
      }
    }
    if (at >= text.size()) return std::nullopt;
    ++at;
    return out;
  }
  /// A scalar's text (number, true, false, null), or nullopt.
  std::optional<std::string> scalar() {
    space();
    const std::size_t from = at;
    while (at < text.size() && text[at] != ',' && text[at] != '}' && text[at] != ']' &&
           text[at] != ' ' && text[at] != '\n')
      ++at;
    if (at == from) return std::nullopt;
    return std::string(text.substr(from, at - from));
  }
};

}  // namespace

ExperimentResult rerankRun(storage::Workspace& workspace, const RerankRunOptions& options,
                           JobObserver* observer, std::stop_token stop) {
  options.rerank.validate();
  BaseContext base = openBase(workspace, options.baseRun, observer);
  return deriveOne(workspace, base, options.rerank, options.name, options.threads, observer,
                   std::move(stop));
}

std::vector<ExperimentResult> rerankSweep(storage::Workspace& workspace,
                                          const RerankRunOptions& options,
                                          const std::string& parameter,
                                          const std::vector<double>& values, JobObserver* observer,
                                          std::stop_token stop) {
  RECO_CHECK(parameter == "lambda" || parameter == "beta", ErrorKind::Config,
             "a re-rank sweep runs over lambda or beta, found '" + parameter + "'");
  RECO_CHECK(!values.empty(), ErrorKind::Config, "a re-rank sweep needs at least one value");
  // Sweeping a value the method ignores would store identical runs, one evaluation each.
  const RerankMethod method = options.rerank.method;
  const char* const wanted = method == RerankMethod::Popularity ? "beta"
                             : method == RerankMethod::None     ? nullptr
                                                                : "lambda";
  RECO_CHECK(wanted != nullptr && parameter == wanted, ErrorKind::Config,
             std::string("a sweep of method '") + rerankMethodName(method) + "' runs over " +
                 (wanted ? wanted : "nothing (it has no parameter)") + ", found '" + parameter +
                 "'");
  // Every value is checked before anything is evaluated.
  std::vector<RerankOptions> each;
  for (const double v : values) {
    RerankOptions o = options.rerank;
    (parameter == "lambda" ? o.lambda : o.beta) = v;
    o.validate();
    each.push_back(o);
  }
  BaseContext base = openBase(workspace, options.baseRun, observer);
  std::vector<ExperimentResult> results;
  for (std::size_t v = 0; v < each.size(); ++v) {
    const std::string name =
        options.name.empty()
            ? ""
            : options.name + " " + (parameter == "lambda" ? "λ=" : "β=") + formatNumber(values[v]);
    SweepProgress progress(observer, v, each.size(), each[v].label());
    results.push_back(deriveOne(workspace, base, each[v], name, options.threads,
                                observer ? &progress : nullptr, stop));
    if (results.back().outcome == Outcome::Stopped) break;
  }
  return results;
}

void rerankLoadedModel(storage::Workspace& workspace, const storage::RunInfo& run,
                       const storage::SplitInfo& split, LoadedModel& model,
                       const RerankOptions& options) {
  options.validate();
  checkNotDerived(run);
  BaseContext base;
  base.stored.run = run;
  base.stored.split = split;
  base.stored.model = std::move(model);
  try {
    loadBaseData(workspace, base, nullptr);
    RerankSideInfo side = resolveRules(workspace, base, options, nullptr);
    auto reranked = std::make_unique<RerankedModel>(std::move(base.stored.model.model), options,
                                                    std::move(side), base.split.train->userItems);
    reranked->setBaseOptions(base.stored.model.header.options);
    base.stored.model.model = std::move(reranked);
  } catch (...) {
    model = std::move(base.stored.model);  // the caller's model back, unwrapped
    throw;
  }
  model = std::move(base.stored.model);
}

std::optional<DerivedRunProtocol> readDerivedProtocol(std::string_view protocolJson) {
  JsonCursor in{protocolJson};
  if (!in.eat('{')) return std::nullopt;
  DerivedRunProtocol out;
  bool derived = false;
  if (in.eat('}')) return std::nullopt;
  do {
    const auto key = in.string();
    if (!key || !in.eat(':')) return std::nullopt;
    in.space();
    if (*key == "rerank") {
      if (!in.eat('{')) return std::nullopt;
      if (!in.eat('}')) {
        do {
          const auto k = in.string();
          if (!k || !in.eat(':')) return std::nullopt;
          in.space();
          const auto v =
              in.at < protocolJson.size() && protocolJson[in.at] == '"' ? in.string() : in.scalar();
          if (!v) return std::nullopt;
          out.rerank[*k] = *v;
        } while (in.eat(','));
        if (!in.eat('}')) return std::nullopt;
      }
    } else {
      const bool quoted = in.at < protocolJson.size() && protocolJson[in.at] == '"';
      const auto v = quoted ? in.string() : in.scalar();
      if (!v) return std::nullopt;  // nested values of other protocols: not a derived run
      if (*key == "derived_from") {
        out.derivedFrom = *v;
        derived = true;
      } else if (*key == "base_run_id") {
        const auto id = parseNumber(*v);
        if (!id) return std::nullopt;
        out.baseRunId = storage::RunId(*id);
      } else if (*key == "label") {
        out.label = *v;
      }
    }
  } while (in.eat(','));
  if (!in.eat('}') || !derived) return std::nullopt;
  return out;
}

std::string derivedRunRefusal(const storage::RunInfo& run) {
  return "run '" + run.name +
         "' is a re-ranked run (rerank); a re-ranked run is made with `reco rerank`, not trained";
}

}  // namespace reco
