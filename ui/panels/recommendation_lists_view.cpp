#include "ui/panels/recommendation_lists_view.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/panels/panel_support.h"

namespace reco::ui {

namespace {

// A list row: title, details and reason lines, with some room.
int threeLineRowHeight(const QFont& font) {
  return QFontMetrics(font).height() * 3 + 12;
}

const QColor kDetailColor(0x5b, 0x66, 0x73);
/// A cell's width beyond its text: the style sheet's padding (8 px a side), the style's
/// text margins and a little air.
constexpr int kCellPadding = 26;
const QColor kReasonColor(0x2f, 0x5d, 0x8f);

void fillBackground(QPainter* painter, const QStyleOptionViewItem& option,
                    const QModelIndex& index) {
  const QVariant brush = index.data(Qt::BackgroundRole);
  if (brush.isValid() && !(option.state & QStyle::State_Selected))
    painter->fillRect(option.rect, brush.value<QBrush>());
}

QString describeRun(const reco::storage::RunInfo& run) {
  return QStringLiteral("%1 (%2)").arg(toQString(run.name), toQString(run.model));
}

}  // namespace

void BackgroundRoleDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                   const QModelIndex& index) const {
  fillBackground(painter, option, index);
  QStyledItemDelegate::paint(painter, option, index);
}

void RecommendedItemDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                    const QModelIndex& index) const {
  QStyleOptionViewItem background = option;
  fillBackground(painter, option, index);
  initStyleOption(&background, index);
  background.text.clear();
  option.widget->style()->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

  const QAbstractItemModel* model = index.model();
  const auto sibling = [&](int column) {
    return model->index(index.row(), column).data().toString();
  };
  const QString title = index.data().toString();
  QStringList parts{sibling(RecommendationListModel::CategoryColumn)};
  const QString price = sibling(RecommendationListModel::PriceColumn);
  if (price != QStringLiteral("–")) parts << price;
  // An empty score (a what-if item the fallback ranked: the model gave it none) is left out.
  const QString score = sibling(RecommendationListModel::ScoreColumn);
  if (!score.isEmpty()) parts << QStringLiteral("score %1").arg(score);
  const QString details = parts.join(QStringLiteral(" · "));
  const QString reason = sibling(RecommendationListModel::ReasonColumn);
  const QRect area = option.rect.adjusted(8, 4, -6, -4);
  const int line = area.height() / 3;

  painter->save();
  QFont titleFont = option.font;
  if (index.data(RecommendationListModel::InAllListsRole).toBool()) titleFont.setBold(true);
  painter->setFont(titleFont);
  const QVariant foreground = index.data(Qt::ForegroundRole);
  painter->setPen(foreground.isValid() ? foreground.value<QBrush>().color()
                                       : option.palette.color(QPalette::Text));
  const QFontMetrics titleMetrics(titleFont);
  painter->drawText(QRect(area.left(), area.top(), area.width(), line),
                    Qt::AlignLeft | Qt::AlignVCenter,
                    titleMetrics.elidedText(title, Qt::ElideRight, area.width()));
  QFont small = option.font;
  small.setPointSizeF(option.font.pointSizeF() * 0.92);
  const QFontMetrics smallMetrics(small);
  painter->setFont(small);
  painter->setPen(kDetailColor);
  painter->drawText(QRect(area.left(), area.top() + line, area.width(), line),
                    Qt::AlignLeft | Qt::AlignVCenter,
                    smallMetrics.elidedText(details, Qt::ElideRight, area.width()));
  small.setItalic(true);
  painter->setFont(small);
  painter->setPen(kReasonColor);
  painter->drawText(QRect(area.left(), area.top() + 2 * line, area.width(), line),
                    Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetrics(small).elidedText(reason, Qt::ElideRight, area.width()));
  painter->restore();
}

QSize RecommendedItemDelegate::sizeHint(const QStyleOptionViewItem& option,
                                        const QModelIndex& index) const {
  QSize size = QStyledItemDelegate::sizeHint(option, index);
  size.setHeight(QFontMetrics(option.font).height() * 3 + 12);
  return size;
}

