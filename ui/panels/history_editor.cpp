#include "ui/panels/history_editor.h"

#include <QAction>
#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedLayout>
#include <QStringListModel>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/convert/qt_convert.h"
#include "ui/models/edited_history_model.h"
#include "ui/widgets/confirm_deletion.h"

namespace reco::ui {

namespace {
constexpr int kRowPixels = 24;

void setErrorLook(QLabel* label, bool isError) {
  label->setProperty("error", isError);
  label->style()->unpolish(label);
  label->style()->polish(label);
}
}  // namespace

HistoryEditor::HistoryEditor(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("historyEditor"));
  history_ = new EditedHistoryModel(this);

  heading_ = new QLabel;
  heading_->setObjectName(QStringLiteral("whatIfHeading"));
  heading_->setWordWrap(true);
  search_ = new QLineEdit;
  search_->setObjectName(QStringLiteral("whatIfSearch"));
  search_->setPlaceholderText(QStringLiteral("Add an item: type a title or an id…"));
  search_->setClearButtonEnabled(true);
  search_->setToolTip(QStringLiteral(
      "Type part of a title (or an item id) and pick an item to add it to the history as "
      "the newest. You can also drag an item here from a run's list."));
  completions_ = new QStringListModel(this);
  completer_ = new QCompleter(completions_, this);
  completer_->setCaseSensitivity(Qt::CaseInsensitive);
  completer_->setFilterMode(Qt::MatchContains);
  completer_->setMaxVisibleItems(12);
  search_->setCompleter(completer_);
  // Enter and a picked completion may both fire: the first adds and empties the field.
  const auto addFromSearch = [this] {
    QTimer::singleShot(0, this, [this] {
      if (search_->text().trimmed().isEmpty()) return;
      if (addItemByText(search_->text())) search_->clear();
    });
  };
  connect(completer_, qOverload<const QString&>(&QCompleter::activated), this, addFromSearch);
  connect(search_, &QLineEdit::returnPressed, this, addFromSearch);

  table_ = new QTableView;
  table_->setObjectName(QStringLiteral("whatIfHistory"));
  table_->setModel(history_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setAlternatingRowColors(true);
  table_->setShowGrid(false);
  table_->setWordWrap(false);
  table_->setAcceptDrops(true);
  table_->setDragDropMode(QAbstractItemView::DropOnly);
  table_->setDefaultDropAction(Qt::CopyAction);
  table_->setDropIndicatorShown(true);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(kRowPixels);
  QHeaderView* header = table_->horizontalHeader();
  header->setHighlightSections(false);
  header->setSectionResizeMode(EditedHistoryModel::TitleColumn, QHeaderView::Stretch);
  // The title is what a merchandiser reads in a narrow editor; the category is in the tooltip.
  table_->setColumnHidden(EditedHistoryModel::CategoryColumn, true);
  header->setSectionResizeMode(EditedHistoryModel::MarkColumn, QHeaderView::Fixed);
  const QFontMetrics metrics(font());
  table_->setColumnWidth(EditedHistoryModel::MarkColumn,
                         metrics.horizontalAdvance(QStringLiteral("added")) + 26);
  table_->setToolTip(QStringLiteral(
      "The history the runs re-score, newest on top. Delete removes the selected items; "
      "drop items from a run's list here to add them."));
  auto* removeAction = new QAction(QStringLiteral("Remove from the history"), table_);
  removeAction->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
  removeAction->setShortcutContext(Qt::WidgetShortcut);
  connect(removeAction, &QAction::triggered, this, &HistoryEditor::removeSelected);
  table_->addAction(removeAction);
  table_->setContextMenuPolicy(Qt::ActionsContextMenu);
  connect(table_, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
    emit itemActivated(index.data(EditedHistoryModel::ItemIndexRole).toInt());
  });

  removeButton_ = new QPushButton(QStringLiteral("Remove"));
  removeButton_->setObjectName(QStringLiteral("whatIfRemove"));
  removeButton_->setToolTip(QStringLiteral("Remove the selected items from the history (Delete)"));
  removeButton_->setEnabled(false);
  connect(removeButton_, &QPushButton::clicked, this, &HistoryEditor::removeSelected);
  emptyButton_ = new QPushButton(QStringLiteral("Start empty"));
  emptyButton_->setObjectName(QStringLiteral("whatIfEmpty"));
  emptyButton_->setToolTip(QStringLiteral(
      "Remove every item: what the runs show a visitor with no history (then add a few)"));
  connect(emptyButton_, &QPushButton::clicked, this, &HistoryEditor::startEmpty);
  resetButton_ = new QPushButton(QStringLiteral("Reset"));
  resetButton_->setObjectName(QStringLiteral("whatIfReset"));
  resetButton_->setToolTip(
      QStringLiteral("Back to the stored history; nothing is written to the workspace"));
  connect(resetButton_, &QPushButton::clicked, this, &HistoryEditor::resetHistory);
  auto* editRow = new QHBoxLayout;
  editRow->addWidget(removeButton_);
  editRow->addWidget(emptyButton_);
  editRow->addWidget(resetButton_);
  editRow->addStretch(1);

