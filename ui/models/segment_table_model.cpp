#include "ui/models/segment_table_model.h"

#include <QStringList>
#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

/// A stored aggregate as a MeanCi (catalogue metrics have no CI: NaN bounds).
reco::MeanCi fromAggregate(const reco::storage::MetricAggregate& m) {
  reco::MeanCi out;
  out.mean = m.mean;
  out.ciLow = m.ciLow.value_or(std::numeric_limits<double>::quiet_NaN());
  out.ciHigh = m.ciHigh.value_or(std::numeric_limits<double>::quiet_NaN());
  out.n = std::size_t(m.n);
  return out;
}

}  // namespace

SegmentTableModel::SegmentTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void SegmentTableModel::setComparison(std::shared_ptr<const reco::Comparison> comparison,
                                      const QString& metric) {
  beginResetModel();
  comparison_ = std::move(comparison);
  metric_ = metric;
  rows_.clear();
  if (comparison_) {
    const std::size_t runs = comparison_->runs.size();
    const std::string wanted = toStdString(metric);
    // User segments, in the order the runs list them (their names carry the count ranges,
    // which match when the runs evaluated the same users).
    for (std::size_t r = 0; r < runs; ++r)
      for (const auto& s : comparison_->runs[r].segments) {
        if (s.metric != wanted) continue;
        const QString name = toQString(s.segment);
        auto row =
            std::find_if(rows_.begin(), rows_.end(), [&](const Row& x) { return x.name == name; });
        if (row == rows_.end()) {
          rows_.push_back(
              {name, toQString(s.group), metric, std::vector<std::optional<reco::MeanCi>>(runs)});
          row = rows_.end() - 1;
        }
        row->values[r] = s.value;
      }
    // Item segments: recall on the popular head and on the long tail.
    const int k = comparison_->k;
    const std::pair<QString, std::string> items[] = {
        {QStringLiteral("popular head items (recall@%1)").arg(k),
         "recall_head@" + std::to_string(k)},
        {QStringLiteral("long-tail items (recall@%1)").arg(k), "recall_tail@" + std::to_string(k)}};
    for (const auto& [name, stored] : items) {
      Row row{name, QStringLiteral("items"), toQString(stored),
              std::vector<std::optional<reco::MeanCi>>(runs)};
      bool any = false;
      for (std::size_t r = 0; r < runs; ++r)
        if (const auto* m = comparison_->runs[r].metric(stored)) {
          row.values[r] = fromAggregate(*m);
          any = true;
        }
      if (any) rows_.push_back(std::move(row));
    }
  }
  endResetModel();
}

QStringList SegmentTableModel::runNames() const {
  QStringList names;
  if (comparison_)
    for (const auto& row : comparison_->runs) names << toQString(row.run.name);
  return names;
}

int SegmentTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int SegmentTableModel::columnCount(const QModelIndex& parent) const {
  if (parent.isValid() || !comparison_) return 0;
  return kFirstRunColumn + int(comparison_->runs.size());
}

QVariant SegmentTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const Row& row = rows_[std::size_t(index.row())];
  if (role == GroupRole) return row.group;
  if (role == MetricRole) return row.metric;
  if (index.column() == kSegmentColumn) {
    switch (role) {
      case Qt::DisplayRole:
      case SortRole: return row.name;
      case Qt::ToolTipRole:
        if (row.group == QStringLiteral("items"))
          return QStringLiteral(
                     "%1<br>Popular head: the most popular items that together hold 20% of the "
                     "training "
                     "interactions; long tail: every other item.")
              .arg(metricHelp(row.metric));
        if (row.group == QStringLiteral("cold"))
          return QStringLiteral("Users with at most 5 training interactions; %1 over them.")
              .arg(metricLabel(row.metric));
        return QStringLiteral(
                   "Users by training activity: the quartiles of the evaluated users' training "
                   "interaction counts; %1 over them.")
            .arg(metricLabel(row.metric));
      default: return {};
    }
  }
  const std::optional<reco::MeanCi>& value =
      row.values[std::size_t(index.column() - kFirstRunColumn)];
  const bool hasCi = value && std::isfinite(value->ciLow) && std::isfinite(value->ciHigh);
  switch (role) {
    case Qt::DisplayRole: {
      if (!value) return QStringLiteral("–");
      QString text = formatNumber(value->mean, metricDecimals(row.metric));
      if (hasCi) text += QStringLiteral(" ±") + formatNumber((value->ciHigh - value->ciLow) / 2, 4);
      return text;
    }
    case Qt::TextAlignmentRole: return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
      if (!value)
        return QStringLiteral("This run has no per-user values of %1.")
            .arg(metricLabel(row.metric));
      return QStringLiteral("%1 on %2: mean %3%4 over %5 users")
          .arg(metricLabel(row.metric), row.name, formatNumber(value->mean, 6),
               hasCi ? QStringLiteral(", 95% CI [%1, %2]")
                           .arg(formatNumber(value->ciLow, 6), formatNumber(value->ciHigh, 6))
                     : QString(),
               formatCount(std::int64_t(value->n)));
    case SortRole: return value ? value->mean : std::numeric_limits<double>::quiet_NaN();
    case MeanRole: return value ? QVariant(value->mean) : QVariant();
    case CiLowRole: return hasCi ? QVariant(value->ciLow) : QVariant();
    case CiHighRole: return hasCi ? QVariant(value->ciHigh) : QVariant();
    case UsersRole: return value ? QVariant(qlonglong(value->n)) : QVariant();
    default: return {};
  }
}

QVariant SegmentTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
  if (section == kSegmentColumn) {
    if (role == Qt::DisplayRole) return QStringLiteral("Segment");
    if (role == Qt::ToolTipRole)
      return QStringLiteral("A group of users (by training activity) or of items (by popularity).");
    return {};
  }
  const auto& run = comparison_->runs[std::size_t(section - kFirstRunColumn)];
  if (role == Qt::DisplayRole) return toQString(run.run.name);
  if (role == Qt::ToolTipRole)
    return QStringLiteral("%1 (%2): mean ±half of the 95% confidence interval per segment")
        .arg(toQString(run.run.name).toHtmlEscaped(), toQString(run.run.model).toHtmlEscaped());
  return {};
}

}  // namespace reco::ui
