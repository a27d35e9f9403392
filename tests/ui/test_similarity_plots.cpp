// The Items panel's two plots (issue 13), offscreen, on hand-built matrices and maps:
// the heatmap colours each cell as its scale says (diverging around 0 for signed matrices,
// robust limits), tells both titles and the value on hover, emits the entities of a clicked
// cell, zooms and resets, shows labels, a dendrogram and bands for 60 clustered items, and
// exports CSV; the item map finds the nearest item under the pointer, selects exactly the
// points inside a rubber band, highlights titles case-insensitively, switches to the
// density drawing above its point limit, and paints a million points from its cache.
// RECO_PLOT_PNG_DIR=DIR keeps the pictures of the 60-item heatmap and the maps there.
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QWheelEvent>
#include <QtTest>
#include <cmath>
#include <random>

#include "core/similarity/cluster_order.h"
#include "core/training/item_map.h"
#include "core/training/similarity_matrix.h"
#include "ui/application_setup.h"
#include "ui/plots/item_map_view.h"
#include "ui/plots/similarity_heatmap.h"

using reco::ItemMap;
using reco::SimilarityMatrix;
using reco::ui::ItemMapView;
using reco::ui::SimilarityHeatmap;

Q_DECLARE_METATYPE(std::vector<std::int32_t>)

namespace {

constexpr int kDrawTimeoutMs = 60000;

/// "P12". (Not "P" + std::to_string(12): GCC 12 warns a false -Wrestrict on it.)
std::string numbered(const char* prefix, std::size_t number) {
  std::string text(prefix);
  text += std::to_string(number);
  return text;
}

/// A 4 x 4 item matrix: "Alpha", "Beta", "Gamma", "Delta" (dataset items 100..103), self
/// value 1 on the diagonal.
std::shared_ptr<SimilarityMatrix> smallMatrix(bool isSigned) {
  auto m = std::make_shared<SimilarityMatrix>();
  m->measure = isSigned ? "EASE weight B[i][j]" : "itemknn cosine weight";
  m->isSigned = isSigned;
  m->isSymmetric = false;  // (1, 2) is 0.25, (2, 1) 0.3
  const char* titles[] = {"Alpha", "Beta", "Gamma", "Delta"};
  for (int i = 0; i < 4; ++i)
    m->labels.push_back({100 + i, numbered("id", i), titles[i], "Books", std::nullopt, 5});
  m->values = {1.0f, 0.5f, 0.1f, 0.0f,  0.5f, 1.0f, 0.25f, 0.2f,
               0.1f, 0.3f, 1.0f, 0.05f, 0.0f, 0.2f, 0.05f, 1.0f};
  if (isSigned)
    for (float& v : m->values) v = v == 1.0f ? 1.0f : v - 0.2f;
  return m;
}

/// `n` items in 4 planted blocks (similarity ~0.7 inside a block, ~0.05 across), in a
/// shuffled order, then clustered by average linkage and shown in the leaf order, with
/// the merges renumbered to display rows as SimilarityMatrix asks.
std::shared_ptr<SimilarityMatrix> plantedMatrix(int n) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> noise(-0.05, 0.05);
  const char* categories[] = {"Kitchen", "Garden", "Toys", "Stationery"};
  const char* nouns[] = {"mug set", "hose reel", "wooden train", "notebook"};
  std::vector<int> block(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) block[std::size_t(i)] = int(random() % 4);
  std::vector<double> values(std::size_t(n) * std::size_t(n));
  for (int r = 0; r < n; ++r)
    for (int c = 0; c <= r; ++c) {
      const bool same = block[std::size_t(r)] == block[std::size_t(c)];
      const double v = r == c ? 1.0 : (same ? 0.7 : 0.05) + noise(random);
      values[std::size_t(r) * std::size_t(n) + std::size_t(c)] =
          values[std::size_t(c) * std::size_t(n) + std::size_t(r)] = v;
    }
  const reco::similarity::Clustering clustering = reco::similarity::averageLinkage(values, n);
  std::vector<std::int32_t> displayRow(static_cast<std::size_t>(n));
  for (int d = 0; d < n; ++d) displayRow[std::size_t(clustering.order[std::size_t(d)])] = d;
  auto m = std::make_shared<SimilarityMatrix>();
  m->measure = "cosine of the item vectors";
  m->isSigned = true;
  for (int d = 0; d < n; ++d) {
    const int r = clustering.order[std::size_t(d)];
    const int b = block[std::size_t(r)];
    m->labels.push_back({r, numbered("SKU-", 1000 + r),
                         numbered("Item ", std::size_t(r)) + " " + nouns[b], categories[b],
                         std::nullopt, 10});
    for (int e = 0; e < n; ++e)
      m->values.push_back(float(
          values[std::size_t(r) * std::size_t(n) + std::size_t(clustering.order[std::size_t(e)])]));
  }
  m->clustering = clustering;
  for (auto& merge : m->clustering.merges) {
    if (merge.left < n) merge.left = displayRow[std::size_t(merge.left)];
    if (merge.right < n) merge.right = displayRow[std::size_t(merge.right)];
  }
  for (int d = 0; d < n; ++d) m->clustering.order[std::size_t(d)] = d;
  return m;
}

