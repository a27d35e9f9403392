// reco compare and reco runs: the stored runs side by side, with confidence intervals and
// paired significance against a baseline run.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/text_format.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/eval/segments.h"
#include "core/eval/statistics.h"
#include "core/storage/run_store.h"

namespace reco::cli {

const char* const kHelpCompare =
    "usage: reco [--workspace FILE] compare --runs A,B,... [--k 10] [--baseline A]\n"
    "                                    [--test t|wilcoxon] [--json|--csv]\n"
    "\n"
    "Runs x metrics at cut-off K with 95% confidence intervals; '*' marks the best of each\n"
    "column. With --baseline (default: the first run), every other run on the same split is\n"
    "tested against it per metric on the per-user values of the users both evaluated (paired\n"
    "t-test, or Wilcoxon signed-rank with --test wilcoxon), p-values Holm-corrected across\n"
    "the compared runs: '+' better, '-' worse at p < 0.05 after correction.\n"
    "--json: one object per run with run, model, train_seconds, metrics (name -> mean, ci_low,\n"
    "ci_high) and significance (name -> p, p_holm, test). --csv: one row per run and metric.\n"
    "recall_head@K and recall_tail@K: recall on the popular items that make up 20% of the\n"
    "training interactions, and on all the others.\n"
    "--segments [--metric ndcg@K]: the metric by user segment (training-activity quartiles,\n"
    "cold users with <= 5 training interactions), mean and 95% CI per run; in --json as\n"
    "\"segments\": segment -> {mean, ci_low, ci_high, n}.\n";

const char* const kHelpRuns =
    "usage: reco [--workspace FILE] runs [--json] [--delete RUN]\n"
    "\n"
    "Lists the runs: name, model, dataset, split, status, training and evaluation seconds,\n"
    "ndcg@10. --delete removes a run with everything it stored.\n";

namespace {

struct Significance {
  double p = NAN, pHolm = NAN;
  double delta = 0;
};

std::vector<std::string> commaList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

// Per-user values of `metric` for the users both runs evaluated, in user order. The
// evaluated-user lists come from `users` (loaded once per run: they are the same for every
// metric, and a 1M-user run's list is megabytes).
std::pair<std::vector<double>, std::vector<double>> paired(storage::Workspace& ws, const storage::RunInfo& a,
                                                           const storage::RunInfo& b, const std::string& metric,
                                                           std::map<storage::RunId, std::vector<std::int32_t>>& users) {
  for (const auto* run : {&a, &b})
    if (!users.count(run->id)) users[run->id] = storage::runEvalUsers(ws, run->id);
  const auto& usersA = users[a.id];
  const auto& usersB = users[b.id];
  const auto valuesA = storage::runUserValues(ws, a.id, metric), valuesB = storage::runUserValues(ws, b.id, metric);
  std::pair<std::vector<double>, std::vector<double>> out;
  if (valuesA.size() != usersA.size() || valuesB.size() != usersB.size()) return out;
  std::size_t i = 0, j = 0;
  while (i < usersA.size() && j < usersB.size()) {
    if (usersA[i] < usersB[j]) ++i;
    else if (usersB[j] < usersA[i]) ++j;
    else {
      out.first.push_back(valuesA[i++]);
      out.second.push_back(valuesB[j++]);
    }
  }
  return out;
}

}  // namespace

int runCompare(CommandContext& context) {
  const Args args(context.args, {"runs", "k", "baseline", "test", "metric"}, {"json", "csv", "segments"});
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  std::vector<storage::RunInfo> runs;
  for (const auto& name : commaList(args.require("runs"))) runs.push_back(storage::requireRun(ws, name));
  if (runs.empty()) throw Error(ErrorKind::Usage, "--runs expects run names separated by commas");
  const std::string k = std::to_string(args.integer("k").value_or(10));
  const std::string test = args.valueOr("test", "t");
  if (test != "t" && test != "wilcoxon") throw Error(ErrorKind::Usage, "--test expects t or wilcoxon, found '" + test + "'");
  const storage::RunInfo baseline = args.has("baseline") ? storage::requireRun(ws, *args.value("baseline")) : runs.front();

  const std::vector<std::string> perUser = {"precision@" + k, "recall@" + k, "ndcg@" + k,        "map@" + k,
                                            "mrr@" + k,       "hit@" + k,    "recall_head@" + k, "recall_tail@" + k,
                                            "auc"};
  const std::vector<std::string> catalogue = {"coverage@" + k, "novelty@" + k, "gini@" + k, "avg_popularity@" + k};
  std::vector<std::string> columns = perUser;
  columns.insert(columns.end(), catalogue.begin(), catalogue.end());
  std::vector<std::map<std::string, storage::MetricAggregate>> metrics(runs.size());
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (const auto& m : storage::runMetrics(ws, runs[r].id)) metrics[r][m.metric] = m;
  // Sampled metrics are shown only when asked for by name elsewhere; extra stored ones join.
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (const auto& [name, m] : metrics[r])
      if ((name == "rmse" || name == "mae" || m.sampled) && std::find(columns.begin(), columns.end(), name) == columns.end() &&
          (!m.sampled || name.size() > k.size() && name.compare(name.size() - k.size(), k.size(), k) == 0))
        columns.push_back(name);

  std::map<storage::RunId, std::vector<std::int32_t>> evalUsers;  // loaded once per run

  // Segments: the users each run evaluated, bucketed by training activity on its split.
  const std::string segmentMetric = args.valueOr("metric", "ndcg@" + k);
  std::vector<std::vector<std::pair<std::string, MeanCi>>> segments(runs.size());
  if (args.flag("segments")) {
    std::map<storage::SplitId, std::shared_ptr<const TrainingData>> trainBySplit;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      if (!trainBySplit.count(runs[r].splitId)) {
        const auto split = storage::findSplit(ws, runs[r].splitId);
        RECO_CHECK(split.has_value(), ErrorKind::Workspace, "run '" + runs[r].name + "' lost its split");
        trainBySplit[runs[r].splitId] = storage::loadSplit(ws, *split, runs[r].seed).train;
      }
      std::vector<UserIndex> users;
      if (!evalUsers.count(runs[r].id)) evalUsers[runs[r].id] = storage::runEvalUsers(ws, runs[r].id);
      for (const auto u : evalUsers[runs[r].id]) users.push_back(UserIndex{u});
      const auto values = storage::runUserValues(ws, runs[r].id, segmentMetric);
      if (values.size() != users.size())
        throw Error(ErrorKind::Config, "run '" + runs[r].name + "' has no per-user values of " + segmentMetric);
      for (const auto& segment : segmentUsers(*trainBySplit[runs[r].splitId], users)) {
        std::vector<double> picked;
        for (const auto row : segment.rows) picked.push_back(values[row]);
        segments[r].emplace_back(segment.name, meanCi(picked));
      }
    }
  }

