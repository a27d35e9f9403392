#pragma once
/// The similarity heatmap (issue 13): a SimilarityMatrix drawn as coloured cells with a title
/// line, a colour legend, row and column labels when cells are large enough to read them,
/// a dendrogram along the top and left for a clustered order, and category bands for the
/// category order. GUI thread only; it only paints and reacts (the matrix comes computed).
///
/// Interaction:
/// - hover a cell: a tooltip and hoverTextChanged with both titles, ids and the value;
///   hover a band: its category;
/// - click a cell: itemClicked; double-click a cell: itemActivated (items) or userActivated
///   (users) for the column's entity; double-click outside the cells: reset();
/// - mouse wheel: zooms around the cursor; left drag: pans;
/// - shift + left drag, or right drag: a rubber band, and the view zooms to it (the view
///   stays square, so the band's longer side decides).

#include <QImage>
#include <QPoint>
#include <QRect>
#include <QRectF>
#include <QString>
#include <QWidget>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/training/similarity_matrix.h"
#include "ui/plots/colour_scale.h"

class QPainter;

namespace reco::ui {

/// The colour scale of a matrix and why its limits are where they are.
struct HeatmapScale {
  ColourScale scale;
  /// The limits in words, for the legend: "0 to 0.83: the 99th percentile of the
  /// off-diagonal values; larger ones (up to 1) take the darkest colour".
  QString note;
};

/// Robust limits: a diverging scale symmetric around 0 for signed matrices (isSigned), a
/// sequential one from 0 otherwise; the upper limit is the 99th percentile of the absolute
/// off-diagonal values (the diagonal is the model's self value, which would wash out every
/// other cell), so a few outliers never take the whole scale. O(n^2).
HeatmapScale chooseHeatmapScale(const SimilarityMatrix& matrix);

/// The cell (row, column) under a point of the widget.
struct HeatmapCell {
  int row = 0;
  int column = 0;
};

class SimilarityHeatmap : public QWidget {
  Q_OBJECT

 public:
  explicit SimilarityHeatmap(QWidget* parent = nullptr);
  ~SimilarityHeatmap() override;

  /// Shows `matrix` (null: nothing, with a note) at full view. Builds the cell image once:
  /// O(n^2), a few milliseconds at 1,000 x 1,000.
  void setMatrix(std::shared_ptr<const SimilarityMatrix> matrix);
  const std::shared_ptr<const SimilarityMatrix>& matrix() const { return matrix_; }

  /// One pixel per cell, (column, row), as the scale colours it; null without a matrix.
  const QImage& cellImage() const { return cells_; }
  const HeatmapScale& scale() const { return scale_; }
  /// The title line: the measure's name, n x n, the order.
  QString title() const;
  /// A measure's text split for display: its name ("itemknn cosine similarity") and the
  /// details it gives in parentheses ("shrink 0; each item keeps ..."), or "" when none.
  static std::pair<QString, QString> splitMeasure(const std::string& measure);
  /// The text of the last hover (empty when the pointer is on nothing).
  QString hoverText() const { return hoverText_; }
  /// Where cell (row, column) is on the widget now; empty when outside the view.
  QRectF cellRect(int row, int column) const;
  std::optional<HeatmapCell> cellAt(QPointF position) const;
  /// Whether row labels are drawn at the current size and zoom.
  bool showsRowLabels() const;
  /// The visible square of the matrix, in cells: (first column, first row, span, span).
  QRectF view() const { return view_; }

  /// Writes a picture of the widget (title, cells, axes and legend) as PNG, at least
  /// 900 x 700 pixels. Never over the workspace at `workspacePath` (empty: none known), its
  /// -wal/-shm/-journal or any SQLite file, links followed (export_file.h). Returns the
  /// error in words, empty on success.
  QString exportPng(const QString& path, const QString& workspacePath = {});
  /// Writes the matrix as writeSimilarityMatrixCsv does, refused as exportPng is. Returns
  /// the error, empty on success.
  QString exportCsv(const QString& path, const QString& workspacePath = {}) const;

  QSize sizeHint() const override { return {900, 700}; }
  QSize minimumSizeHint() const override { return {320, 240}; }

 public slots:
  /// Back to the whole matrix.
  void reset();

 signals:
  /// A click on cell (row, column): the dataset indices of the row's and the column's
  /// entities (items, or users when matrix()->users).
  void itemClicked(std::int32_t rowEntity, std::int32_t columnEntity);
  /// A double-click on a cell of an item matrix: the column's dataset item.
  void itemActivated(std::int32_t datasetItem);
  /// A double-click on a cell of a user matrix: the column's dataset user.
  void userActivated(std::int32_t datasetUser);
  /// What the pointer is over, in words (for a status line); empty when nothing.
  void hoverTextChanged(const QString& text);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  /// Where each part goes in a picture of a given size (widget or export).
  struct Geometry {
    QRect title, legend;
    QRect cells;  ///< the square of visible cells
    QRect rowTree, columnTree, rowBands, columnBands, rowLabels, columnLabels;  ///< may be empty
    double cellPixels = 0;  ///< side of one cell
    int labelPixels = 0;    ///< pixel size of the label font; 0 without labels
  };
  /// For a view `span` cells wide (the labels come and go with the cell size).
  Geometry geometry(QSize size, double span) const;
  Geometry geometry(QSize size) const { return geometry(size, view_.width()); }
  /// Paints everything into `size` (the widget's, or an export's).
  void paintAll(QPainter& painter, QSize size) const;
  void paintLegend(QPainter& painter, const Geometry& geometry) const;
  void paintAxes(QPainter& painter, const Geometry& geometry) const;
  void paintTrees(QPainter& painter, const Geometry& geometry) const;
  void setView(QRectF view);
  void setHover(const QString& text, QPoint globalPosition);
  QString describeCell(const HeatmapCell& cell) const;
  QString describeAt(QPointF position) const;

  std::shared_ptr<const SimilarityMatrix> matrix_;
  QImage cells_;
  HeatmapScale scale_;
  /// The dendrogram's nodes in cells along the axis (leaves at r + 0.5) and height (0 at
  /// the leaves, 1 at the root), leaves first, then one node per merge.
  std::vector<QPointF> treeNodes_;
  QRectF view_;
  QString hoverText_;
  enum class Drag { None, Pan, Band } drag_ = Drag::None;
  QPoint pressPosition_;
  QPoint lastPosition_;
  bool moved_ = false;
};

}  // namespace reco::ui
