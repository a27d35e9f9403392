#include "ui/models/event_share_model.h"

#include "ui/convert/qt_convert.h"

namespace reco::ui {

EventShareModel::EventShareModel(QObject* parent) : QAbstractTableModel(parent) {}

void EventShareModel::setEvents(EventShareList events) {
  beginResetModel();
  events_ = std::move(events);
  total_ = 0;
  if (events_) {
    for (const reco::EventShare& event : *events_) total_ += event.interactions;
  }
  endResetModel();
}

int EventShareModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !events_ ? 0 : int(events_->size());
}

int EventShareModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventShareModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const reco::EventShare& event = (*events_)[std::size_t(index.row())];
  const double share = total_ > 0 ? double(event.interactions) / double(total_) : 0.0;
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case EventColumn:
          return event.event.empty() ? QStringLiteral("(none)") : toQString(event.event);
        case WeightColumn: return formatStatistic(event.weight);
        case InteractionsColumn: return formatCount(event.interactions);
        case ShareColumn: return formatPercent(share);
        default: return {};
      }
    case SortRole:
      switch (index.column()) {
        case EventColumn: return toQString(event.event);
        case WeightColumn: return event.weight;
        case InteractionsColumn: return qlonglong(event.interactions);
        case ShareColumn: return share;
        default: return {};
      }
    case Qt::TextAlignmentRole:
      return QVariant::fromValue((index.column() == EventColumn ? Qt::AlignLeft : Qt::AlignRight) |
                                 Qt::AlignVCenter);
    case Qt::ToolTipRole:
      if (index.column() == WeightColumn)
        return QStringLiteral("Weight the import gave this event");
      return {};
    default: return {};
  }
}

QVariant EventShareModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && section >= 0 && section < ColumnCount) {
    if (role == Qt::DisplayRole) {
      static const char* const kTitles[ColumnCount] = {"Event", "Weight", "Interactions", "Share"};
      return QString::fromLatin1(kTitles[section]);
    }
    if (role == Qt::TextAlignmentRole) {
      return QVariant::fromValue((section == EventColumn ? Qt::AlignLeft : Qt::AlignRight) |
                                 Qt::AlignVCenter);
    }
  }
  return QAbstractTableModel::headerData(section, orientation, role);
}

}  // namespace reco::ui