  // Significance per per-user metric: every run against the baseline, Holm across runs.
  std::vector<std::map<std::string, Significance>> sig(runs.size());
  for (const auto& metric : columns) {
    if (std::find(perUser.begin(), perUser.end(), metric) == perUser.end() && metric.rfind("sampled_", 0) != 0) continue;
    std::vector<double> raw;
    std::vector<std::size_t> which;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      if (runs[r].id == baseline.id || runs[r].splitId != baseline.splitId) continue;
      const auto [a, b] = paired(ws, runs[r], baseline, metric, evalUsers);
      if (a.size() < 2) continue;
      const TestResult t = test == "t" ? pairedTTest(a, b) : wilcoxonSignedRank(a, b);
      double delta = 0;
      for (std::size_t i = 0; i < a.size(); ++i) delta += a[i] - b[i];
      sig[r][metric] = {t.pValue, NAN, delta / double(a.size())};
      raw.push_back(t.pValue);
      which.push_back(r);
    }
    const auto adjusted = holmAdjust(raw);
    for (std::size_t i = 0; i < which.size(); ++i) sig[which[i]][metric].pHolm = adjusted[i];
  }
  std::map<std::string, std::size_t> best;  // column -> run index with the highest mean (lowest for errors)
  for (const auto& c : columns) {
    const bool lower = c == "rmse" || c == "mae" || c.rfind("gini@", 0) == 0 || c.rfind("avg_popularity@", 0) == 0;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      if (!metrics[r].count(c)) continue;
      if (!best.count(c)) best[c] = r;
      const double v = metrics[r][c].mean, b = metrics[best[c]][c].mean;
      if (lower ? v < b : v > b) best[c] = r;
    }
  }

  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginArray();
    for (std::size_t r = 0; r < runs.size(); ++r) {
      json.beginObject().field("run", runs[r].name).field("model", runs[r].model).field("split_id", runs[r].splitId);
      json.key("train_seconds");
      runs[r].trainSeconds ? json.value(*runs[r].trainSeconds) : json.null();
      json.key("eval_seconds");
      runs[r].evalSeconds ? json.value(*runs[r].evalSeconds) : json.null();
      json.key("metrics").beginObject();
      for (const auto& c : columns) {
        if (!metrics[r].count(c)) continue;
        const auto& m = metrics[r][c];
        json.key(c).beginObject().field("mean", m.mean);
        json.key("ci_low");
        m.ciLow ? json.value(*m.ciLow) : json.null();
        json.key("ci_high");
        m.ciHigh ? json.value(*m.ciHigh) : json.null();
        json.field("n", m.n).field("sampled", m.sampled).endObject();
      }
      json.endObject();
      json.field("baseline", runs[r].id == baseline.id);
      if (args.flag("segments")) {
        json.key("segments").beginObject();
        for (const auto& [name, s] : segments[r]) {
          json.key(name).beginObject().field("metric", segmentMetric).field("mean", s.mean);
          json.key("ci_low");
          std::isfinite(s.ciLow) ? json.value(s.ciLow) : json.null();
          json.key("ci_high");
          std::isfinite(s.ciHigh) ? json.value(s.ciHigh) : json.null();
          json.field("n", std::int64_t(s.n)).endObject();
        }
        json.endObject();
      }
      json.key("significance").beginObject();
      for (const auto& [metric, s] : sig[r])
        json.key(metric).beginObject().field("p", s.p).field("p_holm", s.pHolm).field("mean_difference", s.delta)
            .field("test", test == "t" ? "paired t-test" : "wilcoxon signed-rank").endObject();
      json.endObject().endObject();
    }
    std::printf("%s\n", json.endArray().str().c_str());
    return 0;
  }
  if (args.flag("csv")) {
    std::printf("run,model,train_seconds,metric,mean,ci_low,ci_high,n,sampled,p_value,p_holm\n");
    for (std::size_t r = 0; r < runs.size(); ++r)
      for (const auto& c : columns) {
        if (!metrics[r].count(c)) continue;
        const auto& m = metrics[r][c];
        const auto s = sig[r].count(c) ? sig[r][c] : Significance{};
        auto opt = [](const std::optional<double>& v) { return v ? fixed(*v, 6) : std::string(); };
        auto num = [](double v) { return std::isnan(v) ? std::string() : fixed(v, 6); };
        std::printf("%s,%s,%s,%s,%s,%s,%s,%lld,%d,%s,%s\n", runs[r].name.c_str(), runs[r].model.c_str(),
                    runs[r].trainSeconds ? fixed(*runs[r].trainSeconds, 4).c_str() : "", c.c_str(), fixed(m.mean, 6).c_str(),
                    opt(m.ciLow).c_str(), opt(m.ciHigh).c_str(), static_cast<long long>(m.n), int(m.sampled),
                    num(s.p).c_str(), num(s.pHolm).c_str());
      }
    return 0;
  }
  std::printf("Runs at K=%s; 95%% confidence intervals; * best; +/- significantly better/worse than '%s'\n",
              k.c_str(), baseline.name.c_str());
  std::printf("(%s, Holm-corrected, p < 0.05, users evaluated by both)\n\n", test == "t" ? "paired t-test" : "Wilcoxon signed-rank");
  std::printf("%-16s %-9s %8s", "run", "model", "train s");
  for (const auto& c : columns) std::printf(" %24s", c.c_str());
  std::printf("\n");
  for (std::size_t r = 0; r < runs.size(); ++r) {
    std::printf("%-16s %-9s %8s", runs[r].name.c_str(), runs[r].model.c_str(),
                runs[r].trainSeconds ? fixed(*runs[r].trainSeconds, 3).c_str() : "-");
    for (const auto& c : columns) {
      if (!metrics[r].count(c)) {
        std::printf(" %24s", "-");
        continue;
      }
      const auto& m = metrics[r][c];
      std::string cell = fixed(m.mean, c.rfind("avg_popularity", 0) == 0 ? 1 : 4);
      if (m.ciLow && m.ciHigh) cell += " ±" + fixed((*m.ciHigh - *m.ciLow) / 2, 4);
      cell += best[c] == r ? "*" : " ";
      char mark = ' ';
      if (sig[r].count(c) && sig[r][c].pHolm < 0.05) mark = sig[r][c].delta > 0 ? '+' : '-';
      cell += mark;
      std::printf(" %24s", cell.c_str());
    }
    std::printf("\n");
  }
  if (args.flag("segments")) {
    std::printf("\n%s by user segment (mean ±95%% CI, users):\n", segmentMetric.c_str());
    std::printf("%-44s", "segment");
    for (const auto& run : runs) std::printf(" %24s", run.name.c_str());
    std::printf("\n");
    for (std::size_t s = 0; s < (segments.empty() ? 0 : segments[0].size()); ++s) {
      std::printf("%-44s", segments[0][s].first.c_str());
      for (std::size_t r = 0; r < runs.size(); ++r) {
        if (s >= segments[r].size() || segments[r][s].first != segments[0][s].first) {
          std::printf(" %24s", "-");
          continue;
        }
        const MeanCi& m = segments[r][s].second;
        const std::string cell = fixed(m.mean, 4) + (std::isfinite(m.ciHigh) ? " ±" + fixed((m.ciHigh - m.ciLow) / 2, 4) : "") +
                                 " (" + std::to_string(m.n) + ")";
        std::printf(" %24s", cell.c_str());
      }
      std::printf("\n");
    }
  }
  return 0;
}

