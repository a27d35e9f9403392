// The plots (section "plots"): metric bars with 95% CIs, accuracy against training time,
// the headline metric by user segment (figure and table), each iterative run's training
// curve, and the dataset's long tail and activity distribution.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "core/common/number_text.h"
#include "core/report/charts.h"
#include "core/report/report_context.h"
#include "core/report/summary.h"
#include "core/storage/distributions.h"

namespace reco::report::sections {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kWide = 500, kTall = 300;          // one figure across the page
constexpr double kHalfWide = 250, kHalfTall = 200;  // two per row

/// The headline metric, then a few other accuracy metrics at K that some run stored.
std::vector<std::string> barMetrics(const ReportContext& context) {
  const auto& columns = context.comparison.columns;
  const std::string atK = "@" + std::to_string(context.options.k);
  std::vector<std::string> out{context.headline};
  for (const char* base : {"recall", "precision", "hit", "mrr", "ndcg", "map"}) {
    const std::string name = base + atK;
    if (out.size() >= 5) break;
    if (name != context.headline &&
        std::find(columns.begin(), columns.end(), name) != columns.end())
      out.push_back(name);
  }
  return out;
}

std::vector<std::string> runNames(const ReportContext& context) {
  std::vector<std::string> names;
  for (const auto& run : context.comparison.runs) names.push_back(shortName(run.run.name));
  return names;
}

/// More runs than the palette has colours: the runs become the categories (named on the
/// axis) and the few metrics or segments the series, so that no two runs share a colour.
constexpr std::size_t kMostColouredRuns = 8;

GroupedBars runsOnTheAxis(GroupedBars chart) {
  if (chart.series.size() <= kMostColouredRuns) return chart;
  auto flip = [](const std::vector<std::vector<double>>& m) {
    if (m.empty()) return m;
    std::vector<std::vector<double>> out(m.front().size(), std::vector<double>(m.size()));
    for (std::size_t i = 0; i < m.size(); ++i)
      for (std::size_t j = 0; j < m[i].size(); ++j) out[j][i] = m[i][j];
    return out;
  };
  std::swap(chart.categories, chart.series);
  chart.values = flip(chart.values);
  chart.lows = flip(chart.lows);
  chart.highs = flip(chart.highs);
  return chart;
}

Figure metricBars(const ReportContext& context) {
  GroupedBars chart;
  chart.title = "Accuracy at K = " + std::to_string(context.options.k);
  chart.yLabel = "mean over test users (95% CI)";
  chart.categories = barMetrics(context);
  chart.series = runNames(context);
  for (const auto& row : context.comparison.runs) {
    std::vector<double> values, lows, highs;
    for (const auto& metric : chart.categories) {
      const auto* m = row.metric(metric);
      values.push_back(m ? m->mean : kNaN);
      lows.push_back(m && m->ciLow ? *m->ciLow : kNaN);
      highs.push_back(m && m->ciHigh ? *m->ciHigh : kNaN);
    }
    chart.values.push_back(std::move(values));
    chart.lows.push_back(std::move(lows));
    chart.highs.push_back(std::move(highs));
  }
  return Figure{"metric-bars",
                "The headline metric and other accuracy metrics per run; error bars are 95% "
                "confidence intervals.",
                drawGroupedBars(runsOnTheAxis(std::move(chart)), kWide, kTall)};
}

/// Training time can be 0.000 s (pop): the log axis starts at a millisecond.
constexpr double kLeastSeconds = 0.001;

std::optional<Figure> accuracyTime(const ReportContext& context) {
  XySeries points;
  points.name = context.headline;
  points.lines = false;
  for (const auto& row : context.comparison.runs) {
    const auto* m = row.metric(context.headline);
    if (!m || !row.run.trainSeconds) continue;
    points.x.push_back(std::max(*row.run.trainSeconds, kLeastSeconds));
    points.y.push_back(m->mean);
    points.yLow.push_back(m->ciLow ? *m->ciLow : m->mean);
    points.yHigh.push_back(m->ciHigh ? *m->ciHigh : m->mean);
    points.pointLabels.push_back(shortName(row.run.name, 16));
  }
  if (points.x.empty()) return std::nullopt;
  XyChart chart;
  chart.title = context.headline + " against training time";
  chart.xLabel = "training seconds (log scale)";
  chart.yLabel = context.headline;
  chart.logX = true;
  chart.legend = false;
  chart.series.push_back(std::move(points));
  return Figure{"accuracy-time",
                "Each run's " + context.headline +
                    " (95% CI) against its training time; times under 1 ms are drawn at 1 ms.",
                drawXyChart(chart, kWide, kTall)};
}

/// The segments of the first run that has any: every run is split by the same users.
std::vector<std::string> segmentNames(const ReportContext& context) {
  for (const auto& row : context.comparison.runs)
    if (!row.segments.empty()) {
      std::vector<std::string> names;
      for (const auto& s : row.segments) names.push_back(s.segment);
      return names;
    }
  return {};
}

/// A segment's name short enough for an axis: "activity Q1 (14-23 interactions)" becomes
/// "Q1 (14-23)", "cold users (<= 5 interactions)" "cold (<= 5)"; the table keeps the names.
std::string axisSegmentName(std::string name) {
  for (const std::string cut : {"activity ", " users", " interactions"})
    if (const auto at = name.find(cut); at != std::string::npos) name.erase(at, cut.size());
  return name;
}

const SegmentValue* segmentOf(const RunComparison& row, const std::string& segment) {
  for (const auto& s : row.segments)
    if (s.segment == segment) return &s;
  return nullptr;
}

void addSegments(const ReportContext& context, Section& section) {
  const auto names = segmentNames(context);
  if (names.empty()) return;
  GroupedBars chart;
  chart.title = context.headline + " by user segment";
  chart.yLabel = context.headline + " (95% CI)";
  for (const auto& name : names) chart.categories.push_back(axisSegmentName(name));
  chart.series = runNames(context);
  // The table as the comparison's: runs as rows, the segments as columns.
  Table table;
  table.id = "segments";
  table.caption = context.headline + " by user segment (mean, 95% CI below)";
  table.header = {"run"};
  for (const auto& name : names) table.header.push_back(axisSegmentName(name));
  std::string users;  // per segment: the same for every run evaluated on the same users
  for (const auto& name : names)
    for (const auto& row : context.comparison.runs)
      if (const SegmentValue* v = segmentOf(row, name)) {
        users +=
            (users.empty() ? "" : ", ") + axisSegmentName(name) + " " + std::to_string(v->value.n);
        break;
      }
  for (const auto& row : context.comparison.runs) {
    std::vector<double> values, lows, highs;
    std::vector<TableCell> cells{TableCell{row.run.name, "", false, false, false, false}};
    for (const auto& name : names) {
      const SegmentValue* v = segmentOf(row, name);
      const bool ci = v && std::isfinite(v->value.ciLow) && std::isfinite(v->value.ciHigh);
      values.push_back(v ? v->value.mean : kNaN);
      lows.push_back(ci ? v->value.ciLow : kNaN);
      highs.push_back(ci ? v->value.ciHigh : kNaN);
      TableCell cell{"\u2013", "", true, false, false, true};
      if (v) {
        cell = TableCell{formatMetric(v->value.mean), "", true, false, false, false};
        if (ci)
          cell.detail =
              "[" + formatMetric(v->value.ciLow) + ", " + formatMetric(v->value.ciHigh) + "]";
      }
      cells.push_back(std::move(cell));
    }
    table.rows.push_back(std::move(cells));
    chart.values.push_back(std::move(values));
    chart.lows.push_back(std::move(lows));
    chart.highs.push_back(std::move(highs));
  }
  table.notes.push_back(
      "Q1-Q4: quartiles of the users' training interactions (the range in brackets); cold: "
      "users with at most the training interactions in brackets (they are in a quartile too).");
  if (!users.empty()) table.notes.push_back("Users per segment: " + users + ".");
  section.blocks.emplace_back(
      Figure{"segments",
             context.headline + " per user segment; error bars are 95% confidence "
                                "intervals.",
             drawGroupedBars(runsOnTheAxis(std::move(chart)), kWide, kTall)});
  section.blocks.emplace_back(std::move(table));
}

/// Each iterative run's loss per epoch and, when it validated, its validation metric.
void addCurves(ReportContext& context, Section& section) {
  FigureRow row;
  for (const auto& run : context.runs) {
    const auto epochs = storage::runEpochs(context.workspace, run.id);
    if (epochs.size() < 2) continue;
    XySeries loss{"training loss", {}, {}, {}, {}, {}, true, true, false, 0};
    XySeries valid{"", {}, {}, {}, {}, {}, true, true, true, 1};
    for (const auto& e : epochs) {
      loss.x.push_back(e.epoch);
      loss.y.push_back(e.loss);
      if (e.validation) {
        valid.name = "validation " + e.validationMetric;
        valid.x.push_back(e.epoch);
        valid.y.push_back(*e.validation);
      }
    }
    XyChart lossChart;
    lossChart.title = shortName(run.name, 30) + ": training loss";
    lossChart.xLabel = "epoch";
    lossChart.yLabel = "loss";
    lossChart.legend = false;
    lossChart.series.push_back(std::move(loss));
    row.figures.push_back(Figure{"curve-" + run.name,
                                 run.name + " (" + run.model +
                                     "): the training objective per "
                                     "epoch.",
                                 drawXyChart(lossChart, kHalfWide, kHalfTall)});
    if (valid.x.size() >= 1) {
      XyChart validChart;
      validChart.title = shortName(run.name, 30) + ": " + valid.name;
      validChart.xLabel = "epoch";
      validChart.yLabel = valid.name.substr(11);
      validChart.legend = false;
      validChart.series.push_back(std::move(valid));
      row.figures.push_back(Figure{"curve-" + run.name + "-validation",
                                   run.name + ": the validation metric per validated epoch.",
                                   drawXyChart(validChart, kHalfWide, kHalfTall)});
    }
    if (context.stop.stop_requested()) break;
  }
  if (row.figures.empty()) return;
  section.blocks.emplace_back(Heading{"Training curves", 3});
  section.blocks.emplace_back(std::move(row));
}

std::string binLabel(const ActivityBin& bin) {
  return bin.low == bin.high ? std::to_string(bin.low)
                             : std::to_string(bin.low) + "\u2013" + std::to_string(bin.high);
}

void addDistributions(ReportContext& context, Section& section) {
  const ReportParts& parts = context.options.parts;
  // The long tail and the activity bins need the counts only, not the weekly series.
  const DatasetDistributions d =
      computeCountDistributions(context.workspace, context.dataset.id, context.stop);
  FigureRow row;
  if (parts.longTail && !d.popularity.empty()) {
    XySeries tail{"items", {}, {}, {}, {}, {}, true, false, false, 0};
    for (const auto& p : d.popularity) {
      if (p.interactions <= 0) continue;
      tail.x.push_back(double(p.rank));
      tail.y.push_back(double(p.interactions));
    }
    XyChart chart;
    chart.title = "Long tail of item popularity";
    chart.xLabel = "item rank (log scale)";
    chart.yLabel = "interactions (log scale)";
    chart.logX = chart.logY = true;
    chart.legend = false;
    chart.series.push_back(std::move(tail));
    row.figures.push_back(
        Figure{"long-tail",
               "Items ranked by interactions; the most popular 20% of items get " +
                   formatFixed(100 * d.headShare, 1) + "% of the interactions.",
               drawXyChart(chart, kHalfWide, kHalfTall)});
  }
  if (parts.activity && !d.activity.empty()) {
    GroupedBars chart;
    chart.title = "Users by activity";
    chart.yLabel = "users";
    chart.series = {"users"};
    chart.values.emplace_back();
    for (const auto& bin : d.activity) {
      chart.categories.push_back(binLabel(bin));
      chart.values.front().push_back(double(bin.users));
    }
    row.figures.push_back(Figure{"activity",
                                 "Users by their number of interactions, in power-of-two bins.",
                                 drawGroupedBars(chart, kHalfWide, kHalfTall)});
  }
  if (row.figures.empty()) return;
  section.blocks.emplace_back(Heading{"The dataset", 3});
  section.blocks.emplace_back(std::move(row));
}

}  // namespace

Section plotsSection(ReportContext& context) {
  const ReportParts& parts = context.options.parts;
  Section section{"plots", "Plots", {}};
  if (parts.metricBars) section.blocks.emplace_back(metricBars(context));
  if (parts.accuracyTime)
    if (auto figure = accuracyTime(context)) section.blocks.emplace_back(std::move(*figure));
  if (parts.segments) addSegments(context, section);
  if (context.stop.stop_requested()) return section;
  if (parts.trainingCurves) addCurves(context, section);
  if (context.stop.stop_requested()) return section;
  if (parts.longTail || parts.activity) addDistributions(context, section);
  return section;
}

}  // namespace reco::report::sections
