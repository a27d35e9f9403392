#include "ui/models/run_table_model.h"

#include <QColor>
#include <QFont>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

const QColor kFailedColor(0x9b, 0x2c, 0x2c);
const QColor kActiveColor(0x1d, 0x3f, 0x66);
const QColor kMutedColor(0x6b, 0x75, 0x80);

bool isNumeric(int column) {
  return column == RunTableModel::KeyMetricColumn || column == RunTableModel::TrainSecondsColumn;
}

QString formatSeconds(const std::optional<double>& seconds) {
  if (!seconds) return QStringLiteral("–");
  return QStringLiteral("%1 s").arg(formatNumber(*seconds, *seconds < 10 ? 2 : 1));
}

/// "2026-11-23 07:42" (UTC, as the header's tooltip says).
QString startedText(std::int64_t unixSeconds) {
  return toDateTime(unixSeconds).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString splitLabel(const StoredRun& run) {
  if (run.datasetName.empty()) return toQString(run.splitName);
  return QStringLiteral("%1 / %2").arg(toQString(run.datasetName), toQString(run.splitName));
}

}  // namespace

RunTableModel::RunTableModel(QObject* parent) : QAbstractTableModel(parent) {}

QString RunTableModel::keyMetricName() {
  return QStringLiteral("ndcg@10");
}

void RunTableModel::setStoredRuns(StoredRunList runs) {
  beginResetModel();
  stored_ = std::move(runs);
  tuning_.clear();
  if (stored_) {
    tuning_.reserve(stored_->size());
    for (const StoredRun& run : *stored_) tuning_.push_back(tuningMarkOf(run.info.protocolJson));
  }
  endResetModel();
}

void RunTableModel::upsertLive(const LiveRun& run) {
  const int row = rowOfLive(run.id);
  if (row >= 0) {
    live_[std::size_t(row)] = run;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return;
  }
  const int at = int(live_.size());
  beginInsertRows({}, at, at);
  live_.push_back(run);
  endInsertRows();
}

bool RunTableModel::removeLive(int id) {
  const int row = rowOfLive(id);
  if (row < 0) return false;
  beginRemoveRows({}, row, row);
  live_.erase(live_.begin() + row);
  endRemoveRows();
  return true;
}

void RunTableModel::clearLive() {
  if (live_.empty()) return;
  beginRemoveRows({}, 0, int(live_.size()) - 1);
  live_.clear();
  endRemoveRows();
}

int RunTableModel::rowOfStored(reco::storage::RunId id) const {
  if (!stored_) return -1;
  for (std::size_t i = 0; i < stored_->size(); ++i)
    if ((*stored_)[i].info.id == id) return int(live_.size() + i);
  return -1;
}

int RunTableModel::rowOfLive(int id) const {
  for (std::size_t i = 0; i < live_.size(); ++i)
    if (live_[i].id == id) return int(i);
  return -1;
}

const StoredRun* RunTableModel::storedAt(int row) const {
  const int at = row - int(live_.size());
  if (!stored_ || at < 0 || at >= int(stored_->size())) return nullptr;
  return &(*stored_)[std::size_t(at)];
}

const LiveRun* RunTableModel::liveAt(int row) const {
  if (row < 0 || row >= int(live_.size())) return nullptr;
  return &live_[std::size_t(row)];
}

int RunTableModel::rowOfName(const QString& name) const {
  for (std::size_t i = 0; i < live_.size(); ++i)
    if (live_[i].name == name) return int(i);
  if (stored_) {
    for (std::size_t i = 0; i < stored_->size(); ++i)
      if (toQString((*stored_)[i].info.name) == name) return int(live_.size() + i);
  }
  return -1;
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid()) return 0;
  return int(live_.size()) + (stored_ ? int(stored_->size()) : 0);
}

int RunTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  if (role == Qt::TextAlignmentRole) {
    return QVariant::fromValue((isNumeric(index.column()) ? Qt::AlignRight : Qt::AlignLeft) |
                               Qt::AlignVCenter);
  }
  if (const LiveRun* live = liveAt(index.row())) return liveData(*live, index.column(), role);
  if (const StoredRun* stored = storedAt(index.row()))
    return storedData(*stored, tuning_[std::size_t(index.row() - int(live_.size()))],
                      index.column(), role);
  return {};
}

QVariant RunTableModel::storedData(const StoredRun& run, const std::optional<TuningMark>& tuned,
                                   int column, int role) const {
  const auto& info = run.info;
  const bool failed = info.status == "failed";
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case NameColumn: return toQString(info.name);
        case ModelColumn: return toQString(info.model) + (tuned ? tunedSuffix() : QString());
        case SplitColumn: return plainToolTip(splitLabel(run));
        case StatusColumn:
          return failed ? QStringLiteral("failed: %1").arg(toQString(info.error))
                        : toQString(info.status);
        case KeyMetricColumn:
          return run.keyMetric ? formatNumber(*run.keyMetric, 4) : QStringLiteral("–");
        case TrainSecondsColumn: return formatSeconds(info.trainSeconds);
        case StartedColumn: return startedText(info.startedAt);
        default: return {};
      }
    case SortRole:
      switch (column) {
        case NameColumn: return toQString(info.name);
        case ModelColumn: return toQString(info.model);
        case SplitColumn: return plainToolTip(splitLabel(run));
        case StatusColumn: return toQString(info.status);
        case KeyMetricColumn: return run.keyMetric.value_or(-1.0);
        case TrainSecondsColumn: return info.trainSeconds.value_or(-1.0);
        case StartedColumn: return qlonglong(info.startedAt);
        default: return {};
      }
    case Qt::ToolTipRole:
      if (failed)
        return plainToolTip(QStringLiteral("This run failed:\n%1").arg(toQString(info.error)));
      switch (column) {
        case NameColumn: {
          const QString resolved = resolvedOptionsOf(info.protocolJson);
          return plainToolTip(
              QStringLiteral("%1\nModel %2, seed %3, %4 thread(s) on %5\nOptions: %6%7%8")
                  .arg(toQString(info.name), toQString(info.model))
                  .arg(qulonglong(info.seed))
                  .arg(info.threads)
                  .arg(toQString(info.device), toQString(info.optionsJson),
                       resolved.isEmpty()
                           ? QString()
                           : QStringLiteral("\nChosen from the training data (auto): ") + resolved,
                       tuned ? QStringLiteral("\n") + tuningDescription(*tuned) : QString()));
        }
        case ModelColumn:
          if (!tuned) return {};
          return plainToolTip(QStringLiteral("%1\nChosen options: %2")
                                  .arg(tuningDescription(*tuned), toQString(info.optionsJson)));
        case SplitColumn: return plainToolTip(splitLabel(run));
        case StartedColumn: return formatDateTime(info.startedAt);
        case KeyMetricColumn:
          return QStringLiteral(
              "NDCG@10 on the test part (full ranking, training items excluded): "
              "how high the held-out items rank in the top 10, 1 = perfect");
        case TrainSecondsColumn:
          return QStringLiteral("Training took %1; evaluation %2")
              .arg(formatSeconds(info.trainSeconds), formatSeconds(info.evalSeconds));
        default: return {};
      }
    case Qt::ForegroundRole:
      if (failed && column == StatusColumn) return kFailedColor;
      return {};
    case StoredRunIdRole: return qlonglong(info.id);
    case LiveRunIdRole: return 0;
    case ErrorRole: return toQString(info.error);
    case RunNameRole: return toQString(info.name);
    case TuningStudyRole: return tuned ? QVariant(tuned->study) : QVariant();
    default: return {};
  }
}

