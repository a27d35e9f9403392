// The comparison table (section "comparison"): runs as rows, each metric column as its mean
// with the 95% CI below, the best of each column in bold, and ▲/▼ against the baseline.
#include <cmath>
#include <string>

#include "core/common/number_text.h"
#include "core/report/report_context.h"
#include "core/report/summary.h"

namespace reco::report::sections {

Section comparisonSection(ReportContext& context) {
  const Comparison& c = context.comparison;
  Section section{"comparison", "Comparison", {}};
  Table table;
  table.id = "comparison";
  table.caption = "Runs at K = " + std::to_string(c.k) + " (mean, 95% CI below)";
  table.header = {"run", "model"};
  for (const auto& column : c.columns) table.header.push_back(column);
  bool anySampled = false;
  for (std::size_t r = 0; r < c.runs.size(); ++r) {
    const RunComparison& row = c.runs[r];
    std::vector<TableCell> cells;
    TableCell name{row.run.name, row.isBaseline ? "baseline" : "", false, false, false, false};
    cells.push_back(name);
    cells.push_back(TableCell{row.run.model, "", false, false, false, false});
    for (const auto& column : c.columns) {
      const storage::MetricAggregate* m = row.metric(column);
      if (!m) {
        cells.push_back(TableCell{"\u2013", "", true, false, false, true});
        continue;
      }
      anySampled = anySampled || m->sampled;
      TableCell cell;
      cell.numeric = true;
      cell.text = formatMetric(m->mean);
      if (c.significantlyBetter(r, column)) cell.text += " \u25b2";
      if (c.significantlyWorse(r, column)) cell.text += " \u25bc";
      if (m->ciLow && m->ciHigh)
        cell.detail = "[" + formatMetric(*m->ciLow) + ", " + formatMetric(*m->ciHigh) + "]";
      cell.bold = c.bestRun(column) == r && c.runs.size() > 1;
      cells.push_back(std::move(cell));
    }
    table.rows.push_back(std::move(cells));
  }
  table.notes.push_back(
      "Each cell: the mean over the evaluated users, its 95% confidence interval in brackets; "
      "bold: the best run of the column.");
  table.notes.push_back("\u25b2/\u25bc: significantly better/worse than the baseline " +
                        c.baseline.name + " (" + pairedTestName(c.test) +
                        " on the users both runs evaluated, Holm-corrected, alpha " +
                        formatNumber(c.alpha) + ").");
  table.notes.push_back(
      "Lower is better for gini and avg_popularity (and rmse, mae); higher for every other "
      "column. coverage, novelty, gini, avg_popularity and ild are catalogue metrics without a "
      "CI.");
  if (anySampled)
    table.notes.push_back(
        "sampled_ columns rank each test item among sampled negatives only, not the whole "
        "catalogue.");
  section.blocks.emplace_back(std::move(table));
  return section;
}

}  // namespace reco::report::sections
