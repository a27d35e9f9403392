// The protocol card (section "protocol"): what was evaluated and how, so that a reader can
// trust the numbers without the app: the dataset, the split, the evaluation, the machine.
#include <cmath>
#include <set>
#include <string>

#include "core/common/number_text.h"
#include "core/data/split.h"
#include "core/report/report_context.h"
#include "core/storage/database.h"
#include "core/storage/workspace.h"

namespace reco::report::sections {

namespace {

std::string thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (int at = int(digits.size()) - 3; at > 0; at -= 3) digits.insert(std::size_t(at), ",");
  return n < 0 ? "-" + digits : digits;
}

/// A split fraction as a reader says it: "20%" for 0.2; a count for leave-last ("1 item").
std::string part(double value) {
  if (value >= 1) return formatNumber(value) + (value == 1 ? " item" : " items") + " per user";
  return formatNumber(std::round(value * 1000) / 10) + "%";
}

/// The negatives per test item of the sampled evaluation of a split's runs: the counts of
/// the split's frozen negatives (a run does not store the count; derived_run.cpp reads it
/// the same way). Empty when none was frozen.
std::set<std::int64_t> sampledCounts(storage::Workspace& workspace, storage::SplitId split) {
  storage::Statement st(workspace.db(),
                        "SELECT DISTINCT count FROM split_negatives WHERE split_id = ?1");
  st.bind(1, split);
  std::set<std::int64_t> counts;
  while (st.step()) counts.insert(st.columnInt(0));
  return counts;
}

/// "full ranking over all items", or "sampled: 100 negatives per user" when any compared
/// run's headline metrics (those at K) are sampled.
std::string rankingText(ReportContext& context) {
  std::set<std::int64_t> counts;
  bool sampled = false;
  for (std::size_t r = 0; r < context.comparison.runs.size(); ++r) {
    bool runSampled = false;
    for (const auto& [name, m] : context.comparison.runs[r].metrics)
      if (m.sampled && name.ends_with("@" + std::to_string(context.options.k))) runSampled = true;
    if (!runSampled) continue;
    sampled = true;
    for (const auto count : sampledCounts(context.workspace, context.runs[r].splitId))
      counts.insert(count);
  }
  if (!sampled) return "full ranking over all items";
  std::string numbers;
  for (const auto count : counts) numbers += (numbers.empty() ? "" : " or ") + thousands(count);
  return "sampled: " + (numbers.empty() ? std::string("an unrecorded number of") : numbers) +
         " negatives per user (the sampled_ metrics; every other metric is full ranking over "
         "all items)";
}

}  // namespace

Section protocolSection(ReportContext& context) {
  Section section{"protocol", "Protocol", {}};
  const DatasetInfo& d = context.dataset;
  KeyValueCard dataset{"Dataset", {}};
  dataset.rows = {
      {"name", d.name},
      {"source", d.source.empty() ? "-" : d.source},
      {"format", d.format + " (" + d.feedback + " feedback)"},
      {"import options", d.options.empty() ? "{}" : d.options},
      {"counts", thousands(d.users) + " users \u00b7 " + thousands(d.items) + " items \u00b7 " +
                     thousands(d.interactions) + " interactions (density " +
                     formatSignificant(100 * d.density(), 3) + "%)"},
      {"content hash", d.contentHash},
  };
  section.blocks.emplace_back(std::move(dataset));

  const storage::SplitInfo& split = context.splits.front();
  const SplitOptions& o = split.options;
  KeyValueCard splitCard{"Split", {}};
  splitCard.rows.emplace_back("name", split.name);
  splitCard.rows.emplace_back("protocol", splitProtocolName(o.protocol));
  std::string fractions = o.cutoff ? "test after " + utcDate(*o.cutoff) : "test " + part(o.test);
  fractions += o.valid > 0 ? ", validation " + part(o.valid) : ", no validation part";
  splitCard.rows.emplace_back("fractions", fractions);
  splitCard.rows.emplace_back("seed", std::to_string(o.seed));
  if (o.ratingThreshold)
    splitCard.rows.emplace_back("rating threshold", formatNumber(*o.ratingThreshold));
  splitCard.rows.emplace_back("pairs", thousands(split.trainPairs) + " train \u00b7 " +
                                           thousands(split.validPairs) + " validation \u00b7 " +
                                           thousands(split.testPairs) + " test (" +
                                           thousands(split.testUsers) + " test users)");
  std::set<std::string> others;
  for (const auto& s : context.splits)
    if (s.id != split.id) others.insert(s.name);
  if (!others.empty()) {
    std::string names;
    for (const auto& name : others) names += (names.empty() ? "" : ", ") + name;
    splitCard.rows.emplace_back("other splits", names +
                                                    " (runs there are not tested against "
                                                    "the baseline)");
  }
  section.blocks.emplace_back(std::move(splitCard));

  const Comparison& c = context.comparison;
  KeyValueCard eval{"Evaluation", {}};
  eval.rows = {
      {"ranking", rankingText(context)},
      {"K", std::to_string(context.options.k)},
      {"seen items",
       "excluded: each user's training items (those the model was fitted on) are "
       "removed before ranking"},
      {"confidence intervals", "95%, t-based, over the evaluated users"},
      {"significance", pairedTestName(c.test) +
                           " on the users both runs evaluated, Holm-"
                           "corrected across runs, alpha " +
                           formatNumber(c.alpha)},
      {"baseline", c.baseline.name},
  };
  section.blocks.emplace_back(std::move(eval));

  const MachineInfo& m = context.options.machine;
  std::set<std::string> devices;
  for (const auto& run : context.runs)
    devices.insert(run.device + " (" + std::to_string(run.threads) + " threads)");
  std::string trainedOn;
  for (const auto& device : devices) trainedOn += (trainedOn.empty() ? "" : "; ") + device;
  KeyValueCard machine{"Machine", {}};
  machine.rows = {
      {"CPU", m.cpu.empty() ? "unknown" : m.cpu},
      {"threads", std::to_string(m.threads)},
      {"GPU", m.gpu.empty() ? "not checked" : m.gpu},
      {"runs trained on", trainedOn},
      {"workbench version", context.options.version.empty() ? "unknown" : context.options.version},
      {"date", utcDate(context.createdAt)},
  };
  section.blocks.emplace_back(std::move(machine));
  return section;
}

}  // namespace reco::report::sections
