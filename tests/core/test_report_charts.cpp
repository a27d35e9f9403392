// The report's charts and their SVG: the layouts put bars, error bars, ticks and cells where
// the data says, keep every text inside the box and readable, and the SVG is well-formed
// XML that writes '.' whatever the locale.
//
// RECO_CHART_DUMP=DIR writes each chart of these tests to DIR/charts.html for a look in a
// browser (headless Chromium: chromium --headless --screenshot=x.png DIR/charts.html).

#include <clocale>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <locale>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/report/charts.h"
#include "core/report/drawing.h"
#include "core/report/svg_writer.h"
#include "tests/support/gtest_support.h"

namespace {

using namespace reco::report;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <typename T>
std::vector<T> shapesOf(const Drawing& drawing) {
  std::vector<T> found;
  for (const Shape& shape : drawing.shapes) {
    if (const auto* concrete = std::get_if<T>(&shape)) found.push_back(*concrete);
  }
  return found;
}

/// Appends the drawing to $RECO_CHART_DUMP/charts.html when that is set (for looking at).
void dump(const Drawing& drawing, const std::string& name) {
  const char* folder = std::getenv("RECO_CHART_DUMP");
  if (folder == nullptr || *folder == '\0') return;
  static bool first = true;
  std::ofstream out(std::string(folder) + "/charts.html", first ? std::ios::trunc : std::ios::app);
  if (first) out << "<!doctype html><html><head><meta charset=\"utf-8\"></head><body>\n";
  first = false;
  out << "<div style=\"display:inline-block;border:1px dashed #ccc;margin:4px\">"
      << renderSvg(drawing, name) << "</div>\n";
}

/// The plot frame: the largest stroked rectangle without a fill.
RectShape frameOf(const Drawing& drawing) {
  RectShape frame;
  for (const auto& rect : shapesOf<RectShape>(drawing)) {
    if (!rect.fill && rect.stroke && rect.width * rect.height > frame.width * frame.height) {
      frame = rect;
    }
  }
  return frame;
}

struct Bounds {
  double left, top, right, bottom;
};

/// This test's own estimate of where a text's glyphs lie: the baseline from its anchor,
/// 0.8 em above and 0.25 em below it, turned by the rotation.
Bounds boundsOf(const TextShape& text) {
  const double width = estimateTextWidth(text.text, text.size);
  const double start = text.anchor == TextAnchor::Start    ? 0
                       : text.anchor == TextAnchor::Middle ? -width / 2
                                                           : -width;
  const double angle = text.rotation * 3.14159265358979 / 180;
  Bounds box{1e9, 1e9, -1e9, -1e9};
  for (double along : {start, start + width}) {
    for (double up : {0.8 * text.size, -0.25 * text.size}) {
      const double x = text.at.x + along * std::cos(angle) + up * std::sin(angle);
      const double y = text.at.y + along * std::sin(angle) - up * std::cos(angle);
      box = {std::min(box.left, x), std::min(box.top, y), std::max(box.right, x),
             std::max(box.bottom, y)};
    }
  }
  return box;
}

/// Every text inside the drawing, at least 7 pt, and level texts clear of one another.
void expectReadableTexts(const Drawing& drawing, const std::string& what) {
  const auto texts = shapesOf<TextShape>(drawing);
  ASSERT_FALSE(texts.empty()) << what;
  for (const auto& text : texts) {
    const Bounds box = boundsOf(text);
    EXPECT_GE(box.left, -0.5) << what << ": '" << text.text << "' leaves the drawing on the left";
    EXPECT_LE(box.right, drawing.width + 0.5) << what << ": '" << text.text << "' on the right";
    EXPECT_GE(box.top, -0.5) << what << ": '" << text.text << "' at the top";
    EXPECT_LE(box.bottom, drawing.height + 0.5) << what << ": '" << text.text << "' at the bottom";
    EXPECT_GE(text.size, 7.0) << what << ": '" << text.text << "'";
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (std::size_t j = i + 1; j < texts.size(); ++j) {
      if (texts[i].rotation != 0 || texts[j].rotation != 0) continue;
      const Bounds a = boundsOf(texts[i]);
      const Bounds b = boundsOf(texts[j]);
      // A point or two of slack: the estimates are generous on purpose.
      const bool apart = a.right <= b.left + 1.5 || b.right <= a.left + 1.5 ||
                         a.bottom <= b.top + 1.5 || b.bottom <= a.top + 1.5;
      EXPECT_TRUE(apart) << what << ": '" << texts[i].text << "' overlaps '" << texts[j].text
                         << "'";
    }
  }
}

bool hasText(const Drawing& drawing, const std::string& wanted, double rotation = 0) {
  for (const auto& text : shapesOf<TextShape>(drawing)) {
    if (text.text == wanted && text.rotation == rotation) return true;
  }
  return false;
}

/// A minimal well-formedness check: tags balance, attributes are quoted and hold no '<',
/// every '&' starts one of XML's five entities, no raw '<' in text.
std::string xmlProblem(const std::string& xml) {
  std::vector<std::string> open;
  const auto entityAt = [&](std::size_t i) {
    for (const char* entity : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
      if (xml.compare(i, std::string(entity).size(), entity) == 0) return true;
    }
    return false;
  };
  std::size_t i = 0;
  while (i < xml.size()) {
    if (xml[i] == '&' && !entityAt(i)) return "a bare '&' at " + std::to_string(i);
    if (xml[i] == '>') return "a bare '>' in text at " + std::to_string(i);
    if (xml[i] != '<') {
      ++i;
      continue;
    }
    const bool closing = xml.compare(i, 2, "</") == 0;
    std::size_t j = i + (closing ? 2 : 1);
    std::string name;
    while (j < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[j])) || xml[j] == '-')) {
      name += xml[j++];
    }
    if (name.empty()) return "a '<' that starts no tag at " + std::to_string(i);
    bool quoted = false;
    for (; j < xml.size(); ++j) {
      if (xml[j] == '"') quoted = !quoted;
      if (quoted && xml[j] == '<') return "a '<' in an attribute of <" + name + ">";
      if (quoted && xml[j] == '&' && !entityAt(j)) return "a bare '&' in <" + name + ">";
      if (!quoted && xml[j] == '>') break;
    }
    if (j >= xml.size()) return "<" + name + "> is never closed";
    const bool selfClosing = xml[j - 1] == '/';
    if (closing) {
      if (open.empty() || open.back() != name) return "</" + name + "> closes nothing open";
      open.pop_back();
    } else if (!selfClosing) {
      open.push_back(name);
    }
    i = j + 1;
  }
  if (!open.empty()) return "<" + open.back() + "> is still open at the end";
  return {};
}

