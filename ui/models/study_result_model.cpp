#include "ui/models/study_result_model.h"

#include <QFont>

#include "ui/convert/qt_convert.h"
#include "ui/models/study_trials_model.h"

namespace reco::ui {

StudyResultModel::StudyResultModel(QObject* parent) : QAbstractTableModel(parent) {}

void StudyResultModel::setResult(std::shared_ptr<const reco::StudyResult> result) {
  beginResetModel();
  result_ = std::move(result);
  endResetModel();
  emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

int StudyResultModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !result_) return 0;
  return int(result_->record.models.size());
}

int StudyResultModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

std::optional<double> StudyResultModel::bestValidation(int row) const {
  const auto& best = result_->record.models[std::size_t(row)].best;
  if (!best || *best >= result_->record.trials.size()) return std::nullopt;
  return result_->record.trials[*best].validation;
}

std::optional<double> StudyResultModel::testValue(int row) const {
  if (std::size_t(row) >= result_->finals.size()) return std::nullopt;
  for (const auto& metric : result_->finals[std::size_t(row)].metrics)
    if (metric.metric == result_->record.info.metric) return metric.mean;
  return std::nullopt;
}

int StudyResultModel::trialsOf(int row) const {
  int count = 0;
  for (const auto& trial : result_->record.trials)
    if (trial.model == std::size_t(row)) ++count;
  return count;
}

QVariant StudyResultModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const int row = index.row();
  const auto& model = result_->record.models[std::size_t(row)];
  const auto& best = model.best;
  const bool hasFinal =
      std::size_t(row) < result_->finals.size() && result_->finals[std::size_t(row)].run.id != 0;
  const QString runName =
      hasFinal ? toQString(result_->finals[std::size_t(row)].run.name) : QStringLiteral("–");
  const QString chosen = best && *best < result_->record.trials.size()
                             ? StudyTrialsModel::optionsText(result_->record.trials[*best].options)
                             : QStringLiteral("no trial completed");
  const std::optional<double> validation = bestValidation(row);
  const std::optional<double> test = testValue(row);
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case ModelColumn: return toQString(model.model);
        case TrialsColumn: return trialsOf(row);
        case BestValidationColumn:
          return validation ? formatNumber(*validation, 4) : QStringLiteral("–");
        case ChosenOptionsColumn: return chosen;
        case RunColumn: return runName;
        case TestColumn: return test ? formatNumber(*test, 4) : QStringLiteral("–");
        default: return {};
      }
    case SortRole:
      switch (index.column()) {
        case ModelColumn: return toQString(model.model);
        case TrialsColumn: return trialsOf(row);
        case BestValidationColumn: return validation.value_or(-1.0);
        case ChosenOptionsColumn: return chosen;
        case RunColumn: return runName;
        case TestColumn: return test.value_or(-1.0);
        default: return {};
      }
    case RunIdRole:
      return hasFinal ? qlonglong(result_->finals[std::size_t(row)].run.id) : qlonglong(0);
    case Qt::TextAlignmentRole: {
      const int c = index.column();
      const bool numeric = c == TrialsColumn || c == BestValidationColumn || c == TestColumn;
      return QVariant::fromValue((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    case Qt::ToolTipRole:
      if (index.column() == ChosenOptionsColumn) return plainToolTip(chosen);
      return {};
    default: return {};
  }
}

QVariant StudyResultModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  const QString metric = result_ ? toQString(result_->record.info.metric) : QString();
  if (role == Qt::DisplayRole) {
    switch (section) {
      case ModelColumn: return QStringLiteral("Model");
      case TrialsColumn: return QStringLiteral("Trials");
      case BestValidationColumn: return QStringLiteral("Best validation %1").arg(metric).trimmed();
      case ChosenOptionsColumn: return QStringLiteral("Chosen options");
      case RunColumn: return QStringLiteral("Final run");
      case TestColumn: return QStringLiteral("Test %1").arg(metric).trimmed();
      default: return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case BestValidationColumn:
        return QStringLiteral("The best trial's value on the validation part");
      case RunColumn:
        return QStringLiteral(
            "The best options refitted on training + validation, stored as a run");
      case TestColumn:
        return QStringLiteral("The final run's value on the test part: its only evaluation there");
      default: return {};
    }
  }
  return {};
}

}  // namespace reco::ui