RecommendationListsView::RecommendationListsView(QWidget* parent) : QWidget(parent) {
  runButton_ = new QToolButton;
  runButton_->setObjectName(QStringLiteral("runChooser"));
  runButton_->setPopupMode(QToolButton::InstantPopup);
  runButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  runMenu_ = new QMenu(runButton_);
  runButton_->setMenu(runMenu_);
  runButton_->setToolTip(
      QStringLiteral("Choose up to %1 runs of the chosen split to compare (Ctrl+R)")
          .arg(kMaxLists));

  length_ = new QSpinBox;
  length_->setObjectName(QStringLiteral("listLength"));
  length_->setRange(1, 100);
  length_->setValue(kDefaultN);
  length_->setToolTip(QStringLiteral(
      "Items per list (the top N of each run; the user's training items are excluded)"));
  connect(length_, &QSpinBox::valueChanged, this, &RecommendationListsView::choiceChanged);
  auto* lengthLabel = new QLabel(QStringLiteral("Top"));
  lengthLabel->setBuddy(length_);

  auto* legend = new QLabel(
      QStringLiteral("<span style='color:#b26b00'>★</span> held-out test item"
                     " &nbsp;·&nbsp; <span style='background:#e3f4e4'>&nbsp;green&nbsp;</span>"
                     " in every list"));
  legend->setObjectName(QStringLiteral("listLegend"));
  legend->setWordWrap(true);  // two lines in a narrow window rather than a wider panel (1024 px)
  legend->setToolTip(
      QStringLiteral("A ★ item is one the user really chose later (the split held it out): a hit. "
                     "Green rows are recommended by every run shown."));

  auto* controls = new QHBoxLayout;
  controls->addWidget(runButton_);
  controls->addSpacing(12);
  controls->addWidget(lengthLabel);
  controls->addWidget(length_);
  // The legend takes the free room (right-aligned): one line in a wide window, two in a
  // narrow one, never a wider panel.
  legend->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  controls->addWidget(legend, 1);

  // The lists side by side; below kMinListWidth each, the row scrolls sideways instead of
  // squeezing titles and reasons to a few letters (four lists in a 1400 px window).
  const SideBySideLists sideBySide =
      createSideBySideLists(QStringLiteral("listsScroll"), QStringLiteral("listsMessage"));
  QScrollArea* listsScroll = sideBySide.scroll;
  QHBoxLayout* listsRow = sideBySide.row;
  placeholder_ = sideBySide.message;
  auto* delegate = new RecommendedItemDelegate(this);
  auto* backgrounds = new BackgroundRoleDelegate(this);
  for (int slot = 0; slot < kMaxLists; ++slot) {
    Column column;
    column.box = new QWidget;
    column.box->setObjectName(QStringLiteral("listColumn%1").arg(slot));
    column.box->setMinimumWidth(kMinListWidth);
    column.title = new QLabel(column.box);
    column.title->setObjectName(QStringLiteral("listTitle"));
    column.status = new QLabel(column.box);
    column.status->setObjectName(QStringLiteral("listStatus"));
    column.status->setWordWrap(true);
    column.model = new RecommendationListModel(this);
    column.table = new QTableView(column.box);
    column.table->setObjectName(QStringLiteral("recommendationList%1").arg(slot));
    column.table->setModel(column.model);
    column.table->setItemDelegate(backgrounds);
    column.table->setItemDelegateForColumn(RecommendationListModel::TitleColumn, delegate);
    column.table->setSelectionBehavior(QAbstractItemView::SelectRows);
    column.table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    column.table->setShowGrid(false);
    column.table->setWordWrap(false);
    column.table->verticalHeader()->hide();
    column.table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    column.table->verticalHeader()->setDefaultSectionSize(threeLineRowHeight(font()));
    for (const int hidden :
         {RecommendationListModel::CategoryColumn, RecommendationListModel::PriceColumn,
          RecommendationListModel::ScoreColumn, RecommendationListModel::ReasonColumn})
      column.table->setColumnHidden(hidden, true);
    QHeaderView* header = column.table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Fixed);
    header->setSectionResizeMode(RecommendationListModel::TitleColumn, QHeaderView::Stretch);
    header->setMinimumSectionSize(16);
    header->setHighlightSections(false);
    column.table->setColumnWidth(RecommendationListModel::TestColumn, 26);
    connect(column.table, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
      emit itemActivated(index.data(RecommendationListModel::ItemIndexRole).toInt());
    });
    auto* boxLayout = new QVBoxLayout(column.box);
    boxLayout->setContentsMargins(0, 0, 0, 0);
    boxLayout->setSpacing(3);
    boxLayout->addWidget(column.title);
    boxLayout->addWidget(column.status);
    boxLayout->addWidget(column.table, 1);
    column.box->hide();
    listsRow->addWidget(column.box, 1);
    columns_.push_back(column);
  }

  overlap_ = new ListOverlapModel(this);
  overlapTable_ = new QTableView;
  overlapTable_->setObjectName(QStringLiteral("overlapTable"));
  overlapTable_->setModel(overlap_);
  overlapTable_->setItemDelegate(new BackgroundRoleDelegate(overlapTable_));
  overlapTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  overlapTable_->setSelectionMode(QAbstractItemView::NoSelection);
  // Cells as wide as "10  (0.67)" and the table as wide as its cells (stretched sections
  // elided them to "6 …" with four lists); the common items take the rest of the row.
  overlapTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  overlapTable_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  overlapTable_->verticalHeader()->setDefaultSectionSize(26);
  overlapTable_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  overlapTable_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  overlapTable_->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
  overlapTable_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
  overlapTable_->setToolTip(
      QStringLiteral("Items each pair of lists shares, with the Jaccard index "
                     "|A ∩ B| / |A ∪ B| in brackets (1 = the same items)"));
  auto* overlapTitle = new QLabel(QStringLiteral("Overlap between the lists"));
  overlapTitle->setObjectName(QStringLiteral("chartTitle"));
  overlapTitle->setToolTip(overlapTable_->toolTip());
  common_ = new QLabel;
  common_->setObjectName(QStringLiteral("commonItems"));
  common_->setWordWrap(true);
  common_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  common_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  overlapArea_ = new QWidget;
  auto* overlapLayout = new QVBoxLayout(overlapArea_);
  overlapLayout->setContentsMargins(0, 4, 0, 0);
  overlapLayout->setSpacing(3);
  overlapLayout->addWidget(overlapTitle);
  auto* overlapRow = new QHBoxLayout;
  overlapRow->addWidget(overlapTable_, 0, Qt::AlignTop);
  overlapRow->addWidget(common_, 1);
  common_->setMinimumWidth(QFontMetrics(font()).averageCharWidth() * 24);
  overlapLayout->addLayout(overlapRow, 1);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 6, 0, 0);
  layout->setSpacing(8);
  layout->addLayout(controls);
  layout->addWidget(listsScroll, 1);
  layout->addWidget(overlapArea_);
  updateRunButton();
  clearLists(QStringLiteral("Select a user to see what each run recommends."));
}

