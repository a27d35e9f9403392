#include "ui/models/study_trials_model.h"

#include <QColor>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

const QColor kFailedColor(0x9b, 0x2c, 0x2c);
const QColor kActiveColor(0x1d, 0x3f, 0x66);

bool isNumeric(int column) {
  return column == StudyTrialsModel::TrialColumn || column == StudyTrialsModel::ValidationColumn ||
         column == StudyTrialsModel::FitSecondsColumn;
}

}  // namespace

StudyTrialsModel::StudyTrialsModel(QObject* parent) : QAbstractTableModel(parent) {}

QString StudyTrialsModel::optionsText(const reco::OptionValues& options) {
  QStringList parts;
  for (const auto& [key, value] : options)
    parts << QStringLiteral("%1=%2").arg(toQString(key), toQString(value));
  return parts.isEmpty() ? QStringLiteral("defaults") : parts.join(QStringLiteral(", "));
}

void StudyTrialsModel::reset(const QStringList& models, const QString& metric) {
  beginResetModel();
  models_ = models;
  metric_ = metric;
  rows_.clear();
  endResetModel();
  emit headerDataChanged(Qt::Horizontal, ValidationColumn, ValidationColumn);
}

int StudyTrialsModel::rowOf(int model, int index) const {
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].model == model && rows_[i].index == index) return int(i);
  return -1;
}

void StudyTrialsModel::trialStarted(int model, int index, const reco::OptionValues& options) {
  if (rowOf(model, index) >= 0) return;
  const int at = int(rows_.size());
  beginInsertRows({}, at, at);
  rows_.push_back(
      {model, index, optionsText(options), std::nullopt, 0, QStringLiteral("running"), QString()});
  endInsertRows();
}

void StudyTrialsModel::trialFinished(const reco::storage::StudyTrial& trial) {
  const int model = int(trial.model);
  int row = rowOf(model, trial.index);
  if (row < 0) {
    trialStarted(model, trial.index, trial.options);
    row = int(rows_.size()) - 1;
  }
  Row& r = rows_[std::size_t(row)];
  r.options = optionsText(trial.options);
  r.validation = trial.validation;
  r.fitSeconds = trial.fitSeconds;
  r.error = toQString(trial.error);
  r.status = trial.validation ? QStringLiteral("done") : QStringLiteral("failed: ") + r.error;
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void StudyTrialsModel::markUnfinished(const QString& status) {
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].status != QStringLiteral("running")) continue;
    rows_[i].status = status;
    emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
  }
}

int StudyTrialsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int StudyTrialsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant StudyTrialsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const Row& row = rows_[std::size_t(index.row())];
  const QString model =
      row.model < models_.size() ? models_[row.model] : QString::number(row.model);
  const bool done = row.status == QStringLiteral("done");
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case ModelColumn: return model;
        case TrialColumn: return row.index + 1;
        case OptionsColumn: return row.options;
        case ValidationColumn:
          return row.validation ? formatNumber(*row.validation, 4) : QStringLiteral("–");
        case FitSecondsColumn:
          return done || row.status.startsWith(QStringLiteral("failed"))
                     ? QStringLiteral("%1 s").arg(formatNumber(row.fitSeconds, 2))
                     : QStringLiteral("–");
        case StatusColumn: return row.status;
        default: return {};
      }
    case SortRole:
      switch (index.column()) {
        case ModelColumn: return model;
        case TrialColumn: return row.index + 1;
        case OptionsColumn: return row.options;
        case ValidationColumn: return row.validation ? *row.validation : -1.0;
        case FitSecondsColumn: return row.fitSeconds;
        case StatusColumn: return row.status;
        default: return {};
      }
    case Qt::TextAlignmentRole:
      return QVariant::fromValue((isNumeric(index.column()) ? Qt::AlignRight : Qt::AlignLeft) |
                                 Qt::AlignVCenter);
    case Qt::ForegroundRole:
      if (row.status.startsWith(QStringLiteral("failed"))) return kFailedColor;
      if (row.status == QStringLiteral("running")) return kActiveColor;
      return {};
    case Qt::ToolTipRole:
      if (index.column() == OptionsColumn) return plainToolTip(row.options);
      if (!row.error.isEmpty()) return plainToolTip(row.error);
      return {};
    default: return {};
  }
}

QVariant StudyTrialsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::DisplayRole) {
    switch (section) {
      case ModelColumn: return QStringLiteral("Model");
      case TrialColumn: return QStringLiteral("Trial");
      case OptionsColumn: return QStringLiteral("Options");
      case ValidationColumn:
        return metric_.isEmpty() ? QStringLiteral("Validation")
                                 : QStringLiteral("Validation %1").arg(metric_);
      case FitSecondsColumn: return QStringLiteral("Fit");
      case StatusColumn: return QStringLiteral("Status");
      default: return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case TrialColumn: return QStringLiteral("The trial's number within its model, from 1");
      case OptionsColumn: return QStringLiteral("The options this trial fitted the model with");
      case ValidationColumn:
        return QStringLiteral("The metric on the split's validation part (never the test part)");
      case FitSecondsColumn: return QStringLiteral("Seconds the fit alone took");
      default: return {};
    }
  }
  return {};
}

}  // namespace reco::ui