GroupedBars threeSeriesTwoCategories() {
  GroupedBars chart;
  chart.title = "Metrics at K = 10";
  chart.yLabel = "metric value";
  chart.categories = {"ndcg@10", "recall@10"};
  chart.series = {"ease", "bpr", "pop"};
  chart.values = {{0.45, 0.30}, {0.38, 0.25}, {0.20, 0.12}};
  chart.lows = {{0.43, 0.27}, {0.35, 0.22}, {0.18, 0.10}};
  chart.highs = {{0.47, 0.33}, {0.41, 0.28}, {0.22, 0.15}};
  return chart;
}

/// The bars of a chart whose values are all positive: filled rectangles in a series colour
/// standing on the frame's bottom edge, in drawing order.
std::vector<RectShape> barsOf(const Drawing& drawing, std::size_t seriesCount) {
  const RectShape frame = frameOf(drawing);
  std::vector<RectShape> bars;
  for (const auto& rect : shapesOf<RectShape>(drawing)) {
    if (!rect.fill) continue;
    bool seriesFill = false;
    for (std::size_t s = 0; s < seriesCount; ++s) seriesFill |= *rect.fill == seriesColour(s);
    if (seriesFill && std::abs(rect.y + rect.height - (frame.y + frame.height)) < 1e-6) {
      bars.push_back(rect);
    }
  }
  return bars;
}

TEST(NiceTicks, CoverTheRangeInStepsOfOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen) {
  const std::vector<std::pair<double, double>> ranges = {
      {0, 1}, {0.013, 0.47}, {-3, 17}, {1234, 98765}, {0.5, 0.5}, {1e-4, 3e-4}, {-0.2, -0.05}};
  for (const auto& [low, high] : ranges) {
    for (int maxTicks = 2; maxTicks <= 10; ++maxTicks) {
      const auto ticks = niceTicks(low, high, maxTicks);
      std::string where = "[";
      where += std::to_string(low) + ", " + std::to_string(high) + "] with at most ";
      where += std::to_string(maxTicks);
      ASSERT_GE(ticks.size(), 2U) << where;
      EXPECT_LE(ticks.size(), static_cast<std::size_t>(maxTicks)) << where;
      EXPECT_LE(ticks.front(), low + 1e-12) << where;
      EXPECT_GE(ticks.back(), high - 1e-12) << where;
      const double step = ticks[1] - ticks[0];
      ASSERT_GT(step, 0) << where;
      for (std::size_t i = 1; i < ticks.size(); ++i) {
        EXPECT_CLOSE(ticks[i] - ticks[i - 1], step, 1e-9);
      }
      const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-12));
      const bool nice = std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                        std::abs(mantissa - 2.5) < 1e-9 || std::abs(mantissa - 5) < 1e-9;
      EXPECT_TRUE(nice) << where << ": step " << step;
    }
  }
  // A range that needs exactly three: 0, 0.5, 1 rather than more crowded ones.
  EXPECT_EQ(niceTicks(0, 1, 3), (std::vector<double>{0, 0.5, 1}));
}

