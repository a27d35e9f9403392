#include "ui/panels/what_if_lists_view.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/models/what_if_list_model.h"
#include "ui/panels/panel_support.h"
#include "ui/panels/recommendation_lists_view.h"

namespace reco::ui {

namespace {
constexpr int kMinListWidth = RecommendationListsView::kMinListWidth;
constexpr int kLeftRowPixels = 22;
constexpr int kMaxLeftRowsShown = 5;
constexpr int kCellPadding = 26;
/// The width of a column that shows only a note (a run that cannot fold in).
constexpr int kNoteColumnWidth = 240;

QString runTitle(const reco::storage::RunInfo& run) {
  const QString name = toQString(run.name), model = toQString(run.model);
  return name == model ? QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped())
                       : QStringLiteral("<b>%1</b> &nbsp;<span style='color:#5b6673'>%2</span>")
                             .arg(name.toHtmlEscaped(), model.toHtmlEscaped());
}
}  // namespace

WhatIfListsView::WhatIfListsView(QWidget* parent) : QWidget(parent) {
  runButton_ = new QToolButton;
  runButton_->setObjectName(QStringLiteral("whatIfRunChooser"));
  runButton_->setPopupMode(QToolButton::InstantPopup);
  runButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  runMenu_ = new QMenu(runButton_);
  runButton_->setMenu(runMenu_);
  runButton_->setToolTip(
      QStringLiteral("Choose up to %1 runs of the split to re-score the edited history with")
          .arg(kMaxLists));
  auto* legend = new QLabel(QStringLiteral(
      "<span style='color:#1f7a33'><b>new</b></span> not in the list before · "
      "<span style='color:#1f7a33'>↑</span><span style='color:#b03a2e'>↓</span> rank moves · "
      "<span style='color:#8a939c'><i>greyed</i></span> left the list · "
      "<span style='background:#f3f0e6'>&nbsp;fallback: popular&nbsp;</span>"));
  legend->setObjectName(QStringLiteral("whatIfLegend"));
  legend->setWordWrap(true);
  legend->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  legend->setToolTip(QStringLiteral(
      "Each list is compared with the run's list for the unedited history. Items the model "
      "had nothing to say about are ranked by popularity, below every item it scored."));
  // The cold-start fallback (what_if.h): popularity in a window or a category, or none.
  fallbackBox_ = new QComboBox;
  fallbackBox_->setObjectName(QStringLiteral("whatIfFallback"));
  fallbackBox_->addItem(QStringLiteral("Fallback: popular"), 0);
  fallbackBox_->addItem(QStringLiteral("Fallback: popular, last 30 days"), 30);
  fallbackBox_->addItem(QStringLiteral("Fallback: popular, last 7 days"), 7);
  fallbackBox_->addItem(QStringLiteral("No fallback"), -1);
  fallbackBox_->setToolTip(QStringLiteral(
      "What ranks the items a run has nothing to say about (and a new visitor's list from a "
      "run that cannot fold a history in): popularity in the split's training part, all of "
      "it or its last days, or nothing"));
  categoryBox_ = new QComboBox;
  categoryBox_->setObjectName(QStringLiteral("whatIfFallbackCategory"));
  categoryBox_->addItem(QStringLiteral("any category"));
  categoryBox_->setToolTip(QStringLiteral("Keep the popular fallback to one category"));
  connect(fallbackBox_, &QComboBox::currentIndexChanged, this, [this] {
    categoryBox_->setEnabled(fallbackBox_->currentData().toInt() >= 0);
    emit fallbackChanged();
  });
  connect(categoryBox_, &QComboBox::currentIndexChanged, this, [this] { emit fallbackChanged(); });
  auto* controls = new QHBoxLayout;
  controls->addWidget(runButton_);
  controls->addWidget(fallbackBox_);
  controls->addWidget(categoryBox_);
  controls->addWidget(legend, 1);

  const SideBySideLists sideBySide =
      createSideBySideLists(QStringLiteral("whatIfScroll"), QStringLiteral("whatIfMessage"));
  message_ = sideBySide.message;
  row_ = sideBySide.row;
  for (int slot = 0; slot < kMaxLists; ++slot) {
    columns_.push_back(makeColumn(slot));
    sideBySide.row->addWidget(columns_.back().box, 1);
  }

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(6);
  layout->addLayout(controls);
  layout->addWidget(sideBySide.scroll, 1);
  showMessage(QStringLiteral("Edit the history to see how each run's list changes."));
}

