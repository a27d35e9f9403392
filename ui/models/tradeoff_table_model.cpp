#include "ui/models/tradeoff_table_model.h"

#include <QBrush>
#include <QColor>
#include <cmath>
#include <limits>

#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"
#include "ui/plots/compare_plot_support.h"

namespace reco::ui {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

bool isNumberColumn(int column) {
  return column == TradeoffTableModel::kXColumn || column == TradeoffTableModel::kYColumn ||
         column == TradeoffTableModel::kDeltaColumn || column == TradeoffTableModel::kPColumn;
}

QString formatP(double p) {
  if (!std::isfinite(p)) return QStringLiteral("–");
  if (p < 1e-4) return QStringLiteral("< 0.0001");
  return formatNumber(p, 4);
}

}  // namespace

TradeoffTableModel::TradeoffTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TradeoffTableModel::setTradeoff(std::shared_ptr<const reco::Tradeoff> tradeoff,
                                     const QString& xMetric, const QString& yMetric) {
  beginResetModel();
  tradeoff_ = std::move(tradeoff);
  xMetric_ = xMetric;
  yMetric_ = yMetric;
  rows_.clear();
  if (tradeoff_) {
    const std::string x = toStdString(xMetric), y = toStdString(yMetric);
    for (std::size_t c = 0; c < tradeoff_->curves.size(); ++c) {
      const auto& curve = tradeoff_->curves[c];
      const auto coords = reco::tradeoffCoordinates(curve, x, y);
      std::optional<double> plainY;
      if (curve.curve.hasPlain && !coords.empty() && coords.front().y)
        plainY = coords.front().y->mean;
      for (std::size_t i = 0; i < coords.size(); ++i) rows_.push_back({c, i, coords[i], plainY});
    }
  }
  endResetModel();
}

int TradeoffTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int TradeoffTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant TradeoffTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(rows_.size())) return {};
  const Row& row = rows_[std::size_t(index.row())];
  const auto& curve = tradeoff_->curves[row.curve];
  const auto& point = curve.curve.points[row.point];
  const int decimalsX = metricDecimals(xMetric_), decimalsY = metricDecimals(yMetric_);
  const bool isPlain = point.plain;
  const std::optional<double> delta = row.at.y && row.plainY && !isPlain
                                          ? std::optional<double>(row.at.y->mean - *row.plainY)
                                          : std::nullopt;
  const std::optional<double> p =
      row.at.yTest ? std::optional<double>(row.at.yTest->pHolm) : std::nullopt;
  auto value = [&]() -> std::optional<double> {
    switch (index.column()) {
      case kXColumn: return row.at.x ? std::optional<double>(row.at.x->mean) : std::nullopt;
      case kYColumn: return row.at.y ? std::optional<double>(row.at.y->mean) : std::nullopt;
      case kDeltaColumn: return delta;
      case kPColumn: return p;
      default: return std::nullopt;
    }
  };
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case kCurveColumn: return toQString(curve.curve.label);
        case kPointColumn: return toQString(point.label);
        case kRunColumn: return toQString(point.run.name);
        case kXColumn: return row.at.x ? formatNumber(row.at.x->mean, decimalsX) : QString();
        case kYColumn: {
          if (!row.at.y) return QString();
          const auto& y = *row.at.y;
          QString text = formatNumber(y.mean, decimalsY);
          if (y.ciLow && y.ciHigh)
            text += QStringLiteral(" ±%1").arg(formatNumber((*y.ciHigh - *y.ciLow) / 2, decimalsY));
          return text;
        }
        case kDeltaColumn:
          if (isPlain) return QStringLiteral("(plain)");
          return delta ? (*delta >= 0 ? QStringLiteral("+") : QString()) +
                             formatNumber(*delta, decimalsY)
                       : QString();
        case kPColumn: {
          if (isPlain || !p) return QString();
          const QString mark = row.at.yMark > 0   ? QStringLiteral("  ▲")
                               : row.at.yMark < 0 ? QStringLiteral("  ▼")
                                                  : QString();
          return formatP(*p) + mark;
        }
        default: return {};
      }
    case Qt::ForegroundRole:
      if (index.column() == kPColumn && row.at.yMark != 0)
        return QBrush(row.at.yMark > 0 ? QColor(0x1e, 0x7a, 0x3c) : QColor(0xa3, 0x2f, 0x2f));
      return {};
    case Qt::TextAlignmentRole:
      return isNumberColumn(index.column()) ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                            : QVariant(int(Qt::AlignLeft | Qt::AlignVCenter));
    case Qt::DecorationRole:
      return index.column() == kPointColumn ? QVariant(runColor(int(row.curve))) : QVariant();
    case Qt::ToolTipRole:
      if (index.column() == kPColumn && row.at.yTest)
        return QStringLiteral(
                   "%1 against the plain run %2: mean difference %3 over %4 users, "
                   "p = %5, Holm-corrected over the curve's points p = %6.")
            .arg(metricLabel(yMetric_), toQString(curve.curve.baseName).toHtmlEscaped(),
                 formatNumber(row.at.yTest->meanDifference, decimalsY + 1),
                 formatCount(std::int64_t(row.at.yTest->pairs)), formatP(row.at.yTest->p),
                 formatP(row.at.yTest->pHolm));
      if (index.column() == kRunColumn) return plainToolTip(toQString(point.run.name));
      return {};
    case SortRole: {
      if (!isNumberColumn(index.column())) return data(index, Qt::DisplayRole);
      const auto v = value();
      return v ? *v : kNan;
    }
    case ValueRole: {
      const auto v = value();
      return v ? QVariant(*v) : QVariant();
    }
    case MarkRole: return index.column() == kPColumn ? QVariant(row.at.yMark) : QVariant();
    default: return {};
  }
}

QVariant TradeoffTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= kColumnCount) return {};
  if (role == Qt::DisplayRole) {
    switch (section) {
      case kCurveColumn: return QStringLiteral("Curve");
      case kPointColumn: return QStringLiteral("Point");
      case kRunColumn: return QStringLiteral("Run");
      case kXColumn: return metricLabel(xMetric_);
      case kYColumn: return metricLabel(yMetric_);
      case kDeltaColumn: return QStringLiteral("Δ vs plain");
      case kPColumn: return QStringLiteral("p (Holm)");
      default: return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case kXColumn:
        return metricHelp(xMetric_) +
               (reco::isPerUserMetric(toStdString(xMetric_))
                    ? QString()
                    : QStringLiteral("<p>A catalogue metric: one value per run, no CI.</p>"));
      case kYColumn: return metricHelp(yMetric_) + QStringLiteral("<p>± half the 95% CI.</p>");
      case kDeltaColumn:
        return QStringLiteral("The change of %1 against the curve's plain run.")
            .arg(metricLabel(yMetric_));
      case kPColumn:
        return QStringLiteral(
                   "Paired test of %1 against the curve's plain run on the users both evaluated, "
                   "Holm-corrected across the curve's points. ▲/▼: significantly better/worse.")
            .arg(metricLabel(yMetric_));
      default: return {};
    }
  }
  return {};
}

}  // namespace reco::ui