/// `n` points: `clusters` gaussian clouds, one per category, popularity long-tailed.
std::shared_ptr<ItemMap> cloudMap(std::size_t n, int clusters, bool pca) {
  auto map = std::make_shared<ItemMap>();
  map->source = "item vectors (64 dimensions)";
  std::mt19937 random(11);
  std::normal_distribution<float> spread(0, 1);
  map->layout.x.reserve(n);
  map->layout.y.reserve(n);
  for (int c = 0; c < clusters; ++c) map->categories.push_back(numbered("Category ", c));
  for (std::size_t i = 0; i < n; ++i) {
    const int c = int(i % std::size_t(clusters));
    const double angle = 6.2832 * c / clusters;
    map->layout.x.push_back(float(4 * std::cos(angle)) + spread(random) * (0.6f + 0.1f * c));
    map->layout.y.push_back(float(3 * std::sin(angle)) + spread(random) * 0.7f);
    map->items.push_back(std::int32_t(i));
    map->externalIds.push_back(numbered("P", i));
    map->titles.push_back(numbered("Product ", i));
    map->categoryCode.push_back(c);
    map->popularity.push_back(std::int64_t(1 + 100000 / (1 + (i * 7919) % n)));
  }
  if (pca) {
    map->layout.explained[0] = 0.31;
    map->layout.explained[1] = 0.12;
  }
  return map;
}

/// A 10 x 10 grid of points at integer coordinates: point y * 10 + x is item 500 + it.
std::shared_ptr<ItemMap> gridMap() {
  auto map = std::make_shared<ItemMap>();
  map->source = "test grid";
  map->categories = {"Shoes", "Hats"};
  for (int y = 0; y < 10; ++y)
    for (int x = 0; x < 10; ++x) {
      const int i = y * 10 + x;
      map->layout.x.push_back(float(x));
      map->layout.y.push_back(float(y));
      map->items.push_back(500 + i);
      map->externalIds.push_back(numbered("G", i));
      map->titles.push_back(i == 0   ? "Red Shoe"
                            : i == 1 ? "blue SHOE"
                            : i == 2 ? "Ärger im Büro"
                                     : numbered("Thing ", i));
      map->categoryCode.push_back(i % 3 == 0 ? -1 : i % 2);
      map->popularity.push_back(1 + i);
    }
  map->layout.explained[0] = 0.5;
  map->layout.explained[1] = 0.4;
  return map;
}

void send(QWidget& widget, QEvent::Type type, QPointF at, Qt::MouseButton button,
          Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
  const Qt::MouseButtons buttons = type == QEvent::MouseButtonRelease ? Qt::NoButton : button;
  QMouseEvent event(type, at, widget.mapToGlobal(at), button, buttons, modifiers);
  QApplication::sendEvent(&widget, &event);
}

void drag(QWidget& widget, QPointF from, QPointF to, Qt::MouseButton button,
          Qt::KeyboardModifiers modifiers) {
  send(widget, QEvent::MouseButtonPress, from, button, modifiers);
  send(widget, QEvent::MouseMove, (from + to) / 2, button, modifiers);
  send(widget, QEvent::MouseMove, to, button, modifiers);
  send(widget, QEvent::MouseButtonRelease, to, button, modifiers);
}