int runRuns(CommandContext& context) {
  const Args args(context.args, {"delete"}, {"json"});
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  if (auto name = args.value("delete")) {
    const auto run = storage::requireRun(ws, *name);
    storage::deleteRun(ws, run.id);
    std::printf("Deleted run '%s' with its metrics, lists and model\n", run.name.c_str());
    return 0;
  }
  const auto runs = storage::listRuns(ws);
  auto ndcg = [&](const storage::RunInfo& r) -> std::optional<double> {
    for (const auto& m : storage::runMetrics(ws, r.id))
      if (m.metric == "ndcg@10") return m.mean;
    return std::nullopt;
  };
  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginArray();
    for (const auto& r : runs) {
      json.beginObject().field("run", r.name).field("model", r.model).field("options", r.optionsJson).field("seed", std::int64_t(r.seed))
          .field("dataset_id", r.datasetId).field("split_id", r.splitId).field("status", r.status).field("error", r.error)
          .field("device", r.device).field("threads", r.threads);
      json.key("train_seconds");
      r.trainSeconds ? json.value(*r.trainSeconds) : json.null();
      json.key("eval_seconds");
      r.evalSeconds ? json.value(*r.evalSeconds) : json.null();
      json.key("peak_memory");
      r.peakMemory ? json.value(*r.peakMemory) : json.null();
      json.endObject();
    }
    std::printf("%s\n", json.endArray().str().c_str());
    return 0;
  }
  if (runs.empty()) {
    std::printf("No runs yet: reco train --dataset NAME --split NAME --model pop\n");
    return 0;
  }
  std::printf("%-20s %-9s %-8s %9s %9s %9s  %s\n", "run", "model", "status", "train s", "eval s", "ndcg@10", "options");
  for (const auto& r : runs) {
    const auto n = ndcg(r);
    std::printf("%-20s %-9s %-8s %9s %9s %9s  %s\n", r.name.c_str(), r.model.c_str(), r.status.c_str(),
                r.trainSeconds ? fixed(*r.trainSeconds, 3).c_str() : "-", r.evalSeconds ? fixed(*r.evalSeconds, 3).c_str() : "-",
                n ? fixed(*n, 4).c_str() : "-", r.status == "failed" ? r.error.substr(0, 60).c_str() : r.optionsJson.c_str());
  }
  return 0;
}

}  // namespace reco::cli
