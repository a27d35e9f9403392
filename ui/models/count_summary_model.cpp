#include "ui/models/count_summary_model.h"

#include "ui/convert/qt_convert.h"

namespace reco::ui {

CountSummaryModel::CountSummaryModel(QObject* parent) : QAbstractTableModel(parent) {}

void CountSummaryModel::setSummaries(const reco::CountSummary& perUser,
                                     const reco::CountSummary& perItem) {
  beginResetModel();
  perUser_ = perUser;
  perItem_ = perItem;
  hasData_ = true;
  endResetModel();
}

void CountSummaryModel::clear() {
  beginResetModel();
  hasData_ = false;
  endResetModel();
}

double CountSummaryModel::value(const reco::CountSummary& summary, Statistic statistic) {
  switch (statistic) {
    case Min: return summary.min;
    case Q25: return summary.q25;
    case Median: return summary.median;
    case Q75: return summary.q75;
    case Q90: return summary.q90;
    case Q99: return summary.q99;
    case Max: return summary.max;
    case Mean: return summary.mean;
    default: return 0.0;
  }
}

int CountSummaryModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !hasData_ ? 0 : StatisticCount;
}

int CountSummaryModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant CountSummaryModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const reco::CountSummary& summary = index.column() == PerUserColumn ? perUser_ : perItem_;
  const double v = value(summary, Statistic(index.row()));
  switch (role) {
    case Qt::DisplayRole: return index.row() == Mean ? formatNumber(v, 1) : formatStatistic(v);
    case SortRole: return v;
    case Qt::TextAlignmentRole: return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
      return QStringLiteral("%1 interactions per %2")
          .arg(formatNumber(v, 2),
               index.column() == PerUserColumn ? QStringLiteral("user") : QStringLiteral("item"));
    default: return {};
  }
}

QVariant CountSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role == Qt::DisplayRole) {
    if (orientation == Qt::Horizontal && section >= 0 && section < ColumnCount) {
      return section == PerUserColumn ? QStringLiteral("Per user") : QStringLiteral("Per item");
    }
    if (orientation == Qt::Vertical && section >= 0 && section < StatisticCount) {
      static const char* const kNames[StatisticCount] = {"Min", "25%", "Median", "75%",
                                                         "90%", "99%", "Max",    "Mean"};
      return QString::fromLatin1(kNames[section]);
    }
  }
  if (role == Qt::TextAlignmentRole && orientation == Qt::Horizontal) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  return QAbstractTableModel::headerData(section, orientation, role);
}

}  // namespace reco::ui
