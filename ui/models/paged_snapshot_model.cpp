#include "ui/models/paged_snapshot_model.h"

#include <QFutureWatcher>
#include <algorithm>

#include <QtConcurrent/QtConcurrentRun>

#include "ui/workers/background_pool.h"

namespace reco::ui {

namespace {

bool allDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int compareExternalIds(std::string_view a, std::string_view b) {
  const bool numberA = allDigits(a), numberB = allDigits(b);
  if (numberA != numberB) return numberA ? -1 : 1;
  if (numberA) {
    const auto trimmed = [](std::string_view s) {
      return s.substr(std::min(s.find_first_not_of('0'), s.size()));
    };
    a = trimmed(a);
    b = trimmed(b);
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  }
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

PagedSnapshotModel::PagedSnapshotModel(int sortColumn, Qt::SortOrder sortOrder, QObject* parent)
    : QAbstractTableModel(parent), sortColumn_(sortColumn), sortOrder_(sortOrder) {}

void PagedSnapshotModel::resetSnapshot(const std::function<void()>& replace) {
  changing_ = true;
  beginResetModel();
  replace();
  view_.reset();
  fetched_ = 0;
  endResetModel();
  changing_ = false;
  updateView();
}

void PagedSnapshotModel::refineSnapshot(const std::function<void()>& replace) {
  replace();
  if (fetched_ > 0) emit dataChanged(index(0, 0), index(fetched_ - 1, columnCount() - 1));
  updateView();
}

void PagedSnapshotModel::setFilter(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed == filter_) return;
  filter_ = trimmed;
  updateView();
}

void PagedSnapshotModel::sort(int column, Qt::SortOrder order) {
  if (column < 0 || column >= columnCount()) return;
  if (column == sortColumn_ && order == sortOrder_ && (view_ || pending_)) return;
  sortColumn_ = column;
  sortOrder_ = order;
  updateView();
}

void PagedSnapshotModel::updateView() {
  const int generation = ++generation_;
  std::function<View()> task = viewTask();
  if (!task) {
    pending_ = 0;
    emit viewUpdated();
    return;
  }
  pending_ = generation;
  auto* watcher = new QFutureWatcher<std::shared_ptr<const View>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
    watcher->deleteLater();
    if (generation != pending_) return;  // superseded
    pending_ = 0;
    changing_ = true;
    beginResetModel();
    view_ = watcher->result();
    fetched_ = std::min<int>(kPageRows, int(view_->size()));
    endResetModel();
    changing_ = false;
    emit viewUpdated();
  });
  watcher->setFuture(QtConcurrent::run(&backgroundPool(), [task = std::move(task)] {
    return std::make_shared<const View>(task());
  }));
}

int PagedSnapshotModel::exposeSnapshotRow(std::ptrdiff_t snapshotRow) {
  if (!view_ || snapshotRow < 0) return -1;
  const auto it = std::find(view_->begin(), view_->end(), std::int32_t(snapshotRow));
  if (it == view_->end()) return -1;
  const int row = int(it - view_->begin());
  // Expose whole pages up to the row.
  if (row >= fetched_)
    exposeRowsUpTo(std::min<int>(int(view_->size()), (row / kPageRows + 1) * kPageRows));
  return row;
}

int PagedSnapshotModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : fetched_;
}

// Views and QAbstractItemModelTester ask for more rows from inside the model's own reset
// and insertion signals; a nested insertion there would interleave two changes, so the
// model answers "nothing more" until the change is over (they ask again later).
bool PagedSnapshotModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && !changing_ && view_ && fetched_ < int(view_->size());
}

void PagedSnapshotModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  exposeRowsUpTo(std::min<int>(int(view_->size()), fetched_ + kPageRows));
}

void PagedSnapshotModel::exposeRowsUpTo(int last) {
  changing_ = true;
  beginInsertRows({}, fetched_, last - 1);
  fetched_ = last;
  endInsertRows();
  changing_ = false;
}

}  // namespace reco::ui