TEST(GroupedBarsChart, BarHeightsAreProportionalToTheValues) {
  const GroupedBars chart = threeSeriesTwoCategories();
  const Drawing drawing = drawGroupedBars(chart, 500, 280);
  dump(drawing, "bars");
  const auto bars = barsOf(drawing, 3);
  ASSERT_EQ(bars.size(), 6U);
  // Category by category, series by series, left to right.
  const double scale = bars[0].height / chart.values[0][0];
  double previousX = -1;
  for (std::size_t c = 0; c < 2; ++c) {
    for (std::size_t s = 0; s < 3; ++s) {
      const RectShape& bar = bars[c * 3 + s];
      EXPECT_EQ(*bar.fill, seriesColour(s));
      EXPECT_GT(bar.x, previousX);
      previousX = bar.x;
      EXPECT_CLOSE(bar.height, chart.values[s][c] * scale, 1e-9);
    }
  }
}

TEST(GroupedBarsChart, ErrorBarEndsAreTheLowsAndHighs) {
  const GroupedBars chart = threeSeriesTwoCategories();
  const Drawing drawing = drawGroupedBars(chart, 500, 280);
  const auto bars = barsOf(drawing, 3);
  ASSERT_EQ(bars.size(), 6U);
  const double scale = bars[0].height / chart.values[0][0];
  const double zero = bars[0].y + bars[0].height;
  const auto lines = shapesOf<LineShape>(drawing);
  for (std::size_t c = 0; c < 2; ++c) {
    for (std::size_t s = 0; s < 3; ++s) {
      const RectShape& bar = bars[c * 3 + s];
      const double centre = bar.x + bar.width / 2;
      const double lowY = zero - chart.lows[s][c] * scale;
      const double highY = zero - chart.highs[s][c] * scale;
      bool stem = false, lowCap = false, highCap = false;
      for (const auto& line : lines) {
        const double top = std::min(line.from.y, line.to.y);
        const double bottom = std::max(line.from.y, line.to.y);
        const double left = std::min(line.from.x, line.to.x);
        const double right = std::max(line.from.x, line.to.x);
        if (std::abs(line.from.x - centre) < 0.5 && std::abs(line.to.x - centre) < 0.5 &&
            std::abs(top - highY) < 1e-6 && std::abs(bottom - lowY) < 1e-6) {
          stem = true;
        }
        const bool across = left < centre - 0.5 && right > centre + 0.5 && right - left < 10;
        if (across && std::abs(top - lowY) < 1e-6 && std::abs(bottom - lowY) < 1e-6) lowCap = true;
        if (across && std::abs(top - highY) < 1e-6 && std::abs(bottom - highY) < 1e-6) {
          highCap = true;
        }
      }
      EXPECT_TRUE(stem) << "series " << s << ", category " << c;
      EXPECT_TRUE(lowCap) << "series " << s << ", category " << c;
      EXPECT_TRUE(highCap) << "series " << s << ", category " << c;
    }
  }
}

TEST(GroupedBarsChart, HasAYTitleAndALegendEntryPerSeries) {
  const GroupedBars chart = threeSeriesTwoCategories();
  for (const auto& [width, height] : {std::pair{500.0, 280.0}, std::pair{245.0, 200.0}}) {
    const Drawing drawing = drawGroupedBars(chart, width, height);
    EXPECT_TRUE(hasText(drawing, "metric value", -90)) << width;
    EXPECT_TRUE(hasText(drawing, "Metrics at K = 10")) << width;
    const auto bars = barsOf(drawing, 3);
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      EXPECT_TRUE(hasText(drawing, chart.series[s])) << chart.series[s] << " at " << width;
      // A swatch of the series' colour that is not one of its bars.
      std::size_t filled = 0;
      for (const auto& rect : shapesOf<RectShape>(drawing)) {
        filled += rect.fill && *rect.fill == seriesColour(s) ? 1 : 0;
      }
      EXPECT_EQ(filled, 2U + 1U) << chart.series[s] << " at " << width;
    }
    EXPECT_EQ(bars.size(), 6U) << width;
  }
  // One series: no legend, the name is not written.
  GroupedBars single = chart;
  single.series = {"ease"};
  single.values.resize(1);
  single.lows.resize(1);
  single.highs.resize(1);
  EXPECT_FALSE(hasText(drawGroupedBars(single, 500, 280), "ease"));
}

