// reco compare and reco runs: the stored runs side by side, with confidence intervals and
// paired significance against a baseline run.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/text_format.h"
#include "app/cli/workspace_writing.h"
#include "core/common/csv_text.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/storage/run_store.h"
#include "core/training/comparison.h"

namespace reco::cli {

const char* const kHelpCompare =
    "usage: reco [--workspace FILE] compare --runs A,B,... [--k 10] [--baseline A]\n"
    "                                    [--test t|wilcoxon] [--json|--csv [--raw]]\n"
    "\n"
    "Runs x metrics at cut-off K with 95% confidence intervals; '*' marks the best of each\n"
    "column. With --baseline (default: the first run), every other run on the same split is\n"
    "tested against it per metric on the per-user values of the users both evaluated (paired\n"
    "t-test, or Wilcoxon signed-rank with --test wilcoxon), p-values Holm-corrected across\n"
    "the compared runs: '+' better, '-' worse at p < 0.05 after correction.\n"
    "--json: one object per run with run, model, train_seconds, metrics (name -> mean, ci_low,\n"
    "ci_high) and significance (name -> p, p_holm, test). --csv: one row per run and metric\n"
    "(names that begin with =, +, -, @ are written as '... against formula injection; --raw\n"
    "writes them as they are).\n"
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

void printJson(const Comparison& comparison, bool withSegments) {
  JsonWriter json(true);
  json.beginArray();
  for (const auto& row : comparison.runs) {
    const auto& run = row.run;
    json.beginObject()
        .field("run", run.name)
        .field("model", run.model)
        .field("split_id", run.splitId);
    json.key("train_seconds");
    run.trainSeconds ? json.value(*run.trainSeconds) : json.null();
    json.key("eval_seconds");
    run.evalSeconds ? json.value(*run.evalSeconds) : json.null();
    json.key("metrics").beginObject();
    for (const auto& c : comparison.columns) {
      const auto* m = row.metric(c);
      if (!m) continue;
      json.key(c).beginObject().field("mean", m->mean);
      json.key("ci_low");
      m->ciLow ? json.value(*m->ciLow) : json.null();
      json.key("ci_high");
      m->ciHigh ? json.value(*m->ciHigh) : json.null();
      json.field("n", m->n).field("sampled", m->sampled).endObject();
    }
    json.endObject();
    json.field("baseline", row.isBaseline);
    if (withSegments) {
      json.key("segments").beginObject();
      for (const auto& s : row.segments) {
        json.key(s.segment).beginObject().field("metric", s.metric).field("mean", s.value.mean);
        json.key("ci_low");
        std::isfinite(s.value.ciLow) ? json.value(s.value.ciLow) : json.null();
        json.key("ci_high");
        std::isfinite(s.value.ciHigh) ? json.value(s.value.ciHigh) : json.null();
        json.field("n", std::int64_t(s.value.n)).endObject();
      }
      json.endObject();
    }
    json.key("significance").beginObject();
    for (const auto& [metric, s] : row.significance)
      json.key(metric)
          .beginObject()
          .field("p", s.p)
          .field("p_holm", s.pHolm)
          .field("mean_difference", s.meanDifference)
          .field("test", pairedTestName(comparison.test))
          .endObject();
    json.endObject().endObject();
  }
  std::printf("%s\n", json.endArray().str().c_str());
}

void printCsv(const Comparison& comparison, CsvFormulas formulas) {
  std::printf("run,model,train_seconds,metric,mean,ci_low,ci_high,n,sampled,p_value,p_holm\n");
  auto opt = [](const std::optional<double>& v) { return v ? fixed(*v, 6) : std::string(); };
  auto num = [](double v) { return std::isnan(v) ? std::string() : fixed(v, 6); };
  for (const auto& row : comparison.runs)
    for (const auto& c : comparison.columns) {
      const auto* m = row.metric(c);
      if (!m) continue;
      const MetricSignificance s = row.test(c) ? *row.test(c) : MetricSignificance{};
      std::printf("%s,%s,%s,%s,%s,%s,%s,%lld,%d,%s,%s\n", csvField(row.run.name, formulas).c_str(),
                  csvField(row.run.model, formulas).c_str(),
                  row.run.trainSeconds ? fixed(*row.run.trainSeconds, 4).c_str() : "", c.c_str(),
                  fixed(m->mean, 6).c_str(), opt(m->ciLow).c_str(), opt(m->ciHigh).c_str(),
                  static_cast<long long>(m->n), int(m->sampled), num(s.p).c_str(),
                  num(s.pHolm).c_str());
    }
}

void printTable(const Comparison& comparison, bool withSegments, const std::string& segmentMetric) {
  const std::string k = std::to_string(comparison.k);
  std::printf(
      "Runs at K=%s; 95%% confidence intervals; * best; +/- significantly better/worse than '%s'\n",
      k.c_str(), comparison.baseline.name.c_str());
  std::printf("(%s, Holm-corrected, p < 0.05, users evaluated by both)\n\n",
              comparison.test == PairedTestKind::TTest ? "paired t-test" : "Wilcoxon signed-rank");
  std::printf("%-16s %-9s %8s", "run", "model", "train s");
  for (const auto& c : comparison.columns) std::printf(" %24s", c.c_str());
  std::printf("\n");
  for (std::size_t r = 0; r < comparison.runs.size(); ++r) {
    const auto& row = comparison.runs[r];
    std::printf("%-16s %-9s %8s", row.run.name.c_str(), row.run.model.c_str(),
                row.run.trainSeconds ? fixed(*row.run.trainSeconds, 3).c_str() : "-");
    for (const auto& c : comparison.columns) {
      const auto* m = row.metric(c);
      if (!m) {
        std::printf(" %24s", "-");
        continue;
      }
      std::string cell = fixed(m->mean, c.rfind("avg_popularity", 0) == 0 ? 1 : 4);
      if (m->ciLow && m->ciHigh) cell += " ±" + fixed((*m->ciHigh - *m->ciLow) / 2, 4);
      cell += comparison.bestRun(c) == r ? "*" : " ";
      // The marks read as the raw sign of the difference (every tested metric is
      // higher-is-better).
      const MetricSignificance* s = row.test(c);
      char mark = ' ';
      if (s && s->pHolm < 0.05) mark = s->meanDifference > 0 ? '+' : '-';
      cell += mark;
      std::printf(" %24s", cell.c_str());
    }
    std::printf("\n");
  }
  if (!withSegments) return;
  std::printf("\n%s by user segment (mean ±95%% CI, users):\n", segmentMetric.c_str());
  std::printf("%-44s", "segment");
  for (const auto& row : comparison.runs) std::printf(" %24s", row.run.name.c_str());
  std::printf("\n");
  const auto& first = comparison.runs.front().segments;
  for (std::size_t s = 0; s < first.size(); ++s) {
    std::printf("%-44s", first[s].segment.c_str());
    for (const auto& row : comparison.runs) {
      if (s >= row.segments.size() || row.segments[s].segment != first[s].segment) {
        std::printf(" %24s", "-");
        continue;
      }
      const MeanCi& m = row.segments[s].value;
      const std::string cell =
          fixed(m.mean, 4) +
          (std::isfinite(m.ciHigh) ? " ±" + fixed((m.ciHigh - m.ciLow) / 2, 4) : "") + " (" +
          std::to_string(m.n) + ")";
      std::printf(" %24s", cell.c_str());
    }
    std::printf("\n");
  }
}

}  // namespace

