// The comparison tables (section "comparison"): runs as rows, each metric column as its mean
// with the 95% CI below, the best of each column in bold, and ▲/▼ against the baseline.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "core/common/number_text.h"
#include "core/report/report_context.h"
#include "core/report/summary.h"

namespace reco::report::sections {

namespace {

/// Metric columns per table: 17 columns side by side cannot be read on a portrait page, so
/// the columns are split, in compareRuns' order, into tables of at most this many.
constexpr std::size_t kColumnsPerTable = 6;

/// One table of the comparison: the runs as rows, `columns` as metric columns.
Table comparisonTable(const Comparison& c, const std::vector<std::string>& columns,
                      bool& anySampled) {
  Table table;
  table.header = {"run", "model"};
  for (const auto& column : columns) table.header.push_back(column);
  for (std::size_t r = 0; r < c.runs.size(); ++r) {
    const RunComparison& row = c.runs[r];
    std::vector<TableCell> cells;
    // "baseline" under the model, not the run: the CSV's run column stays the run's name.
    cells.push_back(TableCell{row.run.name, "", false, false, false, false});
    cells.push_back(
        TableCell{row.run.model, row.isBaseline ? "baseline" : "", false, false, false, false});
    for (const auto& column : columns) {
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
  return table;
}

/// A number at full precision (number_text.h), so the CSV equals `reco compare --json`;
/// empty where there is none.
std::string csvNumber(double value) {
  return std::isfinite(value) ? formatNumber(value) : "";
}

/// The comparison's CSV form (document.h's Table::csvHeader): numbers, not the page's text.
/// Per run: run, model, baseline (1/0); per metric column: the mean, the CI's ends, the
/// Holm-corrected p against the baseline, and "better"/"worse"/"" against it.
void addCsvForm(const Comparison& c, Table& table) {
  table.csvHeader = {"run", "model", "baseline"};
  for (const auto& column : c.columns)
    for (const char* suffix : {"", "_ci_low", "_ci_high", "_p_holm", "_vs_baseline"})
      table.csvHeader.push_back(column + suffix);
  for (std::size_t r = 0; r < c.runs.size(); ++r) {
    const RunComparison& row = c.runs[r];
    std::vector<std::string> fields = {row.run.name, row.run.model, row.isBaseline ? "1" : "0"};
    for (const auto& column : c.columns) {
      const storage::MetricAggregate* m = row.metric(column);
      const MetricSignificance* test = row.test(column);
      fields.push_back(m ? csvNumber(m->mean) : "");
      fields.push_back(m && m->ciLow ? csvNumber(*m->ciLow) : "");
      fields.push_back(m && m->ciHigh ? csvNumber(*m->ciHigh) : "");
      fields.push_back(test ? csvNumber(test->pHolm) : "");
      fields.push_back(c.significantlyBetter(r, column)  ? "better"
                       : c.significantlyWorse(r, column) ? "worse"
                                                         : "");
    }
    table.csvRows.push_back(std::move(fields));
  }
}

}  // namespace

Section comparisonSection(ReportContext& context) {
  const Comparison& c = context.comparison;
  Section section{"comparison", "Comparison", {}};
  bool anySampled = false;
  const std::size_t tables = (c.columns.size() + kColumnsPerTable - 1) / kColumnsPerTable;
  for (std::size_t t = 0; t < std::max<std::size_t>(tables, 1); ++t) {
    const auto begin =
        c.columns.begin() + std::ptrdiff_t(std::min(c.columns.size(), t * kColumnsPerTable));
    const auto end =
        c.columns.begin() + std::ptrdiff_t(std::min(c.columns.size(), (t + 1) * kColumnsPerTable));
    Table table = comparisonTable(c, std::vector<std::string>(begin, end), anySampled);
    // The first table keeps the plain id the CSV export and the tests name.
    table.id = t == 0 ? "comparison" : "comparison-" + std::to_string(t + 1);
    if (t > 0) {
      table.continues = "comparison";  // one CSV of every column (csv_tables.h)
      table.keyColumns = 2;            // run, model
    } else {
      addCsvForm(c, table);  // the first part carries the CSV of every column
    }
    table.caption =
        "Runs at K = " + std::to_string(c.k) + " (mean, 95% CI below)" +
        (tables > 1 ? ", part " + std::to_string(t + 1) + " of " + std::to_string(tables)
                    : std::string());
    section.blocks.emplace_back(std::move(table));
  }
  Table& last = std::get<Table>(section.blocks.back());
  last.notes.push_back(
      "Each cell: the mean over the evaluated users, its 95% confidence interval in brackets; "
      "bold: the best run of the column.");
  last.notes.push_back("\u25b2/\u25bc: significantly better/worse than the baseline " +
                       c.baseline.name + " (" + pairedTestName(c.test) +
                       " on the users both runs evaluated, Holm-corrected, alpha " +
                       formatNumber(c.alpha) + ").");
  last.notes.push_back(
      "Lower is better for gini and avg_popularity (and rmse, mae); higher for every other "
      "column. coverage, novelty, gini, avg_popularity and ild are catalogue metrics without a "
      "CI.");
  if (anySampled)
    last.notes.push_back(
        "sampled_ columns rank each test item among sampled negatives only, not the whole "
        "catalogue.");
  return section;
}

}  // namespace reco::report::sections