void RecommendationListsView::setAvailableRuns(std::vector<reco::storage::RunInfo> runs) {
  available_ = std::move(runs);
  std::vector<reco::storage::RunId> kept;
  if (!automaticChoice_)
    for (const auto id : chosen_)
      if (std::any_of(available_.begin(), available_.end(),
                      [id](const auto& r) { return r.id == id; }))
        kept.push_back(id);
  // Nothing chosen by hand (or none of it left): the first runs, again as more arrive, so
  // that the demo's first start ends with its runs side by side, not with the first one
  // that finished.
  if (kept.empty()) {
    automaticChoice_ = true;
    for (std::size_t i = 0; i < available_.size() && i < std::size_t(kDefaultLists); ++i)
      kept.push_back(available_[i].id);
  }
  chosen_ = std::move(kept);
  rebuildRunMenu();
}

std::vector<reco::storage::RunInfo> RecommendationListsView::chosenRuns() const {
  std::vector<reco::storage::RunInfo> out;
  for (const auto& run : available_)
    if (std::find(chosen_.begin(), chosen_.end(), run.id) != chosen_.end()) out.push_back(run);
  return out;
}

void RecommendationListsView::setChosenRuns(const QStringList& names) {
  automaticChoice_ = false;
  chosen_.clear();
  for (const QString& name : names) {
    for (const auto& run : available_)
      if (toQString(run.name) == name && chosen_.size() < std::size_t(kMaxLists))
        chosen_.push_back(run.id);
  }
  rebuildRunMenu();
  emit choiceChanged();
}