TEST(GroupedBarsChart, ANaNValueDrawsNoBar) {
  GroupedBars chart = threeSeriesTwoCategories();
  chart.values[1][0] = kNaN;
  const Drawing drawing = drawGroupedBars(chart, 500, 280);
  const auto bars = barsOf(drawing, 3);
  ASSERT_EQ(bars.size(), 5U);
  std::size_t secondSeries = 0;
  for (const auto& bar : bars) secondSeries += *bar.fill == seriesColour(1) ? 1 : 0;
  EXPECT_EQ(secondSeries, 1U);
  for (const auto& rect : shapesOf<RectShape>(drawing)) {
    EXPECT_TRUE(std::isfinite(rect.x) && std::isfinite(rect.y) && std::isfinite(rect.height));
  }
}

TEST(GroupedBarsChart, LongLabelsStayInsideAndDoNotOverlap) {
  GroupedBars chart;
  chart.title = "A rather long title that explains what the chart shows, for a stakeholder";
  chart.yLabel = "normalised discounted cumulative gain at ten";
  chart.series = {"ease (lambda 250, seen items excluded)", "bpr with 64 factors and 30 epochs",
                  "most popular items"};
  for (int c = 0; c < 14; ++c) {
    chart.categories.push_back("users with between " + std::to_string(c * 10) + " and " +
                               std::to_string(c * 10 + 9) + " ratings");
  }
  chart.values.assign(3, std::vector<double>(14, 0));
  for (std::size_t s = 0; s < 3; ++s) {
    for (std::size_t c = 0; c < 14; ++c) chart.values[s][c] = 1234.5 * (s + 1) + 100.0 * c;
  }
  for (const auto& [width, height] : {std::pair{500.0, 280.0}, std::pair{245.0, 200.0}}) {
    const Drawing drawing = drawGroupedBars(chart, width, height);
    dump(drawing, "long labels");
    expectReadableTexts(drawing, "bars " + std::to_string(width));
  }
}

TEST(Legend, KeepsClearOfTheDataAndGoesInsideWhenThereIsRoom) {
  // Falling curves on a narrow chart: the top-right corner of the plot is free.
  XyChart curves;
  curves.title = "Training loss";
  curves.xLabel = "epoch";
  curves.yLabel = "loss";
  for (int s = 0; s < 3; ++s) {
    XySeries series;
    series.name = "run " + std::to_string(s);
    series.points = false;
    for (int e = 1; e <= 30; ++e) {
      series.x.push_back(e);
      series.y.push_back(0.7 * std::exp(-e / (4.0 + s)) + 0.1 + 0.02 * s);
    }
    curves.series.push_back(series);
  }
  const Drawing falling = drawXyChart(curves, 245, 200);
  dump(falling, "falling curves");
  const RectShape frame = frameOf(falling);
  const auto textsNamed = [](const Drawing& drawing, const std::string& prefix) {
    std::vector<Bounds> boxes;
    for (const auto& text : shapesOf<TextShape>(drawing)) {
      if (text.text.starts_with(prefix)) boxes.push_back(boundsOf(text));
    }
    return boxes;
  };
  const auto names = textsNamed(falling, "run ");
  ASSERT_EQ(names.size(), 3U);
  for (const auto& box : names) {
    EXPECT_GT(box.top, frame.y);
    EXPECT_GT(box.left, frame.x + frame.width / 2);
    for (const auto& line : shapesOf<PolylineShape>(falling)) {
      for (const auto& point : line.points) {
        EXPECT_FALSE(point.x > box.left && point.x < box.right && point.y > box.top &&
                     point.y < box.bottom)
            << "a curve runs under the legend";
      }
    }
  }
  // Rising curves fill that corner: the legend moves out of the plot, above it.
  for (auto& series : curves.series) {
    for (auto& y : series.y) y = 1 - y;
  }
  const Drawing rising = drawXyChart(curves, 245, 200);
  dump(rising, "rising curves");
  const RectShape risingFrame = frameOf(rising);
  for (const auto& box : textsNamed(rising, "run ")) EXPECT_LT(box.bottom, risingFrame.y);
  // Bars: wherever the legend goes, no name lies on a bar.
  for (const auto& [width, height] : {std::pair{500.0, 280.0}, std::pair{245.0, 200.0}}) {
    const GroupedBars chart = threeSeriesTwoCategories();
    const Drawing drawing = drawGroupedBars(chart, width, height);
    for (const auto& name : chart.series) {
      for (const auto& box : textsNamed(drawing, name)) {
        for (const auto& bar : barsOf(drawing, 3)) {
          const bool apart = box.right <= bar.x || bar.x + bar.width <= box.left ||
                             box.bottom <= bar.y || bar.y + bar.height <= box.top;
          EXPECT_TRUE(apart) << name << " lies on a bar at " << width;
        }
      }
    }
  }
}