WhatIfListsView::Column WhatIfListsView::makeColumn(int slot) {
  Column column;
  column.box = new QWidget;
  column.box->setObjectName(QStringLiteral("whatIfColumn%1").arg(slot));
  column.box->setMinimumWidth(kMinListWidth);
  column.title = new QLabel(column.box);
  column.status = new QLabel(column.box);
  column.status->setObjectName(QStringLiteral("whatIfStatus"));
  column.status->setWordWrap(true);
  column.status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  // A run that cannot fold in has only this line: at the top, where the list would start.
  column.status->setAlignment(Qt::AlignTop | Qt::AlignLeft);

  column.model = new WhatIfListModel(WhatIfListModel::Part::Items, this);
  column.table = new QTableView(column.box);
  column.table->setObjectName(QStringLiteral("whatIfList%1").arg(slot));
  column.table->setModel(column.model);
  column.table->setItemDelegate(new BackgroundRoleDelegate(column.table));
  column.table->setItemDelegateForColumn(WhatIfListModel::TitleColumn,
                                         new RecommendedItemDelegate(column.table));
  column.table->setSelectionBehavior(QAbstractItemView::SelectRows);
  column.table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  column.table->setDragEnabled(true);
  column.table->setDragDropMode(QAbstractItemView::DragOnly);
  column.table->setDefaultDropAction(Qt::CopyAction);
  column.table->setShowGrid(false);
  column.table->setWordWrap(false);
  column.table->verticalHeader()->hide();
  column.table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  column.table->verticalHeader()->setDefaultSectionSize(QFontMetrics(font()).height() * 3 + 12);
  for (const int hidden : {WhatIfListModel::CategoryColumn, WhatIfListModel::PriceColumn,
                           WhatIfListModel::ScoreColumn, WhatIfListModel::ReasonColumn})
    column.table->setColumnHidden(hidden, true);
  QHeaderView* header = column.table->horizontalHeader();
  header->setSectionResizeMode(QHeaderView::Fixed);
  header->setSectionResizeMode(WhatIfListModel::TitleColumn, QHeaderView::Stretch);
  header->setMinimumSectionSize(16);
  header->setHighlightSections(false);
  const QFontMetrics metrics(font());
  // Number columns as wide as their text with the style sheet's cell padding (8 px a side)
  // and the style's margins; the title takes the rest.
  column.table->setColumnWidth(WhatIfListModel::RankColumn,
                               metrics.horizontalAdvance(QStringLiteral("10")) + kCellPadding);
  column.table->setColumnWidth(WhatIfListModel::TestColumn, 26);
  column.table->setColumnWidth(WhatIfListModel::MoveColumn,
                               metrics.horizontalAdvance(QStringLiteral("↑10")) + kCellPadding);

  column.leftTitle = new QLabel(column.box);
  column.leftTitle->setObjectName(QStringLiteral("chartTitle"));
  column.left = new WhatIfListModel(WhatIfListModel::Part::Left, this);
  column.leftTable = new QTableView(column.box);
  column.leftTable->setObjectName(QStringLiteral("whatIfLeft%1").arg(slot));
  column.leftTable->setModel(column.left);
  column.leftTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
  column.leftTable->setSelectionBehavior(QAbstractItemView::SelectRows);
  column.leftTable->setDragEnabled(true);
  column.leftTable->setDragDropMode(QAbstractItemView::DragOnly);
  column.leftTable->setShowGrid(false);
  column.leftTable->setWordWrap(false);
  column.leftTable->horizontalHeader()->hide();
  column.leftTable->verticalHeader()->hide();
  column.leftTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  column.leftTable->verticalHeader()->setDefaultSectionSize(kLeftRowPixels);
  for (int c = 0; c < WhatIfListModel::ColumnCount; ++c)
    column.leftTable->setColumnHidden(
        c, c != WhatIfListModel::RankColumn && c != WhatIfListModel::TitleColumn);
  column.leftTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  column.leftTable->horizontalHeader()->setSectionResizeMode(WhatIfListModel::TitleColumn,
                                                             QHeaderView::Stretch);
  column.leftTable->setColumnWidth(WhatIfListModel::RankColumn,
                                   column.table->columnWidth(WhatIfListModel::RankColumn));
  column.leftTable->setToolTip(
      QStringLiteral("Items of the list for the unedited history that are not in this list, "
                     "with their old rank"));

  for (QTableView* table : {column.table, column.leftTable})
    connect(table, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
      emit itemActivated(index.data(WhatIfListModel::ItemIndexRole).toInt());
    });
  auto* boxLayout = new QVBoxLayout(column.box);
  boxLayout->setContentsMargins(0, 0, 0, 0);
  boxLayout->setSpacing(3);
  boxLayout->addWidget(column.title);
  boxLayout->addWidget(column.status);
  boxLayout->addWidget(column.table, 1);
  boxLayout->addWidget(column.leftTitle);
  boxLayout->addWidget(column.leftTable);
  // Takes the height only when the table is hidden (a note instead of a list).
  boxLayout->addStretch(0);
  column.box->hide();
  return column;
}