int RecommendationListsView::listLength() const {
  return length_->value();
}

void RecommendationListsView::setListLength(int n) {
  length_->setValue(n);
}

void RecommendationListsView::showRunMenu() {
  runButton_->showMenu();
}

void RecommendationListsView::rebuildRunMenu() {
  runMenu_->clear();
  for (const auto& run : available_) {
    QAction* action = runMenu_->addAction(describeRun(run));
    action->setCheckable(true);
    const bool checked = std::find(chosen_.begin(), chosen_.end(), run.id) != chosen_.end();
    action->setChecked(checked);
    action->setEnabled(checked || chosen_.size() < std::size_t(kMaxLists));
    action->setToolTip(QStringLiteral("Trained %1").arg(formatDateTime(run.startedAt)));
    const reco::storage::RunId id = run.id;
    connect(action, &QAction::toggled, this, [this, id](bool on) {
      automaticChoice_ = false;
      if (on)
        chosen_.push_back(id);
      else
        std::erase(chosen_, id);
      // Rebuilt later: the menu is still handling this action's signal.
      QMetaObject::invokeMethod(
          this, [this] { rebuildRunMenu(); }, Qt::QueuedConnection);
      emit choiceChanged();
    });
  }
  if (available_.empty())
    runMenu_->addAction(QStringLiteral("No finished runs on this split"))->setEnabled(false);
  updateRunButton();
}

void RecommendationListsView::updateRunButton() {
  runButton_->setText(
      available_.empty()
          ? QStringLiteral("Runs: none on this split")
          : QStringLiteral("Runs: %1 of %2 chosen").arg(chosen_.size()).arg(available_.size()));
  runButton_->setMinimumWidth(runButton_->fontMetrics().horizontalAdvance(runButton_->text()) + 44);
}

void RecommendationListsView::clearLists(const QString& message) {
  for (Column& column : columns_) {
    column.model->setList(nullptr);
    column.box->hide();
  }
  placeholder_->setText(message);
  placeholder_->show();
  updateOverlap();
}

void RecommendationListsView::beginLists() {
  const auto runs = chosenRuns();
  if (runs.empty()) {
    clearLists(available_.empty()
                   ? QStringLiteral("No finished runs on this split yet: train a model in "
                                    "Experiments (or with `reco train`) to see its lists here.")
                   : QStringLiteral("Choose runs to compare with the Runs button (Ctrl+R)."));
    return;
  }
  placeholder_->hide();
  // The rank column fits the largest rank with the style sheet's cell padding (8 px a side)
  // and the style's text margins: a fixed 30 px left ranks 10 and up blank.
  const int rankWidth =
      fontMetrics().horizontalAdvance(QString::number(listLength())) + kCellPadding;
  for (std::size_t slot = 0; slot < columns_.size(); ++slot) {
    Column& column = columns_[slot];
    column.table->setColumnWidth(RecommendationListModel::RankColumn, rankWidth);
    column.model->setList(nullptr);
    column.box->setVisible(slot < runs.size());
    if (slot >= runs.size()) continue;
    const QString name = toQString(runs[slot].name), model = toQString(runs[slot].model);
    column.title->setText(
        name == model ? QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped())
                      : QStringLiteral("<b>%1</b> &nbsp;<span style='color:#5b6673'>%2</span>")
                            .arg(name.toHtmlEscaped(), model.toHtmlEscaped()));
    column.title->setToolTip(
        plainToolTip(QStringLiteral("Run %1: model %2, options %3")
                         .arg(toQString(runs[slot].name), toQString(runs[slot].model),
                              toQString(runs[slot].optionsJson))));
    column.status->setText(QStringLiteral("Loading…"));
    column.status->setProperty("error", false);
    column.status->show();
  }
  updateOverlap();
}