TEST(XyChartLayout, ALogXAxisSpacesDecadesEqually) {
  XyChart chart;
  chart.title = "Accuracy against training time";
  chart.xLabel = "training time (s)";
  chart.yLabel = "ndcg@10";
  chart.logX = true;
  XySeries runs;
  runs.lines = false;
  runs.x = {1, 10, 100, 1000, -5, 0};  // the last two cannot be drawn on a log axis
  runs.y = {0.2, 0.3, 0.4, 0.45, 0.5, 0.5};
  runs.pointLabels = {"pop", "itemknn", "bpr", "a-run-with-a-long-name", "bad", "zero"};
  chart.series = {runs};
  const Drawing drawing = drawXyChart(chart, 500, 280);
  dump(drawing, "log x");
  const RectShape frame = frameOf(drawing);
  std::map<std::string, double> tickX;
  for (const auto& text : shapesOf<TextShape>(drawing)) {
    if (text.anchor == TextAnchor::Middle && text.at.y > frame.y + frame.height &&
        text.rotation == 0) {
      tickX[text.text] = text.at.x;
    }
  }
  ASSERT_TRUE(tickX.contains("1") && tickX.contains("10") && tickX.contains("100") &&
              tickX.contains("1k"));
  const double decade = tickX["10"] - tickX["1"];
  EXPECT_GT(decade, 20);
  EXPECT_CLOSE(tickX["100"] - tickX["10"], decade, 1e-9);
  EXPECT_CLOSE(tickX["1k"] - tickX["100"], decade, 1e-9);
  // The markers sit on their ticks; the unplottable points are left out with their labels.
  const auto markers = shapesOf<CircleShape>(drawing);
  ASSERT_EQ(markers.size(), 4U);
  EXPECT_NEAR(markers[0].centre.x, tickX["1"], 1e-9);
  EXPECT_NEAR(markers[3].centre.x, tickX["1k"], 1e-9);
  EXPECT_TRUE(hasText(drawing, "ndcg@10", -90));
  EXPECT_TRUE(hasText(drawing, "training time (s)"));
  EXPECT_FALSE(hasText(drawing, "bad"));
  // The label of the right-most point stays inside the plot (it goes left of the point).
  for (const auto& text : shapesOf<TextShape>(drawing)) {
    if (text.text != "a-run-with-a-long-name") continue;
    EXPECT_LE(boundsOf(text).right, frame.x + frame.width + 0.5);
  }
  expectReadableTexts(drawing, "log x");
}

TEST(XyChartLayout, ManySeriesGetALegendAndStayReadable) {
  XyChart chart;
  chart.title = "Item map";
  chart.xLabel = "component 1";
  chart.yLabel = "component 2";
  for (int c = 0; c < 12; ++c) {
    XySeries category;
    category.name = "Category number " + std::to_string(c);
    category.lines = false;
    for (int i = 0; i < 50; ++i) {
      category.x.push_back(std::sin(i * 1.7 + c) * 3 + c);
      category.y.push_back(std::cos(i * 2.3 + c) * 2 - c * 0.5);
    }
    chart.series.push_back(category);
  }
  for (const auto& [width, height] : {std::pair{500.0, 280.0}, std::pair{245.0, 200.0}}) {
    const Drawing drawing = drawXyChart(chart, width, height);
    dump(drawing, "item map");
    for (const auto& series : chart.series) {
      EXPECT_TRUE(hasText(drawing, series.name)) << series.name << " at " << width;
    }
    EXPECT_EQ(shapesOf<CircleShape>(drawing).size(), 12U * 50U + 12U) << width;
    expectReadableTexts(drawing, "item map " + std::to_string(width));
  }
}

