#include "ui/models/study_list_model.h"

#include <QStringList>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

QString splitLabel(const StoredStudy& study) {
  const QString dataset =
      study.datasetName.empty() ? QStringLiteral("?") : toQString(study.datasetName);
  const QString split = study.splitName.empty() ? QStringLiteral("?") : toQString(study.splitName);
  return QStringLiteral("%1 / %2").arg(dataset, split);
}

QString modelsText(const reco::storage::StudyRecord& record) {
  QStringList models;
  for (const auto& model : record.models) models << toQString(model.model);
  return models.join(QStringLiteral(", "));
}

}  // namespace

StudyListModel::StudyListModel(QObject* parent) : QAbstractTableModel(parent) {}

void StudyListModel::setStudies(StoredStudyList studies) {
  beginResetModel();
  studies_ = std::move(studies);
  endResetModel();
}

const StoredStudy* StudyListModel::studyAt(int row) const {
  if (!studies_ || row < 0 || row >= int(studies_->size())) return nullptr;
  return &(*studies_)[std::size_t(row)];
}

int StudyListModel::rowOfName(const QString& name) const {
  for (int row = 0; row < rowCount(); ++row)
    if (toQString(studyAt(row)->result->record.info.name) == name) return row;
  return -1;
}

QString StudyListModel::budgetText(const reco::storage::StudyInfo& info) {
  if (info.budgetTrials) return QStringLiteral("%1 trials").arg(*info.budgetTrials);
  return QStringLiteral("%1 s").arg(formatNumber(info.budgetSeconds.value_or(0), 0));
}

int StudyListModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !studies_) return 0;
  return int(studies_->size());
}

int StudyListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant StudyListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const StoredStudy& study = *studyAt(index.row());
  const auto& record = study.result->record;
  const auto& info = record.info;
  const QString name = toQString(info.name);
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case NameColumn: return name;
        case SplitColumn: return splitLabel(study);
        case ModelsColumn: return modelsText(record);
        case SearchColumn: return toQString(info.search);
        case BudgetColumn: return budgetText(info);
        case TrialsColumn: return formatCount(std::int64_t(record.trials.size()));
        case CreatedColumn:
          return toDateTime(info.createdAt).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        default: return {};
      }
    case SortRole:
      switch (index.column()) {
        case TrialsColumn: return qlonglong(record.trials.size());
        case CreatedColumn: return qlonglong(info.createdAt);
        default: return data(index, Qt::DisplayRole);
      }
    case Qt::ToolTipRole:
      return plainToolTip(
          QStringLiteral("Study '%1' on %2: %3 search, %4 per model, %5 maximised on the "
                         "validation part; %6 trials in %7 s, created %8")
              .arg(name, splitLabel(study), toQString(info.search), budgetText(info),
                   toQString(info.metric), formatCount(std::int64_t(record.trials.size())),
                   formatNumber(info.seconds, 1), formatDateTime(info.createdAt)));
    case Qt::TextAlignmentRole:
      return QVariant::fromValue((index.column() == TrialsColumn ? Qt::AlignRight : Qt::AlignLeft) |
                                 Qt::AlignVCenter);
    case StudyNameRole: return name;
    default: return {};
  }
}

QVariant StudyListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    switch (section) {
      case NameColumn: return QStringLiteral("Study");
      case SplitColumn: return QStringLiteral("Dataset / split");
      case ModelsColumn: return QStringLiteral("Models");
      case SearchColumn: return QStringLiteral("Search");
      case BudgetColumn: return QStringLiteral("Budget");
      case TrialsColumn: return QStringLiteral("Trials");
      case CreatedColumn: return QStringLiteral("Created");
      default: return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case BudgetColumn: return QStringLiteral("The budget each model had: trials or seconds");
      case TrialsColumn: return QStringLiteral("Trials of all the study's models together");
      case CreatedColumn: return QStringLiteral("When the study was stored (UTC)");
      default: return {};
    }
  }
  if (role == Qt::TextAlignmentRole)
    return QVariant::fromValue((section == TrialsColumn ? Qt::AlignRight : Qt::AlignLeft) |
                               Qt::AlignVCenter);
  return {};
}

}  // namespace reco::ui