QVariant RunTableModel::liveData(const LiveRun& run, int column, int role) const {
  const bool failed = run.state == QStringLiteral("failed");
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case NameColumn: return run.name;
        case ModelColumn: return run.model;
        case SplitColumn: return run.split;
        case StatusColumn: return failed ? QStringLiteral("failed: %1").arg(run.error) : run.status;
        case KeyMetricColumn: return QStringLiteral("–");
        case TrainSecondsColumn: return QStringLiteral("–");
        case StartedColumn: return startedText(run.queuedAt);
        default: return {};
      }
    case SortRole:
      switch (column) {
        case NameColumn: return run.name;
        case ModelColumn: return run.model;
        case SplitColumn: return run.split;
        case StatusColumn: return run.state;
        case KeyMetricColumn: return -1.0;
        case TrainSecondsColumn: return -1.0;
        // Live runs sort above every stored run of the same time.
        case StartedColumn: return qlonglong(run.queuedAt);
        default: return {};
      }
    case Qt::ToolTipRole:
      if (failed) return plainToolTip(QStringLiteral("This run failed:\n%1").arg(run.error));
      if (column == StatusColumn)
        return QStringLiteral("%1 (this session's queue)").arg(run.status);
      if (column == SplitColumn) return plainToolTip(run.split);
      return {};
    case Qt::ForegroundRole:
      if (column != StatusColumn) return {};
      if (failed) return kFailedColor;
      if (run.state == QStringLiteral("cancelled")) return kMutedColor;
      return kActiveColor;
    case Qt::FontRole:
      if (column == StatusColumn && (run.state == QStringLiteral("running"))) {
        QFont font;
        font.setBold(true);
        return font;
      }
      return {};
    case StoredRunIdRole: return qlonglong(-1);
    case LiveRunIdRole: return run.id;
    case ErrorRole: return run.error;
    case RunNameRole: return run.name;
    default: return {};
  }
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    switch (section) {
      case NameColumn: return QStringLiteral("Run");
      case ModelColumn: return QStringLiteral("Model");
      case SplitColumn: return QStringLiteral("Split");  // narrow; the cells say "dataset / split"
      case StatusColumn: return QStringLiteral("Status");
      case KeyMetricColumn: return keyMetricName();
      case TrainSecondsColumn: return QStringLiteral("Train time");
      case StartedColumn: return QStringLiteral("Started");
      default: return {};
    }
  }
  if (role == Qt::TextAlignmentRole)
    return QVariant::fromValue((isNumeric(section) ? Qt::AlignRight : Qt::AlignLeft) |
                               Qt::AlignVCenter);
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case NameColumn: return QStringLiteral("The run's name (unique in the workspace)");
      case ModelColumn:
        return QStringLiteral(
            "The registry model the run trained; \"(tuned)\" when a tuning study chose its "
            "options (the tooltip names the study)");
      case SplitColumn:
        return QStringLiteral(
            "The dataset and the split the run trained and was tested on (dataset / split)");
      case StatusColumn:
        return QStringLiteral(
            "queued, running (epoch or stage), done, failed (with the reason) or cancelled");
      case KeyMetricColumn:
        return QStringLiteral(
            "Normalised discounted cumulative gain of the top 10 on the test part, "
            "averaged over test users: 1 when every held-out item ranks first");
      case TrainSecondsColumn:
        return QStringLiteral("Wall time of the model's fit (evaluation not included)");
      case StartedColumn:
        return QStringLiteral("When the run started (UTC); for queued runs, when they were queued");
      default: return {};
    }
  }
  return {};
}

QHash<int, QByteArray> RunTableModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
  names.insert(SortRole, "sortValue");
  names.insert(StoredRunIdRole, "storedRunId");
  names.insert(LiveRunIdRole, "liveRunId");
  names.insert(ErrorRole, "error");
  names.insert(RunNameRole, "runName");
  names.insert(TuningStudyRole, "tuningStudy");
  return names;
}

}  // namespace reco::ui