TEST(HeatmapLayout, HasACellPerValueAndAColourLegend) {
  Heatmap chart;
  chart.title = "Item similarity";
  chart.valueLabel = "cosine similarity";
  chart.rowLabels = {"Star Wars (1977)", "Contact (1997)", "Fargo (1996)"};
  chart.columnLabels = {"Star Wars (1977)", "Contact (1997)", "Fargo (1996)",
                        "A film whose title is far too long to be written in full"};
  chart.values = {{1, 0.5, 0.2, 0.1}, {0.5, 1, kNaN, 0}, {0.2, 0.3, 1, 0.7}};
  const Drawing drawing = drawHeatmap(chart, 500, 500);
  dump(drawing, "heatmap");
  // Cells: square filled rectangles, all of one size, wider than the colour legend.
  std::map<double, std::vector<RectShape>> squares;
  for (const auto& rect : shapesOf<RectShape>(drawing)) {
    if (rect.fill && rect.width > 14 && std::abs(rect.width - rect.height) < 1e-9) {
      squares[rect.width].push_back(rect);
    }
  }
  ASSERT_EQ(squares.size(), 1U);
  const auto& cells = squares.begin()->second;
  ASSERT_EQ(cells.size(), 12U);
  // Equal values, equal colours; different values, different colours; NaN apart from all.
  EXPECT_EQ(*cells[0].fill, *cells[5].fill);  // 1 and 1
  EXPECT_NE(*cells[0].fill, *cells[1].fill);  // 1 and 0.5
  EXPECT_EQ(*cells[1].fill, *cells[4].fill);  // 0.5 and 0.5
  std::set<std::string> colours;
  for (const auto& cell : cells) colours.insert(hexColour(*cell.fill));
  EXPECT_EQ(colours.size(), 8U);  // 1, 0.5, 0.2, 0.1, NaN, 0, 0.3, 0.7
  // The colour legend: a column of at least ten bands of one width, stacked without gaps,
  // from the colour of the maximum at the top to that of the minimum at the bottom.
  std::map<double, std::vector<RectShape>> columns;
  for (const auto& rect : shapesOf<RectShape>(drawing)) {
    if (rect.fill && rect.width < 14 && rect.height < rect.width * 2) {
      columns[rect.x].push_back(rect);
    }
  }
  ASSERT_EQ(columns.size(), 1U);
  const auto& bands = columns.begin()->second;
  ASSERT_GE(bands.size(), 10U);
  for (std::size_t i = 1; i < bands.size(); ++i) {
    EXPECT_NEAR(bands[i].y, bands[i - 1].y + bands[i - 1].height, 0.5);
  }
  EXPECT_GT(bands.front().x, cells.back().x + cells.back().width);
  EXPECT_TRUE(hasText(drawing, "cosine similarity", -90));
  // Its ticks: minimum at the bottom, middle, maximum at the top.
  std::map<std::string, double> legendTicks;
  for (const auto& text : shapesOf<TextShape>(drawing)) {
    if (text.rotation == 0 && text.at.x > bands.front().x + bands.front().width) {
      legendTicks[text.text] = text.at.y;
    }
  }
  ASSERT_EQ(legendTicks.size(), 3U);
  ASSERT_TRUE(legendTicks.contains("0.0") && legendTicks.contains("0.5") &&
              legendTicks.contains("1.0"));
  EXPECT_GT(legendTicks["0.0"], legendTicks["0.5"]);
  EXPECT_GT(legendTicks["0.5"], legendTicks["1.0"]);
  EXPECT_EQ(bands.front().fill, cells[0].fill);  // the maximum's colour on top
  EXPECT_TRUE(hasText(drawing, "Fargo (1996)"));
  expectReadableTexts(drawing, "heatmap");
}

