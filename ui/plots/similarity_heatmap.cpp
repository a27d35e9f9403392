// The heatmap's state and interaction; its painting is in heatmap_axes.cpp.
#include "ui/plots/similarity_heatmap.h"

#include <QBuffer>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/common/error.h"
#include "ui/convert/qt_convert.h"
#include "ui/plots/export_file.h"

namespace reco::ui {

namespace {

constexpr double kClipQuantile = 0.99;
constexpr std::size_t kQuantileSample = 200000;
constexpr double kWheelStep = 1.0015;  // zoom per eighth of a degree of wheel turn
constexpr int kClickSlop = 4;          // pixels a press may move and still be a click
constexpr double kMinSpan = 4;         // the most a view zooms in, in cells
constexpr int kMinExportWidth = 900;
constexpr int kMinExportHeight = 700;

QString locale3(double value) {
  return displayLocale().toString(value, 'g', 3);
}

/// "Title (id)", the id alone without a title ("user id" for users, who have none).
QString entityName(const SimilarityLabel& label, bool user) {
  if (user) return QStringLiteral("user %1").arg(toQString(label.externalId));
  if (label.title.empty()) return toQString(label.externalId);
  return QStringLiteral("%1 (%2)").arg(toQString(label.title), toQString(label.externalId));
}

/// The dendrogram's nodes (see treeNodes_), or none when the merges do not form a tree
/// over the n rows (a matrix in another order, or a draft of another convention).
std::vector<QPointF> dendrogramNodes(const SimilarityMatrix& matrix) {
  const auto n = std::int32_t(matrix.size());
  const auto& merges = matrix.clustering.merges;
  if (n < 2 || merges.size() != std::size_t(n - 1)) return {};
  double lowest = merges.front().similarity;
  double highest = lowest;
  for (const similarity::Merge& merge : merges) {
    lowest = std::min(lowest, merge.similarity);
    highest = std::max(highest, merge.similarity);
  }
  // The earliest merges stand a little above the leaves, the last one at the top.
  const double range = highest - lowest;
  const double top = highest + (range > 0 ? 0.05 * range : 1.0);
  std::vector<QPointF> nodes;
  nodes.reserve(std::size_t(2 * n - 1));
  for (std::int32_t r = 0; r < n; ++r) nodes.emplace_back(r + 0.5, 0.0);
  for (std::size_t k = 0; k < merges.size(); ++k) {
    const similarity::Merge& merge = merges[k];
    const auto made = std::int32_t(n + k);
    if (merge.left < 0 || merge.right < 0 || merge.left >= made || merge.right >= made) return {};
    const QPointF& a = nodes[std::size_t(merge.left)];
    const QPointF& b = nodes[std::size_t(merge.right)];
    const double height = std::clamp((top - merge.similarity) / (top - lowest), 0.0, 1.0);
    nodes.emplace_back((a.x() + b.x()) / 2, std::max({height, a.y(), b.y()}));
  }
  return nodes;
}

}  // namespace

HeatmapScale chooseHeatmapScale(const SimilarityMatrix& matrix) {
  const std::size_t n = matrix.size();
  // A symmetric matrix needs only its upper triangle. The quantile is taken over at most
  // ~kQuantileSample evenly strided values (every one counts for the largest), so that a
  // 1,000 x 1,000 matrix costs a few milliseconds.
  const std::size_t considered = matrix.isSymmetric ? n * (n - 1) / 2 : n * (n - 1);
  const std::size_t stride = std::max<std::size_t>(1, considered / kQuantileSample);
  std::vector<float> magnitudes;
  magnitudes.reserve(considered / stride + n + 1);
  float largest = 0;
  std::size_t seen = 0;
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = matrix.isSymmetric ? r : 0; c < n; ++c) {
      if (r == c && n > 1) continue;
      const float value = matrix.values[r * n + c];
      if (!std::isfinite(value)) continue;
      const float magnitude = matrix.isSigned ? std::abs(value) : std::max(value, 0.0f);
      if (seen++ % stride == 0) magnitudes.push_back(magnitude);
      largest = std::max(largest, magnitude);
    }
  }
  double limit = 0;
  if (!magnitudes.empty()) {
    const auto at = std::size_t(kClipQuantile * double(magnitudes.size() - 1));
    std::nth_element(magnitudes.begin(), magnitudes.begin() + std::ptrdiff_t(at), magnitudes.end());
    limit = magnitudes[at];
  }
  const bool clipped = limit > 0 && double(largest) > limit;
  if (limit <= 0) limit = largest > 0 ? double(largest) : 1.0;

  HeatmapScale result;
  const QString diagonal = n > 1 ? QStringLiteral(
                                       " (the diagonal, each entity with itself, is "
                                       "left out)")
                                 : QString();
  if (matrix.isSigned) {
    result.scale = ColourScale(Palette::BlueWhiteRed, -limit, limit);
    result.note = clipped ? QStringLiteral(
                                "Limits ±%1: the 99th percentile of |value| off the "
                                "diagonal%2; beyond them (up to ±%3) cells take the "
                                "end colours.")
                                .arg(locale3(limit), diagonal, locale3(largest))
                          : QStringLiteral("Limits ±%1: the largest |value| off the diagonal%2.")
                                .arg(locale3(limit), diagonal);
  } else {
    result.scale = ColourScale(Palette::Blues, 0, limit);
    result.note = clipped ? QStringLiteral(
                                "Limits 0 to %1: the 99th percentile of the values off "
                                "the diagonal%2; larger ones (up to %3) take the "
                                "darkest colour.")
                                .arg(locale3(limit), diagonal, locale3(largest))
                          : QStringLiteral("Limits 0 to %1: the largest value off the diagonal%2.")
                                .arg(locale3(limit), diagonal);
  }
  return result;
}