int runCompare(CommandContext& context) {
  const Args args(context.args, {"runs", "k", "baseline", "test", "metric"},
                  {"json", "csv", "segments", "raw"});
  // Both would print one of them and silently drop the other.
  if (args.flag("json") && args.flag("csv"))
    throw Error(ErrorKind::Usage, "--json and --csv are two output formats: expected one of them");
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  std::vector<storage::RunInfo> runs;
  for (const auto& name : commaList(args.require("runs")))
    runs.push_back(storage::requireRun(ws, name));
  if (runs.empty()) throw Error(ErrorKind::Usage, "--runs expects run names separated by commas");
  const std::string test = args.valueOr("test", "t");
  if (test != "t" && test != "wilcoxon")
    throw Error(ErrorKind::Usage, "--test expects t or wilcoxon, found '" + test + "'");

  ComparisonOptions options;
  options.k = int(args.integerAtLeast("k", 1).value_or(10));
  options.test = test == "t" ? PairedTestKind::TTest : PairedTestKind::Wilcoxon;
  options.baseline = args.valueOr("baseline", "");
  options.diversityColumns = false;  // the columns scripts read predate ILD
  const bool withSegments = args.flag("segments");
  const std::string segmentMetric = args.valueOr("metric", "ndcg@" + std::to_string(options.k));
  if (withSegments) options.segmentMetrics = {segmentMetric};
  const Comparison comparison = compareRuns(ws, runs, options);

  if (args.flag("json")) {
    printJson(comparison, withSegments);
  } else if (args.flag("csv")) {
    printCsv(comparison, args.flag("raw") ? CsvFormulas::Raw : CsvFormulas::Escape);
  } else {
    printTable(comparison, withSegments, segmentMetric);
  }
  return 0;
}

int runRuns(CommandContext& context) {
  const Args args(context.args, {"delete"}, {"json"});
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  if (auto name = args.value("delete")) {
    prepareForWriting(ws, context);
    const auto run = storage::requireRun(ws, *name);
    storage::deleteRun(ws, run);
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
      json.beginObject()
          .field("run", r.name)
          .field("model", r.model)
          .field("options", r.optionsJson)
          .field("seed", std::int64_t(r.seed))
          .field("dataset_id", r.datasetId)
          .field("split_id", r.splitId)
          .field("status", r.status)
          .field("error", r.error)
          .field("device", r.device)
          .field("threads", r.threads);
      json.key("train_seconds");
      r.trainSeconds ? json.value(*r.trainSeconds) : json.null();
      json.key("eval_seconds");
      r.evalSeconds ? json.value(*r.evalSeconds) : json.null();
      json.key("peak_memory");
      r.peakMemory ? json.value(*r.peakMemory) : json.null();
      json.key("protocol")
          .raw(r.protocolJson.empty() ? "{}" : r.protocolJson);  // fit-on, validation, tuning
      json.endObject();
    }
    std::printf("%s\n", json.endArray().str().c_str());
    return 0;
  }
  if (runs.empty()) {
    std::printf("No runs yet: reco train --dataset NAME --split NAME --model pop\n");
    return 0;
  }
  std::printf("%-20s %-9s %-8s %9s %9s %9s  %s\n", "run", "model", "status", "train s", "eval s",
              "ndcg@10", "options");
  for (const auto& r : runs) {
    const auto n = ndcg(r);
    std::printf("%-20s %-9s %-8s %9s %9s %9s  %s\n", r.name.c_str(), r.model.c_str(),
                r.status.c_str(), r.trainSeconds ? fixed(*r.trainSeconds, 3).c_str() : "-",
                r.evalSeconds ? fixed(*r.evalSeconds, 3).c_str() : "-",
                n ? fixed(*n, 4).c_str() : "-",
                r.status == "failed" ? r.error.substr(0, 60).c_str() : r.optionsJson.c_str());
  }
  return 0;
}

}  // namespace reco::cli