void WhatIfListsView::setRuns(const std::vector<reco::storage::RunInfo>& available,
                              const std::vector<reco::storage::RunInfo>& chosen) {
  runMenu_->clear();
  for (const auto& run : available) {
    QAction* action = runMenu_->addAction(
        QStringLiteral("%1 (%2)").arg(toQString(run.name), toQString(run.model)));
    action->setCheckable(true);
    const bool checked =
        std::any_of(chosen.begin(), chosen.end(), [&](const auto& c) { return c.id == run.id; });
    action->setChecked(checked);
    action->setEnabled(checked || chosen.size() < std::size_t(kMaxLists));
    const reco::storage::RunId id = run.id;
    // Queued: the receiver rebuilds this menu, whose action is still handling its signal.
    connect(
        action, &QAction::toggled, this, [this, id](bool on) { emit runToggled(id, on); },
        Qt::QueuedConnection);
  }
  if (available.empty())
    runMenu_->addAction(QStringLiteral("No finished runs on this split"))->setEnabled(false);
  runButton_->setText(
      available.empty()
          ? QStringLiteral("Runs: none on this split")
          : QStringLiteral("Runs: %1 of %2 chosen").arg(chosen.size()).arg(available.size()));
  runButton_->setMinimumWidth(runButton_->fontMetrics().horizontalAdvance(runButton_->text()) + 44);
}

void WhatIfListsView::beginColumns(const std::vector<reco::storage::RunInfo>& runs) {
  const bool same = runs.size() == runs_.size() &&
                    std::equal(runs.begin(), runs.end(), runs_.begin(),
                               [](const auto& a, const auto& b) { return a.id == b.id; });
  runs_ = runs;
  if (runs_.empty()) {
    showMessage(QStringLiteral("Choose runs to re-score the history with (the Runs button)."));
    return;
  }
  message_->hide();
  for (std::size_t slot = 0; slot < columns_.size(); ++slot) {
    Column& column = columns_[slot];
    column.shown = false;
    column.box->setVisible(slot < runs_.size());
    if (slot >= runs_.size()) continue;
    column.title->setText(runTitle(runs_[slot]));
    if (!same) {
      column.model->setColumn(nullptr);
      column.left->setColumn(nullptr);
      column.leftTitle->hide();
      column.leftTable->hide();
      setHasList(column, true);
    }
    setStatus(column, QStringLiteral("Re-scoring…"), false);
  }
}