TEST(HeatmapLayout, ManyLongLabelsAreShortenedAndThinned) {
  Heatmap chart;
  chart.title = "Item similarity";
  chart.valueLabel = "cosine similarity";
  const std::size_t n = 90;
  for (std::size_t i = 0; i < n; ++i) {
    chart.rowLabels.push_back("An item with a title much longer than any margin " +
                              std::to_string(i));
    chart.values.emplace_back();
    for (std::size_t j = 0; j < n; ++j) {
      chart.values.back().push_back(std::abs(std::sin(static_cast<double>(i * j))));
    }
  }
  chart.columnLabels = chart.rowLabels;
  const Drawing drawing = drawHeatmap(chart, 500, 500);
  dump(drawing, "big heatmap");
  std::size_t cells = 0, labels = 0, shortened = 0;
  for (const auto& rect : shapesOf<RectShape>(drawing)) {
    cells += rect.fill && std::abs(rect.width - rect.height) < 1e-9 ? 1 : 0;
  }
  for (const auto& text : shapesOf<TextShape>(drawing)) {
    if (text.text.starts_with("An item")) {
      ++labels;
      shortened += text.text.ends_with("\u2026") ? 1 : 0;
    }
  }
  EXPECT_EQ(cells, n * n);
  EXPECT_LT(labels, 2 * n);  // thinned
  EXPECT_GT(labels, 20U);    // but still some on each axis
  EXPECT_EQ(shortened, labels);
  expectReadableTexts(drawing, "big heatmap");
}

/// Every coordinate of every shape is a finite number inside (or on) a generous box.
void expectFiniteShapes(const Drawing& drawing, const std::string& what) {
  const auto ok = [&](double x, double y) {
    return std::isfinite(x) && std::isfinite(y) && x >= -1 && y >= -1 && x <= drawing.width + 1 &&
           y <= drawing.height + 1;
  };
  for (const auto& line : shapesOf<LineShape>(drawing)) {
    EXPECT_TRUE(ok(line.from.x, line.from.y) && ok(line.to.x, line.to.y)) << what;
  }
  for (const auto& rect : shapesOf<RectShape>(drawing)) {
    EXPECT_TRUE(ok(rect.x, rect.y) && ok(rect.x + rect.width, rect.y + rect.height)) << what;
  }
  for (const auto& circle : shapesOf<CircleShape>(drawing)) {
    EXPECT_TRUE(ok(circle.centre.x, circle.centre.y)) << what;
  }
  for (const auto& polyline : shapesOf<PolylineShape>(drawing)) {
    for (const auto& point : polyline.points) EXPECT_TRUE(ok(point.x, point.y)) << what;
  }
  for (const auto& text : shapesOf<TextShape>(drawing)) {
    EXPECT_TRUE(ok(text.at.x, text.at.y)) << what << ": " << text.text;
  }
}

TEST(DegenerateInput, GivesFiniteDrawingsInsideTheBox) {
  GroupedBars empty;
  empty.yLabel = "value";
  expectFiniteShapes(drawGroupedBars(empty, 245, 200), "no categories");
  GroupedBars negative = threeSeriesTwoCategories();
  negative.values = {{-0.2, 0.3}, {kNaN, kNaN}, {0.1, -0.05}};
  negative.lows = {{-0.3, 0.2}, {kNaN, kNaN}, {0.0, -0.1}};
  negative.highs = {{-0.1, 0.4}, {kNaN, kNaN}, {0.2, 0.0}};
  const Drawing bars = drawGroupedBars(negative, 245, 200);
  expectFiniteShapes(bars, "negative bars");
  // The negative bar hangs below the zero line: its top is where the positive one's base is.
  std::vector<RectShape> first;
  for (const auto& rect : shapesOf<RectShape>(bars)) {
    if (rect.fill && *rect.fill == seriesColour(0) && rect.width < 60) first.push_back(rect);
  }
  ASSERT_GE(first.size(), 2U);
  EXPECT_NEAR(first[0].y, first[1].y + first[1].height, 1e-9);

  XyChart xy;
  xy.xLabel = "x";
  xy.yLabel = "y";
  expectFiniteShapes(drawXyChart(xy, 245, 200), "no series");
  XySeries one;
  one.x = {5};
  one.y = {5};
  one.pointLabels = {"only"};
  xy.series = {one};
  expectFiniteShapes(drawXyChart(xy, 245, 200), "one point");
  xy.logX = xy.logY = true;
  xy.series[0].x = {-1, 0, kNaN};
  xy.series[0].y = {1, 2, 3};
  expectFiniteShapes(drawXyChart(xy, 245, 200), "nothing drawable on log axes");
  xy.series[0].x = {1e-3, 1e6};
  xy.series[0].y = {0.5, 0.5};
  xy.xMin = 1e-2;  // clips the first point
  const Drawing clipped = drawXyChart(xy, 245, 200);
  expectFiniteShapes(clipped, "clipped");
  EXPECT_EQ(shapesOf<CircleShape>(clipped).size(), 1U);

  Heatmap heatmap;
  expectFiniteShapes(drawHeatmap(heatmap, 500, 500), "empty heatmap");
  heatmap.values = {{kNaN}};
  heatmap.minValue = heatmap.maxValue = 0.5;
  expectFiniteShapes(drawHeatmap(heatmap, 245, 200), "one NaN cell");
}

