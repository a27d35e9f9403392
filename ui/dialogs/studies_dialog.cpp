#include "ui/dialogs/studies_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <utility>

#include "ui/convert/qt_convert.h"
#include "ui/models/study_list_model.h"
#include "ui/panels/panel_support.h"
#include "ui/panels/study_view.h"

namespace reco::ui {

namespace {

constexpr int kRowPixels = 26;
constexpr int kListWidth = 300;  // the name and the date; the study gets the rest

}  // namespace

StudiesDialog::StudiesDialog(JobTracker* jobs, QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("studiesDialog"));
  setWindowTitle(QStringLiteral("Tuning studies"));
  setModal(false);
  loader_ = new StudyLoader(jobs, this);
  list_ = new StudyListModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(list_);
  proxy_->setSortRole(StudyListModel::SortRole);
  proxy_->setSortCaseSensitivity(Qt::CaseInsensitive);

  table_ = new QTableView;
  table_->setObjectName(QStringLiteral("studyList"));
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(StudyListModel::CreatedColumn, Qt::DescendingOrder);
  setUpRecordTable(table_, kRowPixels);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setTextElideMode(Qt::ElideRight);
  QHeaderView* header = table_->horizontalHeader();
  header->setSectionResizeMode(QHeaderView::ResizeToContents);
  header->setSectionResizeMode(StudyListModel::NameColumn, QHeaderView::Stretch);
  // The dataset / split, models, search, budget and trials are in the summary line, the
  // result table and the tooltip: the list stays narrow (the name elides, the date stays
  // whole), and at 1000 px the trials' options keep their width.
  for (const int column : {int(StudyListModel::SplitColumn), int(StudyListModel::ModelsColumn),
                           int(StudyListModel::SearchColumn), int(StudyListModel::BudgetColumn),
                           int(StudyListModel::TrialsColumn)})
    table_->setColumnHidden(column, true);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &StudiesDialog::showChosen);
  refreshButton_ = new QPushButton(QStringLiteral("Refresh"));
  refreshButton_->setToolTip(QStringLiteral("Read the workspace's studies again"));
  connect(refreshButton_, &QPushButton::clicked, this, &StudiesDialog::reload);
  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(table_, 1);
  auto* leftButtons = new QHBoxLayout;
  leftButtons->addWidget(refreshButton_);
  leftButtons->addStretch(1);
  leftLayout->addLayout(leftButtons);

  summary_ = new QLabel;
  summary_->setObjectName(QStringLiteral("studySummary"));
  summary_->setWordWrap(true);
  summary_->setTextFormat(Qt::PlainText);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  view_ = new StudyView;
  auto* right = new QWidget;
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addWidget(summary_);
  rightLayout->addWidget(view_, 1);

  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(left);
  splitter->addWidget(right);
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({kListWidth, 1000});

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::hide);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter, 1);
  layout->addWidget(buttons);
  resize(1000, 720);  // as the running study's window; fits a 1024 x 768 screen

  connect(loader_, &StudyLoader::loaded, this, &StudiesDialog::onLoaded);
  connect(loader_, &StudyLoader::loadFailed, this,
          [this](const QString& path, const QString& message) {
            if (path != path_) return;
            setSummary(QStringLiteral("The studies could not be read. %1").arg(message), true);
            refreshButton_->setEnabled(true);
            emit loaded();
          });
  setWorkspace(QString());
}

void StudiesDialog::setWorkspace(const QString& path) {
  if (path != path_) {
    wanted_.clear();
  } else if (wanted_.isEmpty()) {
    wanted_ = currentStudy();  // the same workspace again: keep the chosen study
  }
  path_ = path;
  loader_->cancel();
  list_->setStudies(nullptr);
  view_->clear(QStringLiteral("Choose a study on the left."));
  if (path.isEmpty()) {
    setSummary(QStringLiteral("No workspace is open."), false);
    refreshButton_->setEnabled(false);
    return;
  }
  reload();
}

void StudiesDialog::reload() {
  if (path_.isEmpty()) return;
  if (wanted_.isEmpty()) wanted_ = currentStudy();
  setSummary(QStringLiteral("Reading the studies…"), false);
  refreshButton_->setEnabled(false);
  loader_->load(path_);
}

bool StudiesDialog::isLoading() const {
  return loader_->isLoading();
}

QString StudiesDialog::currentStudy() const {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  if (rows.isEmpty()) return {};
  return rows.front().data(StudyListModel::StudyNameRole).toString();
}

bool StudiesDialog::selectStudy(const QString& name) {
  if (isLoading()) {
    wanted_ = name;
    return true;
  }
  const int row = list_->rowOfName(name);
  if (row < 0) return false;
  table_->selectRow(proxy_->mapFromSource(list_->index(row, 0)).row());
  return true;
}

void StudiesDialog::onLoaded(const QString& path, const StoredStudyList& studies) {
  if (path != path_) return;
  const QString wanted = std::exchange(wanted_, QString());
  list_->setStudies(studies);
  refreshButton_->setEnabled(true);
  if (list_->rowCount() == 0) {
    view_->clear(QStringLiteral("No tuning study is stored in this workspace."));
    setSummary(QStringLiteral("No studies yet: Tune… in the Experiments panel runs one, and so "
                              "does reco tune --model a,b --budget N --study NAME."),
               false);
    emit loaded();
    return;
  }
  // The study asked for, else the newest (the list's first row, newest first by default).
  if (wanted.isEmpty() || !selectStudy(wanted)) table_->selectRow(0);
  emit loaded();
}

void StudiesDialog::showChosen() {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  const StoredStudy* study =
      rows.isEmpty() ? nullptr : list_->studyAt(proxy_->mapToSource(rows.front()).row());
  if (!study) {
    view_->clear(QStringLiteral("Choose a study on the left."));
    setSummary(QString(), false);
    return;
  }
  const auto& info = study->result->record.info;
  const QString dataset =
      study->datasetName.empty() ? QStringLiteral("?") : toQString(study->datasetName);
  const QString split =
      study->splitName.empty() ? QStringLiteral("?") : toQString(study->splitName);
  setSummary(QStringLiteral("Study '%1' on %2 / %3: %4 search, %5 per model, %6 maximised on the "
                            "validation part; %7 trials in %8 s, stored %9. The final runs were "
                            "refitted with the chosen options and tested once.")
                 .arg(toQString(info.name), dataset, split, toQString(info.search),
                      StudyListModel::budgetText(info), toQString(info.metric))
                 .arg(study->result->record.trials.size())
                 .arg(formatNumber(info.seconds, 1), formatDateTime(info.createdAt)),
             false);
  view_->showStored(study->result);
}

QString StudiesDialog::summaryText() const {
  return summary_->text();
}

void StudiesDialog::setSummary(const QString& text, bool isError) {
  summary_->setText(text);
  summary_->setVisible(!text.isEmpty());
  summary_->setProperty("error", isError);
  summary_->style()->unpolish(summary_);
  summary_->style()->polish(summary_);
}

}  // namespace reco::ui