void WhatIfListsView::setColumn(int slot, const WhatIfColumnPtr& result) {
  if (slot < 0 || slot >= int(runs_.size()) || !result) return;
  Column& column = columns_[std::size_t(slot)];
  column.shown = true;
  column.model->setColumn(result);
  column.left->setColumn(result);
  const auto& list = result->list;
  const bool hasList = result->error.empty() && list.rescored;
  setHasList(column, hasList);
  const int left = hasList ? int(list.left.size()) : 0;
  column.leftTitle->setVisible(left > 0);
  column.leftTable->setVisible(left > 0);
  column.leftTitle->setText(QStringLiteral("Left the list (%1)").arg(left));
  column.leftTable->setFixedHeight(std::min(left, kMaxLeftRowsShown) * kLeftRowPixels +
                                   2 * column.leftTable->frameWidth());
  if (!result->error.empty()) {
    setStatus(
        column,
        QStringLiteral("This run's list could not be made.\n%1").arg(toQString(result->error)),
        true);
    return;
  }
  if (!list.rescored) {
    // Never the old list in silence: the column says why there is none.
    setStatus(column,
              QStringLiteral("Cannot re-score an edited history: %1")
                  .arg(list.note.empty() ? QStringLiteral("the model does not fold histories in")
                                         : toQString(list.note)),
              true);
    return;
  }
  QString text = QStringLiteral("%1 · %2 ms")
                     .arg(toQString(list.method), formatNumber(list.seconds * 1000.0, 1));
  if (!list.note.empty()) text += QStringLiteral("\n%1").arg(toQString(list.note));
  setStatus(column, text, false);
}

void WhatIfListsView::setHasList(Column& column, bool hasList) {
  column.table->setVisible(hasList);
  column.box->setMaximumWidth(hasList ? QWIDGETSIZE_MAX : kNoteColumnWidth);
  row_->setStretchFactor(column.box, hasList ? 1 : 0);
}

void WhatIfListsView::setStatus(Column& column, const QString& text, bool isError) {
  column.status->setText(text);
  column.status->setProperty("error", isError);
  column.status->style()->unpolish(column.status);
  column.status->style()->polish(column.status);
}

void WhatIfListsView::showMessage(const QString& text) {
  runs_.clear();
  for (Column& column : columns_) {
    column.model->setColumn(nullptr);
    column.left->setColumn(nullptr);
    column.box->hide();
  }
  message_->setText(text);
  message_->show();
}

bool WhatIfListsView::allShown() const {
  if (runs_.empty()) return false;
  for (std::size_t slot = 0; slot < runs_.size(); ++slot)
    if (!columns_[slot].shown) return false;
  return true;
}

WhatIfColumnPtr WhatIfListsView::column(int slot) const {
  return slot >= 0 && slot < int(runs_.size()) ? columns_[std::size_t(slot)].model->column()
                                               : nullptr;
}

WhatIfListModel* WhatIfListsView::listModel(int slot) const {
  return slot >= 0 && slot < int(columns_.size()) ? columns_[std::size_t(slot)].model : nullptr;
}

WhatIfListModel* WhatIfListsView::leftModel(int slot) const {
  return slot >= 0 && slot < int(columns_.size()) ? columns_[std::size_t(slot)].left : nullptr;
}

QTableView* WhatIfListsView::listTable(int slot) const {
  return slot >= 0 && slot < int(columns_.size()) ? columns_[std::size_t(slot)].table : nullptr;
}

QString WhatIfListsView::statusText(int slot) const {
  return slot >= 0 && slot < int(columns_.size()) ? columns_[std::size_t(slot)].status->text()
                                                  : QString();
}

}  // namespace reco::ui

namespace reco::ui {

std::optional<reco::PopularityFallbackOptions> WhatIfListsView::fallbackChoice() const {
  const int days = fallbackBox_->currentData().toInt();
  if (days < 0) return std::nullopt;
  reco::PopularityFallbackOptions options;
  options.windowDays = days;
  if (categoryBox_->currentIndex() > 0) options.category = toStdString(categoryBox_->currentText());
  return options;
}

void WhatIfListsView::setCategories(const std::vector<std::string>& categories) {
  const QString chosen = categoryBox_->currentIndex() > 0 ? categoryBox_->currentText() : QString();
  const QSignalBlocker block(categoryBox_);
  categoryBox_->clear();
  categoryBox_->addItem(QStringLiteral("any category"));
  for (const std::string& category : categories) categoryBox_->addItem(toQString(category));
  const int at = chosen.isEmpty() ? 0 : categoryBox_->findText(chosen);
  categoryBox_->setCurrentIndex(at < 0 ? 0 : at);
  if (!chosen.isEmpty() && at < 0) emit fallbackChanged();
}

}  // namespace reco::ui