  saveButton_ = new QPushButton(QStringLiteral("Save as scenario…"));
  saveButton_->setObjectName(QStringLiteral("whatIfSave"));
  saveButton_->setToolTip(
      QStringLiteral("Store this history under a name in the workspace, to open it again later"));
  connect(saveButton_, &QPushButton::clicked, this, &HistoryEditor::askScenarioName);
  scenarioBox_ = new QComboBox;
  scenarioBox_->setObjectName(QStringLiteral("whatIfScenarios"));
  scenarioBox_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  scenarioBox_->setMinimumContentsLength(16);
  scenarioBox_->setToolTip(QStringLiteral("The dataset's saved scenarios"));
  openButton_ = new QPushButton(QStringLiteral("Open"));
  openButton_->setObjectName(QStringLiteral("whatIfOpenScenario"));
  openButton_->setToolTip(QStringLiteral("Edit the chosen scenario's user and history"));
  connect(openButton_, &QPushButton::clicked, this, [this] {
    if (const auto* scenario = chosenScenario()) emit openScenarioRequested(*scenario);
  });
  deleteButton_ = new QPushButton(QStringLiteral("Delete"));
  deleteButton_->setObjectName(QStringLiteral("whatIfDeleteScenario"));
  deleteButton_->setToolTip(QStringLiteral("Delete the chosen scenario from the workspace"));
  connect(deleteButton_, &QPushButton::clicked, this, &HistoryEditor::askToDeleteScenario);
  auto* scenarioTitle = new QLabel(QStringLiteral("Scenarios"));
  scenarioTitle->setObjectName(QStringLiteral("chartTitle"));
  auto* saveRow = new QHBoxLayout;
  saveRow->addWidget(scenarioTitle);
  saveRow->addStretch(1);
  saveRow->addWidget(saveButton_);
  auto* scenarioRow = new QHBoxLayout;
  scenarioRow->addStretch(1);
  scenarioRow->addWidget(openButton_);
  scenarioRow->addWidget(deleteButton_);

  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("whatIfEditorStatus"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  status_->hide();

  editor_ = new QWidget;
  auto* editorLayout = new QVBoxLayout(editor_);
  editorLayout->setContentsMargins(0, 0, 0, 0);
  editorLayout->setSpacing(6);
  editorLayout->addWidget(heading_);
  editorLayout->addWidget(search_);
  editorLayout->addWidget(table_, 1);
  editorLayout->addLayout(editRow);
  editorLayout->addSpacing(6);
  editorLayout->addLayout(saveRow);
  editorLayout->addWidget(scenarioBox_);
  editorLayout->addLayout(scenarioRow);
  editorLayout->addWidget(status_);

  message_ = new QLabel;
  message_->setObjectName(QStringLiteral("whatIfEditorMessage"));
  message_->setAlignment(Qt::AlignCenter);
  message_->setWordWrap(true);
  auto* stack = new QStackedLayout(this);
  stack->addWidget(message_);
  stack->addWidget(editor_);

  connect(history_, &EditedHistoryModel::historyChanged, this, [this] {
    updateHeading();
    emit historyChanged();
  });
  connect(
      history_, &EditedHistoryModel::duplicatesIgnored, this, [this](const QStringList& titles) {
        showStatus(
            QStringLiteral("Already in the history: %1").arg(titles.join(QStringLiteral(", "))));
      });
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this] { removeButton_->setEnabled(table_->selectionModel()->hasSelection()); });
  setScenarios(nullptr);
  showMessage(QStringLiteral("Choose a user, or a new visitor, to edit a history."));
}

void HistoryEditor::setBase(WhatIfBasePtr base) {
  base_ = std::move(base);
  if (!base_) {
    showMessage(QStringLiteral("Choose a user, or a new visitor, to edit a history."));
    return;
  }
  static_cast<QStackedLayout*>(layout())->setCurrentWidget(editor_);
  showStatus(QString());
  history_->setHistory(base_->stored, base_->edited ? &*base_->edited : nullptr);
}

void HistoryEditor::setCatalogue(ItemCataloguePtr catalogue) {
  catalogue_ = std::move(catalogue);
  completions_->setStringList(catalogue_ ? catalogue_->labels : QStringList());
}