void RecommendationListsView::setList(int slot, RecommendationListPtr list) {
  if (slot < 0 || slot >= int(columns_.size()) || !list) return;
  Column& column = columns_[std::size_t(slot)];
  if (!list->error.empty()) {
    column.model->setList(list);  // no rows; kept so that lists() reports the failure
    column.status->setText(
        QStringLiteral("This run's list could not be made.\n%1").arg(toQString(list->error)));
    column.status->setProperty("error", true);
  } else {
    column.model->setList(list);
    column.status->setText(list->final
                               ? QString()
                               : QStringLiteral("Stored list; loading the model for the reasons…"));
    column.status->setProperty("error", false);
  }
  column.status->setVisible(!column.status->text().isEmpty());
  column.status->style()->unpolish(column.status);
  column.status->style()->polish(column.status);
  updateOverlap();
}

std::vector<RecommendationListPtr> RecommendationListsView::lists() const {
  std::vector<RecommendationListPtr> out;
  const std::size_t shown = chosenRuns().size();
  for (std::size_t slot = 0; slot < shown && slot < columns_.size(); ++slot)
    out.push_back(columns_[slot].model->list());
  return out;
}

bool RecommendationListsView::allFinal() const {
  const auto shown = lists();
  return !shown.empty() &&
         std::all_of(shown.begin(), shown.end(), [](const auto& l) { return l && l->final; });
}

RecommendationListModel* RecommendationListsView::listModel(int slot) const {
  return slot >= 0 && slot < int(columns_.size()) ? columns_[std::size_t(slot)].model : nullptr;
}

QString RecommendationListsView::commonItemsText() const {
  return common_->text();
}

void RecommendationListsView::updateOverlap() {
  std::vector<RecommendationListPtr> shown;
  for (const auto& list : lists())
    if (list) shown.push_back(list);
  overlap_->setLists(shown);
  // As tall as its rows: the lists take the rest of the height.
  overlapTable_->setFixedHeight(overlapTable_->horizontalHeader()->sizeHint().height() +
                                std::max<int>(1, int(shown.size())) * 26 +
                                2 * overlapTable_->frameWidth());
  const auto& common = overlap_->commonItems();
  for (const Column& column : columns_) column.model->setCommonItems(common);
  // An overlap needs two lists.
  overlapArea_->setVisible(chosenRuns().size() >= 2 && !placeholder_->isVisibleTo(this));
  if (shown.size() < 2) {
    common_->setText(QStringLiteral("Choose two or more runs to see how far their lists agree."));
    return;
  }
  QStringList titles;
  for (const auto& item : shown.front()->items) {
    if (!common.count(item.meta.item)) continue;
    titles << (item.meta.title.empty() ? toQString(item.meta.externalId)
                                       : toQString(item.meta.title))
                  .toHtmlEscaped();
  }
  common_->setText(titles.isEmpty() ? QStringLiteral("<b>No item</b> is in every list.")
                                    : QStringLiteral("<b>%1 item%2 in every list</b> (green): %3")
                                          .arg(titles.size())
                                          .arg(titles.size() == 1 ? "" : "s")
                                          .arg(titles.join(QStringLiteral(", "))));
}

void RecommendationListsView::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() != QEvent::FontChange) return;
  for (Column& column : columns_)
    column.table->verticalHeader()->setDefaultSectionSize(threeLineRowHeight(font()));
}

}  // namespace reco::ui