SimilarityHeatmap::SimilarityHeatmap(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("similarityHeatmap"));
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
}

SimilarityHeatmap::~SimilarityHeatmap() = default;

void SimilarityHeatmap::setMatrix(std::shared_ptr<const SimilarityMatrix> matrix) {
  matrix_ = std::move(matrix);
  cells_ = QImage();
  treeNodes_.clear();
  hoverText_.clear();
  if (matrix_ && matrix_->size() > 0 &&
      matrix_->values.size() == matrix_->size() * matrix_->size()) {
    const auto n = int(matrix_->size());
    scale_ = chooseHeatmapScale(*matrix_);
    cells_ = QImage(n, n, QImage::Format_RGB32);
    for (int r = 0; r < n; ++r) {
      auto* line = reinterpret_cast<QRgb*>(cells_.scanLine(r));
      const float* values = matrix_->values.data() + std::size_t(r) * std::size_t(n);
      for (int c = 0; c < n; ++c) line[c] = scale_.scale.colourAt(double(values[c]));
    }
    treeNodes_ = dendrogramNodes(*matrix_);
  } else {
    matrix_.reset();
    scale_ = {};
  }
  reset();
}

void SimilarityHeatmap::reset() {
  const double n = matrix_ ? double(matrix_->size()) : 1.0;
  view_ = QRectF(0, 0, n, n);
  update();
}

void SimilarityHeatmap::setView(QRectF view) {
  if (!matrix_) return;
  const double n = double(matrix_->size());
  const double span = std::clamp(std::max(view.width(), view.height()), std::min(kMinSpan, n), n);
  const QPointF centre = view.center();
  const double x = std::clamp(centre.x() - span / 2, 0.0, n - span);
  const double y = std::clamp(centre.y() - span / 2, 0.0, n - span);
  view_ = QRectF(x, y, span, span);
  update();
}

std::pair<QString, QString> SimilarityHeatmap::splitMeasure(const std::string& measure) {
  const QString text = toQString(measure);
  const qsizetype open = text.indexOf(QStringLiteral(" ("));
  if (open < 0 || !text.endsWith(QLatin1Char(')'))) return {text, QString()};
  return {text.left(open), text.mid(open + 2, text.size() - open - 3)};
}

QString SimilarityHeatmap::title() const {
  if (!matrix_) return QStringLiteral("Similarity");
  const SimilarityMatrix& m = *matrix_;
  const QString order = !m.clustering.merges.empty() ? QStringLiteral("clustered (average linkage)")
                        : !m.bands.empty()           ? QStringLiteral("by category")
                                                     : QStringLiteral("as listed");
  QString text = QStringLiteral("%1 · %2 × %2 %3 · order: %4")
                     .arg(splitMeasure(m.measure).first, formatCount(std::int64_t(m.size())),
                          m.users ? QStringLiteral("users") : QStringLiteral("items"), order);
  if (view_.width() < double(m.size()))
    text += QStringLiteral(" · zoomed: rows %1–%2 (double-click outside the cells to reset)")
                .arg(int(view_.top()) + 1)
                .arg(int(std::ceil(view_.bottom())));
  return text;
}

QRectF SimilarityHeatmap::cellRect(int row, int column) const {
  if (!matrix_) return {};
  const Geometry g = geometry(size());
  const QRectF rect(g.cells.left() + (column - view_.left()) * g.cellPixels,
                    g.cells.top() + (row - view_.top()) * g.cellPixels, g.cellPixels, g.cellPixels);
  return rect.intersected(QRectF(g.cells));
}