void HistoryEditor::setScenarios(ScenarioListPtr scenarios) {
  const QVariant previous = scenarioBox_->currentData();
  scenarios_ = std::move(scenarios);
  scenarioBox_->clear();
  if (scenarios_)
    for (const auto& scenario : *scenarios_) {
      scenarioBox_->addItem(
          QStringLiteral("%1  (%2, %3 items)")
              .arg(toQString(scenario.name),
                   scenario.user ? QStringLiteral("from a user") : QStringLiteral("new visitor"))
              .arg(scenario.history.size()),
          qlonglong(scenario.id));
    }
  const bool any = scenarioBox_->count() > 0;
  if (!any) scenarioBox_->addItem(QStringLiteral("No saved scenarios"));
  const int keep = scenarioBox_->findData(previous);
  if (keep >= 0) scenarioBox_->setCurrentIndex(keep);
  scenarioBox_->setEnabled(any);
  openButton_->setEnabled(any);
  deleteButton_->setEnabled(any);
}

void HistoryEditor::askToDeleteScenario() {
  const auto* scenario = chosenScenario();
  if (!scenario) return;
  const std::int64_t id = scenario->id;
  // As the Datasets screen asks before deleting a dataset or a split: a warning box with
  // Delete and Cancel, the default. The scenario is the analyst's work; nothing brings it back.
  if (confirmDeletion(this, QStringLiteral("Delete scenario"),
                      QStringLiteral("Delete the scenario “%1” (%2 items) from the workspace?\n\n"
                                     "The users, items and runs stay. This cannot be undone.")
                          .arg(toQString(scenario->name))
                          .arg(scenario->history.size()),
                      QStringLiteral("confirmDeleteScenario")))
    emit deleteScenarioRequested(id);
}

const reco::storage::Scenario* HistoryEditor::chosenScenario() const {
  if (!scenarios_) return nullptr;
  const qlonglong id = scenarioBox_->currentData().toLongLong();
  for (const auto& scenario : *scenarios_)
    if (scenario.id == id) return &scenario;
  return nullptr;
}

void HistoryEditor::showStatus(const QString& text, bool isError) {
  status_->setText(text);
  setErrorLook(status_, isError);
  status_->setVisible(!text.isEmpty());
}

void HistoryEditor::showMessage(const QString& text, bool isError) {
  message_->setText(text);
  setErrorLook(message_, isError);
  static_cast<QStackedLayout*>(layout())->setCurrentWidget(message_);
}

QString HistoryEditor::statusText() const {
  return status_->isVisibleTo(this) ? status_->text() : QString();
}

QString HistoryEditor::headingText() const {
  return heading_->text();
}

void HistoryEditor::updateHeading() {
  if (!base_) return;
  const int items = history_->rowCount();
  const QString who =
      base_->user ? QStringLiteral("<b>User %1</b>").arg(toQString(base_->userId).toHtmlEscaped())
                  : QStringLiteral("<b>A new visitor</b>");
  QString text = QStringLiteral("%1 · %2 item%3").arg(who).arg(items).arg(items == 1 ? "" : "s");
  if (base_->user)
    text += history_->isEdited()
                ? QStringLiteral(" · <span style='color:#b26b00'>edited</span> (stored: %1)")
                      .arg(history_->stored().size())
                : QStringLiteral(" · the stored training history");
  heading_->setText(text);
  resetButton_->setEnabled(history_->isEdited());
  emptyButton_->setEnabled(items > 0);
}

bool HistoryEditor::addItemByText(const QString& text) {
  const int row = catalogue_ ? catalogue_->find(text) : -1;
  if (row < 0) {
    showStatus(
        catalogue_
            ? QStringLiteral("No item of the dataset has the title or id “%1”.").arg(text.trimmed())
            : QStringLiteral("The dataset's items are still being read."),
        true);
    return false;
  }
  if (!history_->addItem(catalogue_->meta(row))) return false;
  showStatus(QString());
  table_->scrollToTop();
  return true;
}

void HistoryEditor::removeSelected() {
  std::vector<int> rows;
  for (const QModelIndex& index : table_->selectionModel()->selectedRows())
    rows.push_back(index.row());
  if (rows.empty()) return;
  history_->removeShownRows(std::move(rows));
}

void HistoryEditor::startEmpty() {
  history_->clearHistory();
}

void HistoryEditor::resetHistory() {
  history_->resetHistory();
  showStatus(QString());
}

void HistoryEditor::askScenarioName() {
  bool ok = false;
  const QString name =
      QInputDialog::getText(this, QStringLiteral("Save as scenario"),
                            QStringLiteral("A name for this history (unique in the dataset):"),
                            QLineEdit::Normal, QString(), &ok);
  if (!ok) return;
  if (name.trimmed().isEmpty()) {
    showStatus(QStringLiteral("A scenario needs a name."), true);
    return;
  }
  emit saveRequested(name.trimmed());
}

}  // namespace reco::ui
