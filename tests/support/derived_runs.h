#pragma once
// Test support: stored runs with chosen metrics, for the trade-off of re-ranked runs
// (core/training/tradeoff.h) without training or re-ranking anything. A run gets per-user
// ndcg@10 values (its aggregate is their mean with the 95% CI, as the evaluator stores it)
// and catalogue values (ild_category@10, coverage@10) without a CI. A derived run carries
// the protocol JSON of training/derived_run.h.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/common/json.h"
#include "core/eval/statistics.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"

namespace reco::testing {

/// The protocol JSON of a run derived from `base` with `settings`.
inline std::string derivedProtocol(const storage::RunInfo& base,
                                   const std::map<std::string, std::string>& settings,
                                   const std::string& label) {
  JsonWriter json;
  json.beginObject().field("derived_from", base.name).field("base_run_id", base.id);
  json.key("rerank").beginObject();
  for (const auto& [key, value] : settings) json.field(key, value);
  json.endObject().field("label", label).endObject();
  return json.str();
}

/// Stores a finished run called `name` on `split` with per-user ndcg@10 `values` (users
/// 0..n-1) and the catalogue metrics given (name -> value).
inline storage::RunInfo saveRunWithMetrics(storage::Workspace& workspace,
                                           const storage::SplitInfo& split, const std::string& name,
                                           const std::string& model,
                                           const std::string& protocolJson,
                                           const std::vector<double>& values,
                                           const std::map<std::string, double>& catalogue) {
  storage::RunRecord record;
  record.info.name = name;
  record.info.datasetId = split.datasetId;
  record.info.splitId = split.id;
  record.info.model = model;
  record.info.optionsJson = "{}";
  record.info.status = "done";
  record.info.trainSeconds = 1.0;
  record.info.protocolJson = protocolJson;
  for (std::size_t u = 0; u < values.size(); ++u) record.evalUsers.push_back(std::int32_t(u));
  record.userValues.emplace_back("ndcg@10", values);
  const MeanCi ci = meanCi(values);
  storage::MetricAggregate ndcg;
  ndcg.metric = "ndcg@10";
  ndcg.mean = ci.mean;
  ndcg.ciLow = ci.ciLow;
  ndcg.ciHigh = ci.ciHigh;
  ndcg.n = std::int64_t(ci.n);
  record.metrics.push_back(ndcg);
  for (const auto& [metric, value] : catalogue) {
    storage::MetricAggregate m;
    m.metric = metric;
    m.mean = value;
    m.n = std::int64_t(values.size());
    record.metrics.push_back(m);
  }
  record.info.id = storage::saveRun(workspace, record);
  return *storage::findRun(workspace, name);
}

}  // namespace reco::testing