bool SimilarityHeatmap::showsRowLabels() const {
  return matrix_ && geometry(size()).labelPixels > 0;
}

std::optional<HeatmapCell> SimilarityHeatmap::cellAt(QPointF position) const {
  if (!matrix_) return std::nullopt;
  const Geometry g = geometry(size());
  if (!QRectF(g.cells).contains(position) || g.cellPixels <= 0) return std::nullopt;
  const auto column =
      int(std::floor(view_.left() + (position.x() - g.cells.left()) / g.cellPixels));
  const auto row = int(std::floor(view_.top() + (position.y() - g.cells.top()) / g.cellPixels));
  const int n = int(matrix_->size());
  if (row < 0 || column < 0 || row >= n || column >= n) return std::nullopt;
  return HeatmapCell{row, column};
}

QString SimilarityHeatmap::describeCell(const HeatmapCell& cell) const {
  const SimilarityMatrix& m = *matrix_;
  const SimilarityLabel& row = m.labels[std::size_t(cell.row)];
  const SimilarityLabel& column = m.labels[std::size_t(cell.column)];
  const float value = m.value(std::size_t(cell.row), std::size_t(cell.column));
  return QStringLiteral("row: %1\ncolumn: %2\nsimilarity: %3")
      .arg(entityName(row, m.users), entityName(column, m.users),
           displayLocale().toString(double(value), 'g', 4));
}

QString SimilarityHeatmap::describeAt(QPointF position) const {
  if (!matrix_) return {};
  if (const auto cell = cellAt(position)) return describeCell(*cell);
  const Geometry g = geometry(size());
  const auto bandAt = [this](double cellCoordinate) -> QString {
    for (const SimilarityMatrix::Band& band : matrix_->bands) {
      if (cellCoordinate >= band.begin && cellCoordinate < band.end)
        return QStringLiteral("category: %1 (%2 %3)")
            .arg(band.category.empty() ? QStringLiteral("(none)") : toQString(band.category))
            .arg(band.end - band.begin)
            .arg(matrix_->users ? QStringLiteral("users") : QStringLiteral("items"));
    }
    return {};
  };
  const double column = view_.left() + (position.x() - g.cells.left()) / g.cellPixels;
  const double row = view_.top() + (position.y() - g.cells.top()) / g.cellPixels;
  const bool besideRows = position.y() >= g.cells.top() && position.y() < g.cells.bottom();
  const bool besideColumns = position.x() >= g.cells.left() && position.x() < g.cells.right();
  if (besideRows && g.rowBands.contains(position.toPoint())) return bandAt(row);
  if (besideColumns && g.columnBands.contains(position.toPoint())) return bandAt(column);
  const auto labelText = [this](double at) -> QString {
    const auto index = std::size_t(at);
    if (at < 0 || index >= matrix_->size()) return {};
    const SimilarityLabel& label = matrix_->labels[index];
    return label.category.empty()
               ? entityName(label, matrix_->users)
               : QStringLiteral("%1\ncategory: %2")
                     .arg(entityName(label, matrix_->users), toQString(label.category));
  };
  if (besideRows && g.rowLabels.contains(position.toPoint())) return labelText(row);
  if (besideColumns && g.columnLabels.contains(position.toPoint())) return labelText(column);
  return {};
}

void SimilarityHeatmap::setHover(const QString& text, QPoint globalPosition) {
  if (text == hoverText_) return;
  hoverText_ = text;
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(globalPosition, plainToolTip(text), this);
  emit hoverTextChanged(text);
}

void SimilarityHeatmap::mousePressEvent(QMouseEvent* event) {
  pressPosition_ = lastPosition_ = event->position().toPoint();
  moved_ = false;
  const bool band = event->button() == Qt::RightButton ||
                    (event->button() == Qt::LeftButton && event->modifiers() & Qt::ShiftModifier);
  drag_ = band ? Drag::Band : event->button() == Qt::LeftButton ? Drag::Pan : Drag::None;
}

void SimilarityHeatmap::mouseMoveEvent(QMouseEvent* event) {
  const QPoint position = event->position().toPoint();
  if (drag_ != Drag::None) {
    moved_ = moved_ || (position - pressPosition_).manhattanLength() > kClickSlop;
    if (drag_ == Drag::Pan && moved_) {
      const double pixels = geometry(size()).cellPixels;
      if (pixels > 0) {
        const QPointF shift = QPointF(position - lastPosition_) / pixels;
        setView(view_.translated(-shift));
      }
    }
    lastPosition_ = position;
    if (drag_ == Drag::Band) update();
  }
  setHover(describeAt(event->position()), event->globalPosition().toPoint());
}

