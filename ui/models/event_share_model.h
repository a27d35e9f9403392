#pragma once
/// The event mix of a dataset (view, cart, purchase, ...) as a table over a shared,
/// immutable vector. GUI thread only.

#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "core/data/dataset_info.h"

namespace reco::ui {

using EventShareList = std::shared_ptr<const std::vector<reco::EventShare>>;

class EventShareModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { EventColumn, WeightColumn, InteractionsColumn, ShareColumn, ColumnCount };
  enum Role {
    SortRole = Qt::UserRole + 1,  ///< QString, double or qlonglong
  };

  explicit EventShareModel(QObject* parent = nullptr);

  /// Shows these events (a model reset); the shares are of their summed interactions.
  void setEvents(EventShareList events);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  EventShareList events_;
  std::int64_t total_ = 0;
};

}  // namespace reco::ui
