#pragma once
/// The runs of a workspace as a table: first the runs of this session's queue that are not
/// stored (queued, running, cancelled, or failed before anything was stored), then the
/// stored runs from storage::listRuns (a snapshot shared with whoever loaded it). Live rows
/// are inserted, updated and removed one by one (so selections survive progress updates);
/// the stored rows are replaced as a whole. A stored run that a tuning study or `reco tune`
/// chose (its protocol has "tuning": ui/models/tuned_run.h) shows "(tuned)" after its model,
/// and its tooltip names the study and the chosen options. GUI thread only; never touches
/// the workspace.

#include <QAbstractTableModel>
#include <QString>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/storage/run_store.h"
#include "ui/models/tuned_run.h"

namespace reco::ui {

/// One stored run with what the table shows beside its RunInfo.
struct StoredRun {
  reco::storage::RunInfo info;
  std::string datasetName;
  std::string splitName;
  std::optional<double> keyMetric;  ///< ndcg@10 of a done run
};
using StoredRunList = std::shared_ptr<const std::vector<StoredRun>>;

/// One run of the queue, as the table shows it.
struct LiveRun {
  int id = 0;  ///< the queue's id (> 0)
  QString name, model, split;
  QString state;         ///< runStateName(): queued, running, done, failed, cancelled
  QString status;        ///< QueuedRun::statusLine(): "epoch 7/20"
  double fraction = -1;  ///< progress in [0, 1]; -1 unknown
  QString error;
  qint64 queuedAt = 0;  ///< Unix seconds
};

class RunTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    NameColumn,
    ModelColumn,
    StatusColumn,
    KeyMetricColumn,
    TrainSecondsColumn,
    SplitColumn,
    StartedColumn,
    ColumnCount
  };

  enum Role {
    /// The raw value to sort by: QString for text, double for numbers (-1 for none),
    /// qlonglong Unix seconds for Started.
    SortRole = Qt::UserRole + 1,
    /// The stored run's id (qlonglong), -1 on live rows.
    StoredRunIdRole,
    /// The queue's id of a live row (int), 0 on stored rows.
    LiveRunIdRole,
    /// Why the run failed (QString; empty unless it failed).
    ErrorRole,
    /// The run's name (QString), the same for every column of a row.
    RunNameRole,
    /// A tuned stored run's study (QString, "" for `reco tune` of one model); invalid on
    /// other rows.
    TuningStudyRole,
  };

  explicit RunTableModel(QObject* parent = nullptr);

  /// Replaces the stored rows (a reset). Null means none.
  void setStoredRuns(StoredRunList runs);
  const StoredRunList& storedRuns() const { return stored_; }
  /// Adds the live row `run.id` (after the other live rows) or updates it in place.
  void upsertLive(const LiveRun& run);
  /// Removes a live row; false when there is none with that id.
  bool removeLive(int id);
  void clearLive();

  int liveCount() const { return int(live_.size()); }
  /// The row of a stored run or a live run, or -1.
  int rowOfStored(reco::storage::RunId id) const;
  int rowOfLive(int id) const;
  /// The row's run when it is of that kind, or null.
  const StoredRun* storedAt(int row) const;
  const LiveRun* liveAt(int row) const;
  /// The row whose run is called `name` (a live row first), or -1.
  int rowOfName(const QString& name) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

  /// The name of the key metric column ("ndcg@10").
  static QString keyMetricName();

 private:
  QVariant storedData(const StoredRun& run, const std::optional<TuningMark>& tuned, int column,
                      int role) const;
  QVariant liveData(const LiveRun& run, int column, int role) const;

  std::vector<LiveRun> live_;
  StoredRunList stored_;
  /// Per stored run, its tuning mark, read once per setStoredRuns (not per paint).
  std::vector<std::optional<TuningMark>> tuning_;
};

}  // namespace reco::ui