void SimilarityHeatmap::mouseReleaseEvent(QMouseEvent* event) {
  const Drag drag = std::exchange(drag_, Drag::None);
  if (!matrix_) return;
  const QPoint position = event->position().toPoint();
  if (drag == Drag::Band && moved_) {
    const Geometry g = geometry(size());
    const QRectF band = QRectF(QPointF(pressPosition_), QPointF(position)).normalized();
    const QPointF origin(g.cells.left(), g.cells.top());
    setView(QRectF(view_.topLeft() + (band.topLeft() - origin) / g.cellPixels,
                   band.size() / g.cellPixels));
    return;
  }
  update();
  if (drag == Drag::Pan && !moved_) {
    if (const auto cell = cellAt(event->position())) {
      emit itemClicked(matrix_->labels[std::size_t(cell->row)].index,
                       matrix_->labels[std::size_t(cell->column)].index);
    }
  }
}

void SimilarityHeatmap::mouseDoubleClickEvent(QMouseEvent* event) {
  if (!matrix_ || event->button() != Qt::LeftButton) return;
  if (const auto cell = cellAt(event->position())) {
    const std::int32_t entity = matrix_->labels[std::size_t(cell->column)].index;
    if (matrix_->users)
      emit userActivated(entity);
    else
      emit itemActivated(entity);
  } else {
    reset();
  }
}

void SimilarityHeatmap::wheelEvent(QWheelEvent* event) {
  if (!matrix_) return;
  const Geometry g = geometry(size());
  const double n = double(matrix_->size());
  const double factor = std::pow(kWheelStep, -double(event->angleDelta().y()));
  const double span = std::clamp(view_.width() * factor, std::min(kMinSpan, n), n);
  const QPointF cursor = event->position();
  if (QRectF(g.cells).contains(cursor) && g.cellPixels > 0) {
    // The cell point under the cursor stays under it, in the geometry of the new span
    // (labels may come or go and move the cells).
    const QPointF anchor = view_.topLeft() + (cursor - QPointF(g.cells.topLeft())) / g.cellPixels;
    const Geometry next = geometry(size(), span);
    const QPointF topLeft = anchor - (cursor - QPointF(next.cells.topLeft())) / next.cellPixels;
    setView(QRectF(topLeft, QSizeF(span, span)));
  } else {
    const QPointF centre = view_.center();
    setView(QRectF(centre - QPointF(span, span) / 2, QSizeF(span, span)));
  }
  event->accept();
}

void SimilarityHeatmap::leaveEvent(QEvent* event) {
  QWidget::leaveEvent(event);
  setHover({}, {});
}

void SimilarityHeatmap::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paintAll(painter, size());
  if (drag_ == Drag::Band && moved_) {
    painter.setPen(QPen(QColor(0x20, 0x20, 0x20), 1, Qt::DashLine));
    painter.setBrush(QColor(0x40, 0x70, 0xb0, 40));
    painter.drawRect(QRect(pressPosition_, lastPosition_).normalized());
  }
}

QString SimilarityHeatmap::exportPng(const QString& path, const QString& workspacePath) {
  if (!matrix_) return QStringLiteral("There is no heatmap to export.");
  // Refused before painting: a refusal should not wait for a large picture.
  if (QString problem = exportTargetProblem(path, workspacePath); !problem.isEmpty())
    return problem;
  const QSize size(std::max(width(), kMinExportWidth), std::max(height(), kMinExportHeight));
  QImage picture(size, QImage::Format_RGB32);
  {
    QPainter painter(&picture);
    paintAll(painter, size);
  }
  QByteArray png;
  QBuffer buffer(&png);
  if (!buffer.open(QIODevice::WriteOnly) || !picture.save(&buffer, "PNG"))
    return QStringLiteral("Could not encode the heatmap as PNG for %1.").arg(path);
  return writeExportFile(path, png, workspacePath);
}

QString SimilarityHeatmap::exportCsv(const QString& path, const QString& workspacePath) const {
  if (!matrix_) return QStringLiteral("There is no matrix to export.");
  if (QString problem = exportTargetProblem(path, workspacePath); !problem.isEmpty())
    return problem;
  std::ostringstream text;
  try {
    writeSimilarityMatrixCsv(*matrix_, text);
  } catch (const Error& error) {
    return toQString(error.what());
  }
  return writeExportFile(path, QByteArray::fromStdString(text.str()), workspacePath);
}

}  // namespace reco::ui