TEST(Palette, SeriesColoursAreOkabeItoAndCycle) {
  EXPECT_EQ(hexColour(seriesColour(0)), "#0072b2");
  EXPECT_EQ(hexColour(seriesColour(1)), "#e69f00");
  EXPECT_EQ(seriesColour(8), seriesColour(0));
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < 8; ++i) distinct.insert(hexColour(seriesColour(i)));
  EXPECT_EQ(distinct.size(), 8U);
}

TEST(TextWidth, NarrowWideAndOtherScriptsDiffer) {
  EXPECT_LT(estimateTextWidth("iiii", 10), estimateTextWidth("abcd", 10));
  EXPECT_LT(estimateTextWidth("abcd", 10), estimateTextWidth("MWMW", 10));
  EXPECT_CLOSE(estimateTextWidth("abcd", 20), 2 * estimateTextWidth("abcd", 10), 1e-12);
  // Three CJK characters (nine bytes) are three full ems, not nine.
  EXPECT_NEAR(estimateTextWidth("\u6620\u753b\u9928", 10), 30, 1e-9);
  EXPECT_EQ(estimateTextWidth("", 10), 0);
}

TEST(Svg, EscapesTextAndIsWellFormed) {
  Drawing drawing;
  drawing.width = 200;
  drawing.height = 100;
  TextShape text;
  text.at = {10, 20};
  text.text = "a<b & c>\"d\" 'e'";
  text.rotation = -90;
  drawing.shapes.emplace_back(text);
  RectShape rect;
  rect.x = 1.5;
  rect.y = 2;
  rect.width = 30;
  rect.height = 40;
  rect.fill = Colour{0, 114, 178, 128};
  rect.stroke = Stroke{{0, 0, 0, 255}, 0.5, true};
  drawing.shapes.emplace_back(rect);
  drawing.shapes.emplace_back(PolylineShape{{{0, 0}, {10, 5.25}, {20, 0}}, Stroke{}});
  drawing.shapes.emplace_back(LineShape{{0, 0}, {1, 1}, Stroke{}});
  CircleShape circle;
  circle.centre = {5, 5};
  drawing.shapes.emplace_back(circle);
  const std::string svg = renderSvg(drawing, "Title with <tags> & more");
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")) << svg;
  EXPECT_NE(svg.find("viewBox=\"0 0 200 100\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("<title>Title with &lt;tags&gt; &amp; more</title>"), std::string::npos);
  EXPECT_NE(svg.find(">a&lt;b &amp; c&gt;&quot;d&quot; &apos;e&apos;</text>"), std::string::npos)
      << svg;
  EXPECT_NE(svg.find("rotate(-90 10 20)"), std::string::npos) << svg;
  EXPECT_NE(svg.find("fill-opacity="), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray="), std::string::npos);
  EXPECT_NE(svg.find("x=\"1.5\""), std::string::npos);
  EXPECT_EQ(xmlProblem(svg), "") << svg;
  // The namespace is the only address in it.
  EXPECT_EQ(svg.find("://"), svg.rfind("://"));
  // And every chart of this suite is well-formed too.
  EXPECT_EQ(xmlProblem(renderSvg(drawGroupedBars(threeSeriesTwoCategories(), 245, 200))), "");
}

TEST(Svg, NumbersUseAPointUnderADecimalCommaLocale) {
  const GroupedBars chart = threeSeriesTwoCategories();
  const Drawing drawing = drawGroupedBars(chart, 500, 280);
  const std::string before = renderSvg(drawing, "bars");
  const std::string previousC = std::setlocale(LC_ALL, nullptr);
  const std::locale previous;
  try {
    std::locale::global(std::locale("de_DE.UTF-8"));
  } catch (const std::runtime_error&) {
    FAIL() << "the locale de_DE.UTF-8 is missing: tools/install-deps.sh generates it";
  }
  char probe[16];
  std::snprintf(probe, sizeof probe, "%.2f", 0.25);
  const std::string comma = probe;
  const std::string under = renderSvg(drawGroupedBars(chart, 500, 280), "bars");
  std::locale::global(previous);
  std::setlocale(LC_ALL, previousC.c_str());
  EXPECT_EQ(comma, "0,25");  // the C library really writes a comma now
  EXPECT_EQ(under, before);
  EXPECT_NE(before.find('.'), std::string::npos);
}

}  // namespace