void wheel(QWidget& widget, QPointF at, int delta) {
  QWheelEvent event(at, widget.mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton,
                    Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(&widget, &event);
}

double milliseconds(const QElapsedTimer& timer) {
  return double(timer.nsecsElapsed()) / 1e6;
}

void keepPicture(QWidget& widget, const QString& name) {
  const QString dir = qEnvironmentVariable("RECO_PLOT_PNG_DIR");
  if (dir.isEmpty()) return;
  QString error;
  if (auto* heatmap = qobject_cast<SimilarityHeatmap*>(&widget))
    error = heatmap->exportPng(dir + "/" + name);
  else if (auto* map = qobject_cast<ItemMapView*>(&widget))
    error = map->exportPng(dir + "/" + name);
  QVERIFY2(error.isEmpty(), qPrintable(error));
}

}  // namespace

class TestSimilarityPlots : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    qRegisterMetaType<std::vector<std::int32_t>>();
  }

  // Non-negative: white-to-blue from 0; the diagonal (self value 1) is left out of the
  // limits, so the upper limit is the largest off-diagonal value, not 1.
  void cellsTakeTheSequentialScaleColours() {
    SimilarityHeatmap heatmap;
    const auto m = smallMatrix(false);
    heatmap.setMatrix(m);
    const auto& scale = heatmap.scale().scale;
    QCOMPARE(scale.palette(), reco::ui::Palette::Blues);
    QCOMPARE(scale.low(), 0.0);
    QVERIFY2(scale.high() > 0.45 && scale.high() <= 0.5, qPrintable(QString::number(scale.high())));
    QVERIFY(heatmap.scale().note.contains(QStringLiteral("diagonal")));
    const QImage& image = heatmap.cellImage();
    QCOMPARE(image.size(), QSize(4, 4));
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 4; ++c)
        QCOMPARE(image.pixel(c, r),
                 scale.colourAt(double(m->value(std::size_t(r), std::size_t(c)))));
    QCOMPARE(QColor(image.pixel(3, 0)), QColor(Qt::white));  // value 0
    QVERIFY(QColor(image.pixel(1, 0)).lightness() < 80);     // the limit: the darkest blue
    QVERIFY(heatmap.title().contains(QStringLiteral("4 × 4 items")));
  }

  // Signed: blue-white-red symmetric around 0, so 0 is white and the sign shows.
  void signedMatrixGetsADivergingScale() {
    SimilarityHeatmap heatmap;
    const auto m = smallMatrix(true);
    heatmap.setMatrix(m);
    const auto& scale = heatmap.scale().scale;
    QCOMPARE(scale.palette(), reco::ui::Palette::BlueWhiteRed);
    QCOMPARE(scale.low(), -scale.high());
    QVERIFY(scale.high() > 0.25 && scale.high() <= 0.3 + 1e-6);
    const QColor zero = QColor::fromRgb(scale.colourAt(0));
    QVERIFY(zero.red() > 240 && zero.green() > 240 && zero.blue() > 240);
    const QImage& image = heatmap.cellImage();
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 4; ++c)
        QCOMPARE(image.pixel(c, r),
                 scale.colourAt(double(m->value(std::size_t(r), std::size_t(c)))));
    const QColor negative(image.pixel(3, 0));  // -0.2
    const QColor positive(image.pixel(1, 0));  // 0.3
    QVERIFY(negative.blue() > negative.red());
    QVERIFY(positive.red() > positive.blue());
  }

  // One outlier among 900 cells does not take the scale: the limit is the 99th percentile.
  void limitsIgnoreOutliers() {
    auto m = std::make_shared<SimilarityMatrix>();
    m->measure = "test";
    const int n = 30;
    for (int i = 0; i < n; ++i) m->labels.push_back({i, std::to_string(i), "", "", {}, 0});
    for (int i = 0; i < n * n; ++i) m->values.push_back(float(i % 7) / 10.0f);
    m->values[5] = 100.0f;
    const reco::ui::HeatmapScale scale = reco::ui::chooseHeatmapScale(*m);
    QVERIFY2(scale.scale.high() <= 0.6 + 1e-6, qPrintable(QString::number(scale.scale.high())));
    QVERIFY(scale.note.contains(QStringLiteral("99th percentile")));
    QVERIFY(scale.note.contains(QStringLiteral("100")));
  }

  void hoverTellsBothTitlesAndTheValue() {
    SimilarityHeatmap heatmap;
    heatmap.setMatrix(smallMatrix(false));
    heatmap.resize(700, 500);
    heatmap.show();
    QVERIFY(QTest::qWaitForWindowExposed(&heatmap));
    QSignalSpy hovered(&heatmap, &SimilarityHeatmap::hoverTextChanged);
    send(heatmap, QEvent::MouseMove, heatmap.cellRect(1, 2).center(), Qt::NoButton);
    const QString text = heatmap.hoverText();
    QVERIFY2(text.contains(QStringLiteral("row: Beta (id1)")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("column: Gamma (id2)")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("0.25")), qPrintable(text));
    QCOMPARE(hovered.count(), 1);
    QVERIFY(heatmap.showsRowLabels());  // 4 cells are large enough to read
  }

  void clicksEmitTheCellsEntities() {
    SimilarityHeatmap heatmap;
    heatmap.setMatrix(smallMatrix(false));
    heatmap.resize(700, 500);
    QSignalSpy clicked(&heatmap, &SimilarityHeatmap::itemClicked);
    QSignalSpy activated(&heatmap, &SimilarityHeatmap::itemActivated);
    QSignalSpy users(&heatmap, &SimilarityHeatmap::userActivated);
    const QPointF centre = heatmap.cellRect(2, 3).center();
    send(heatmap, QEvent::MouseButtonPress, centre, Qt::LeftButton);
    send(heatmap, QEvent::MouseButtonRelease, centre, Qt::LeftButton);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).value<std::int32_t>(), 102);
    QCOMPARE(clicked.at(0).at(1).value<std::int32_t>(), 103);
    send(heatmap, QEvent::MouseButtonDblClick, centre, Qt::LeftButton);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).value<std::int32_t>(), 103);

    auto userMatrix = smallMatrix(false);
    userMatrix->users = true;
    heatmap.setMatrix(userMatrix);
    send(heatmap, QEvent::MouseButtonDblClick, heatmap.cellRect(0, 1).center(), Qt::LeftButton);
    QCOMPARE(users.count(), 1);
    QCOMPARE(users.at(0).at(0).value<std::int32_t>(), 101);
    QCOMPARE(activated.count(), 1);
  }

  // The wheel zooms around the cursor (the cell under it stays under it), a drag pans, a
  // shift-drag zooms to the band, a double-click outside the cells resets.
  void zoomsPansAndResets() {
    SimilarityHeatmap heatmap;
    heatmap.setMatrix(plantedMatrix(60));
    heatmap.resize(900, 700);
    const QPointF at = heatmap.cellRect(40, 20).center();
    wheel(heatmap, at, 480);
    QVERIFY(heatmap.view().width() < 40);
    const auto under = heatmap.cellAt(at);
    QVERIFY(under.has_value());
    QCOMPARE(under->row, 40);
    QCOMPARE(under->column, 20);
    const QRectF before = heatmap.view();
    drag(heatmap, at, at + QPointF(-60, 0), Qt::LeftButton, Qt::NoModifier);
    QVERIFY(heatmap.view().left() > before.left());
    send(heatmap, QEvent::MouseButtonDblClick, QPointF(3, 690), Qt::LeftButton);
    QCOMPARE(heatmap.view(), QRectF(0, 0, 60, 60));
    drag(heatmap, heatmap.cellRect(10, 10).topLeft(), heatmap.cellRect(19, 19).bottomRight(),
         Qt::LeftButton, Qt::ShiftModifier);
    QVERIFY(std::abs(heatmap.view().width() - 10) < 0.5);
    QVERIFY(std::abs(heatmap.view().left() - 10) < 0.5);
    heatmap.reset();
    QCOMPARE(heatmap.view(), QRectF(0, 0, 60, 60));
  }

  // 1,000 x 1,000 cells: no labels at full view, labels once zoomed in; a frame blits
  // the cached image. Times are printed, not asserted.
  void aThousandByAThousandCells() {
    auto m = std::make_shared<SimilarityMatrix>();
    m->measure = "cosine of the item vectors";
    m->isSigned = true;
    const int n = 1000;
    std::mt19937 random(3);
    std::uniform_real_distribution<float> value(-1, 1);
    for (int i = 0; i < n; ++i) m->labels.push_back({i, std::to_string(i), "Item", "", {}, 0});
    m->values.resize(std::size_t(n) * n);
    for (float& v : m->values) v = value(random);
    SimilarityHeatmap heatmap;
    heatmap.resize(900, 700);
    heatmap.show();
    QElapsedTimer timer;
    timer.start();
    heatmap.setMatrix(m);
    qInfo("1000 x 1000: setMatrix (scale limits and cell image) %.1f ms", milliseconds(timer));
    QCOMPARE(heatmap.cellImage().size(), QSize(n, n));
    QVERIFY(!heatmap.showsRowLabels());
    timer.restart();
    QImage frame = heatmap.grab().toImage();
    qInfo("1000 x 1000: grab() at full view %.1f ms", milliseconds(timer));
    for (int i = 0; i < 12; ++i) wheel(heatmap, QPointF(300, 300), 480);
    QVERIFY(heatmap.view().width() < 40);
    QVERIFY(heatmap.showsRowLabels());
    timer.restart();
    frame = heatmap.grab().toImage();
    qInfo("1000 x 1000: grab() zoomed to %.0f cells with labels %.1f ms", heatmap.view().width(),
          milliseconds(timer));
  }

  // 60 clustered items at 900 x 700: labels readable, a dendrogram, the legend; a category
  // order gets bands. The dendrogram's leaves are the display rows.
  void clusteredSixtyItemsShowLabelsTreeAndBands() {
    SimilarityHeatmap heatmap;
    const auto m = plantedMatrix(60);
    QCOMPARE(m->clustering.merges.size(), std::size_t(59));
    heatmap.setMatrix(m);
    heatmap.resize(900, 700);
    QVERIFY(heatmap.showsRowLabels());
    QVERIFY(heatmap.title().contains(QStringLiteral("clustered")));
    // The planted blocks come out as squares on the diagonal: neighbours in the leaf
    // order are mostly of one category.
    int sameNeighbours = 0;
    for (std::size_t d = 1; d < m->size(); ++d)
      sameNeighbours += m->labels[d].category == m->labels[d - 1].category;
    QVERIFY(sameNeighbours >= 56);
    keepPicture(heatmap, QStringLiteral("heatmap-clustered-60.png"));

    auto banded = std::make_shared<SimilarityMatrix>(*m);
    banded->clustering = {};
    std::size_t begin = 0;
    for (std::size_t d = 1; d <= banded->size(); ++d)
      if (d == banded->size() || banded->labels[d].category != banded->labels[begin].category) {
        banded->bands.push_back(
            {banded->labels[begin].category, std::int32_t(begin), std::int32_t(d)});
        begin = d;
      }
    heatmap.setMatrix(banded);
    QVERIFY(heatmap.title().contains(QStringLiteral("by category")));
    send(heatmap, QEvent::MouseMove, heatmap.cellRect(0, 0).topLeft() + QPointF(-6, 3),
         Qt::NoButton);
    QVERIFY2(heatmap.hoverText().startsWith(QStringLiteral("category: ") +
                                            QString::fromStdString(banded->labels[0].category)),
             qPrintable(heatmap.hoverText()));
    keepPicture(heatmap, QStringLiteral("heatmap-bands-60.png"));

    QTemporaryDir dir;
    const QString path = dir.filePath("heatmap.png");
    QCOMPARE(heatmap.exportPng(path), QString());
    QImage picture(path);
    QVERIFY(picture.width() >= 900 && picture.height() >= 700);
  }

  void mapHitTestFindsTheNearestItem() {
    ItemMapView view;
    view.setMap(gridMap());
    view.resize(900, 700);
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    QVERIFY(!view.showsDensity());
    QCOMPARE(view.drawnVisibleCount(), std::size_t(100));
    const QPointF at = view.positionOf(34);
    QCOMPARE(view.pointAt(at + QPointF(3, -2)), std::optional<std::size_t>(34));
    QCOMPARE(view.pointAt(view.positionOf(35) - QPointF(5, 0)), std::optional<std::size_t>(35));
    // Between two points, farther than 8 pixels from either: nothing.
    QVERIFY(!view.pointAt((view.positionOf(34) + view.positionOf(35)) / 2).has_value());
    QVERIFY(!view.pointAt(QPointF(view.width() - 5, 5)).has_value());
    send(view, QEvent::MouseMove, view.positionOf(1), Qt::NoButton);
    QVERIFY2(view.hoverText().contains(QStringLiteral("blue SHOE")), qPrintable(view.hoverText()));
    QVERIFY(view.hoverText().contains(QStringLiteral("Hats")));
    QVERIFY(view.hoverText().contains(QStringLiteral("popularity: 2")));
    QSignalSpy activated(&view, &ItemMapView::itemActivated);
    send(view, QEvent::MouseButtonDblClick, view.positionOf(34), Qt::LeftButton);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).value<std::int32_t>(), 534);
  }

  void rubberBandSelectsExactlyThePointsInside() {
    ItemMapView view;
    view.setMap(gridMap());
    view.resize(900, 700);
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    QSignalSpy selected(&view, &ItemMapView::selectionChanged);
    // From just outside (2, 2) to just outside (5, 4): x in 2..5, y in 2..4.
    const QPointF a = view.positionOf(2 * 10 + 2);
    const QPointF b = view.positionOf(4 * 10 + 5);
    const double slack = (view.positionOf(1).x() - view.positionOf(0).x()) * 0.3;
    drag(view, QPointF(a.x() - slack, a.y() + slack), QPointF(b.x() + slack, b.y() - slack),
         Qt::LeftButton, Qt::ShiftModifier);
    QCOMPARE(selected.count(), 1);
    std::vector<std::int32_t> expected;
    for (int y = 2; y <= 4; ++y)
      for (int x = 2; x <= 5; ++x) expected.push_back(500 + y * 10 + x);
    const auto got = selected.at(0).at(0).value<std::vector<std::int32_t>>();
    QCOMPARE(got, expected);
    QCOMPARE(view.selectedItems(), expected);
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    keepPicture(view, QStringLiteral("map-grid-selection.png"));
    // A click on empty ground clears it.
    const QPointF empty = (view.positionOf(0) + view.positionOf(11)) / 2;
    send(view, QEvent::MouseButtonPress, empty, Qt::LeftButton);
    send(view, QEvent::MouseButtonRelease, empty, Qt::LeftButton);
    QCOMPARE(selected.count(), 2);
    QVERIFY(view.selectedItems().empty());
  }

  void highlightMatchesTitlesCaseInsensitively() {
    ItemMapView view;
    view.setMap(gridMap());
    view.resize(600, 400);
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    QSignalSpy changed(&view, &ItemMapView::highlightChanged);
    view.setHighlight(QStringLiteral("shoe"));
    QVERIFY(changed.wait(kDrawTimeoutMs));
    QCOMPARE(changed.last().at(0).toInt(), 2);
    view.setHighlight(QStringLiteral("äRGER"));
    QVERIFY(changed.wait(kDrawTimeoutMs));
    QCOMPARE(changed.last().at(0).toInt(), 1);
    view.setHighlight(QStringLiteral("g9"));  // ids too: G9, G90..G99
    QVERIFY(changed.wait(kDrawTimeoutMs));
    QCOMPARE(changed.last().at(0).toInt(), 11);
    view.setHighlight(QString());
    QCOMPARE(changed.last().at(0).toInt(), 0);
    QCOMPARE(view.highlightCount(), std::size_t(0));
  }

  void densityDrawingAboveThePointLimit() {
    ItemMapView view;
    view.resize(900, 700);
    view.show();
    view.setMap(cloudMap(ItemMapView::kPointLimit - 5000, 6, true));
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    QVERIFY(!view.showsDensity());
    qInfo("45,000 points drawn as discs in %.1f ms (worker)", view.lastDrawMilliseconds());
    keepPicture(view, QStringLiteral("map-45k.png"));

    view.setMap(cloudMap(ItemMapView::kPointLimit + 10000, 6, true));
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    QVERIFY(view.showsDensity());
    QCOMPARE(view.drawnVisibleCount(), ItemMapView::kPointLimit + 10000);
    // Zoomed in far enough, the points in view are drawn one by one again.
    view.zoomAt(view.positionOf(0), 8);
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    QVERIFY(view.drawnVisibleCount() < ItemMapView::kPointLimit);
    QVERIFY(!view.showsDensity());
  }

  void fiveThousandItemsInCategoriesAndByPopularity() {
    ItemMapView view;
    view.resize(900, 700);
    view.show();
    view.setMap(cloudMap(5000, 12, true));
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    keepPicture(view, QStringLiteral("map-5k-category.png"));
    view.setColouring(reco::ui::MapColouring::Popularity);
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    keepPicture(view, QStringLiteral("map-5k-popularity.png"));
    auto neighbour = cloudMap(5000, 4, false);
    view.setMap(neighbour);
    view.setHighlight(QStringLiteral("product 12"));
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn() && view.highlightCount() == 111, kDrawTimeoutMs);
    keepPicture(view, QStringLiteral("map-5k-neighbour-highlight.png"));
  }

  // A million points: the drawing runs off the GUI thread; a paint only blits it, also
  // while a pan waits for the next drawing. Times are printed, not asserted.
  void aMillionPointsPaintFromTheCache() {
    ItemMapView view;
    view.resize(900, 700);
    view.show();
    const auto map = cloudMap(1000000, 8, true);
    QElapsedTimer timer;
    timer.start();
    view.setMap(map);
    const double setMs = milliseconds(timer);
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    QVERIFY(view.showsDensity());
    qInfo(
        "1M points: setMap %.2f ms on the GUI thread, index and first drawing ready after "
        "%.0f ms, the drawing took %.1f ms (worker)",
        setMs, milliseconds(timer), view.lastDrawMilliseconds());
    timer.restart();
    QImage frame = view.grab().toImage();
    qInfo("1M points: grab() of a drawn view %.2f ms", milliseconds(timer));
    QVERIFY(!frame.isNull());
    const QPointF centre(view.width() / 3.0, view.height() / 2.0);
    drag(view, centre, centre + QPointF(80, 40), Qt::LeftButton, Qt::NoModifier);
    timer.restart();
    frame = view.grab().toImage();
    qInfo("1M points: grab() while the panned view is being drawn %.2f ms (drawn: %d)",
          milliseconds(timer), int(view.isDrawn()));
    timer.restart();
    send(view, QEvent::MouseMove, view.positionOf(12345), Qt::NoButton);
    qInfo("1M points: hover lookup %.2f ms", milliseconds(timer));
    QVERIFY(view.hoverText().contains(QStringLiteral("Product")));
    view.zoomAt(centre, 1.6);
    timer.restart();
    frame = view.grab().toImage();
    qInfo("1M points: grab() while the zoomed view is being drawn (scaled blit) %.2f ms",
          milliseconds(timer));
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    qInfo("1M points: drawing after the pan and zoom %.1f ms (worker)",
          view.lastDrawMilliseconds());
    keepPicture(view, QStringLiteral("map-1m.png"));
    // A search among a million: the few matches are drawn as discs over the density.
    QSignalSpy matched(&view, &ItemMapView::highlightChanged);
    timer.restart();
    view.setHighlight(QStringLiteral("product 12345"));
    QVERIFY(matched.wait(kDrawTimeoutMs));
    qInfo("1M points: search matched in %.0f ms (worker)", milliseconds(timer));
    QCOMPARE(view.highlightCount(), std::size_t(11));
    QTRY_VERIFY_WITH_TIMEOUT(view.isDrawn(), kDrawTimeoutMs);
    QVERIFY(view.showsDensity());
    keepPicture(view, QStringLiteral("map-1m-highlight.png"));
  }

  // Last: the CSV is the core's one format (writeSimilarityMatrixCsv), one line per row
  // plus the header.
  void csvExportWritesOneLinePerRowAndAHeader() {
    SimilarityHeatmap heatmap;
    QVERIFY(!heatmap.exportCsv(QStringLiteral("/tmp/none.csv")).isEmpty());  // no matrix
    heatmap.setMatrix(smallMatrix(false));
    QTemporaryDir dir;
    const QString path = dir.filePath("matrix.csv");
    QCOMPARE(heatmap.exportCsv(path), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QVERIFY(lines.at(0).startsWith("id,title,category,"));
    QVERIFY(lines.at(2).startsWith("id1,Beta,Books,"));
  }
};

QTEST_MAIN(TestSimilarityPlots)
#include "test_similarity_plots.moc"
