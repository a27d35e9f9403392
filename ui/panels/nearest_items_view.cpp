#include "ui/panels/nearest_items_view.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/models/recommendation_list_model.h"
#include "ui/panels/panel_support.h"
#include "ui/panels/recommendation_lists_view.h"

namespace reco::ui {

namespace {
constexpr int kRowPixels = 26;
/// A cell's width beyond its text: the style sheet's padding and the style's margins.
constexpr int kCellPadding = 26;
/// From this table width on, the similarity also has a column of its own (sortable).
constexpr int kSimilarityColumnFrom = 360;
const QColor kDetailColor(0x5b, 0x66, 0x73);

/// Draws the item cell in two lines, the title and "similarity · category · price", so that
/// a narrow list still shows what a merchandiser compares (the tooltip has it all).
class ItemCellDelegate : public BackgroundRoleDelegate {
 public:
  using BackgroundRoleDelegate::BackgroundRoleDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override {
    const QVariant brush = index.data(Qt::BackgroundRole);
    if (brush.isValid() && !(option.state & QStyle::State_Selected))
      painter->fillRect(option.rect, brush.value<QBrush>());
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    option.widget->style()->drawControl(QStyle::CE_ItemViewItem, &background, painter,
                                        option.widget);
    const QAbstractItemModel* model = index.model();
    const auto sibling = [&](int column) {
      return model->index(index.row(), column).data().toString();
    };
    // The similarity first (it is what the lists compare, and must not be elided), unless
    // a wide list shows it in its own column.
    QStringList parts;
    const auto* table = qobject_cast<const QTableView*>(option.widget);
    if (!table || table->isColumnHidden(NearestItemsModel::SimilarityColumn))
      parts << QStringLiteral("sim. %1").arg(sibling(NearestItemsModel::SimilarityColumn));
    const QString category = sibling(NearestItemsModel::CategoryColumn);
    if (category != QStringLiteral("–")) parts << category;
    const QString price = sibling(NearestItemsModel::PriceColumn);
    if (price != QStringLiteral("–")) parts << price;
    const QRect area = option.rect.adjusted(8, 3, -6, -3);
    const int line = area.height() / 2;
    painter->save();
    QFont titleFont = option.font;
    if (index.data(NearestItemsModel::InAllListsRole).toBool()) titleFont.setBold(true);
    painter->setFont(titleFont);
    painter->setPen(option.state & QStyle::State_Selected
                        ? option.palette.color(QPalette::HighlightedText)
                        : option.palette.color(QPalette::Text));
    painter->drawText(
        QRect(area.left(), area.top(), area.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetrics(titleFont).elidedText(index.data().toString(), Qt::ElideRight, area.width()));
    QFont small = option.font;
    small.setPointSizeF(option.font.pointSizeF() * 0.92);
    painter->setFont(small);
    painter->setPen(kDetailColor);
    painter->drawText(QRect(area.left(), area.top() + line, area.width(), line),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(small).elidedText(parts.join(QStringLiteral(" · ")),
                                                     Qt::ElideRight, area.width()));
    painter->restore();
  }
};

void repolish(QWidget* widget) {
  widget->style()->unpolish(widget);
  widget->style()->polish(widget);
}
}  // namespace

NearestItemsView::NearestItemsView(QWidget* parent) : QWidget(parent) {
  auto* legend = new QLabel(
      QStringLiteral("Most similar first, by each run's model · "
                     "<span style='background:#e3f4e4'>&nbsp;green&nbsp;</span> in every list · "
                     "double-click an item to open it"));
  legend->setObjectName(QStringLiteral("nearestLegend"));
  legend->setWordWrap(true);

  // The lists side by side; below kMinListWidth each, the row scrolls sideways.
  const SideBySideLists sideBySide =
      createSideBySideLists(QStringLiteral("nearestScroll"), QStringLiteral("nearestMessage"));
  QScrollArea* listsScroll = sideBySide.scroll;
  QHBoxLayout* listsRow = sideBySide.row;
  placeholder_ = sideBySide.message;
  auto* backgrounds = new BackgroundRoleDelegate(this);
  auto* items = new ItemCellDelegate(this);
  const int rankWidth = fontMetrics().horizontalAdvance(QStringLiteral("100")) + kCellPadding;
  const int numberWidth =
      fontMetrics().horizontalAdvance(QStringLiteral("Similarity")) + kCellPadding;
  for (int slot = 0; slot < kMaxLists; ++slot) {
    Column column;
    column.box = new QWidget;
    column.box->setObjectName(QStringLiteral("nearestColumn%1").arg(slot));
    column.box->setMinimumWidth(kMinListWidth);
    column.title = new QLabel(column.box);
    column.title->setObjectName(QStringLiteral("listTitle"));
    column.status = new QLabel(column.box);
    column.status->setObjectName(QStringLiteral("listStatus"));
    column.status->setWordWrap(true);
    column.status->setTextFormat(Qt::PlainText);  // messages name runs and items
    column.model = new NearestItemsModel(this);
    column.table = new QTableView(column.box);
    column.table->setObjectName(QStringLiteral("nearestList%1").arg(slot));
    column.table->setModel(column.model);
    column.table->setItemDelegate(backgrounds);
    column.table->setItemDelegateForColumn(NearestItemsModel::TitleColumn, items);
    column.table->setSelectionBehavior(QAbstractItemView::SelectRows);
    column.table->setSelectionMode(QAbstractItemView::SingleSelection);
    column.table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    column.table->setShowGrid(false);
    column.table->setWordWrap(false);
    column.table->setSortingEnabled(true);
    column.table->horizontalHeader()->setSortIndicator(NearestItemsModel::RankColumn,
                                                       Qt::AscendingOrder);
    column.table->verticalHeader()->hide();
    column.table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    column.table->verticalHeader()->setDefaultSectionSize(QFontMetrics(font()).height() * 2 + 10);
    // Category, price and similarity are the title cell's second line; a wide list also has
    // a similarity column to sort by (resizeEvent of the table, see eventFilter).
    column.table->setColumnHidden(NearestItemsModel::CategoryColumn, true);
    column.table->setColumnHidden(NearestItemsModel::PriceColumn, true);
    column.table->setColumnHidden(NearestItemsModel::SimilarityColumn, true);
    column.table->installEventFilter(this);
    QHeaderView* header = column.table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Fixed);
    header->setSectionResizeMode(NearestItemsModel::TitleColumn, QHeaderView::Stretch);
    header->setMinimumSectionSize(16);
    header->setHighlightSections(false);
    column.table->setColumnWidth(NearestItemsModel::RankColumn, rankWidth);
    column.table->setColumnWidth(NearestItemsModel::SimilarityColumn, numberWidth);
    column.table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(column.table, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
      emit itemActivated(index.data(NearestItemsModel::ItemIndexRole).toInt());
    });
    auto* boxLayout = new QVBoxLayout(column.box);
    boxLayout->setContentsMargins(0, 0, 0, 0);
    boxLayout->setSpacing(3);
    boxLayout->addWidget(column.title);
    boxLayout->addWidget(column.status);
    boxLayout->addWidget(column.table, 1);
    // Takes the height when the table is hidden (an error), so the message stays on top.
    boxLayout->addStretch(0);
    column.box->hide();
    listsRow->addWidget(column.box, 1);
    columns_.push_back(column);
  }

  overlap_ = new ListOverlapModel(this);
  overlapTable_ = new QTableView;
  overlapTable_->setObjectName(QStringLiteral("nearestOverlapTable"));
  overlapTable_->setModel(overlap_);
  overlapTable_->setItemDelegate(new BackgroundRoleDelegate(overlapTable_));
  overlapTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  overlapTable_->setSelectionMode(QAbstractItemView::NoSelection);
  overlapTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  overlapTable_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  overlapTable_->verticalHeader()->setDefaultSectionSize(kRowPixels);
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
  common_->setObjectName(QStringLiteral("nearestCommonItems"));
  common_->setWordWrap(true);
  common_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  common_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  common_->setMinimumWidth(QFontMetrics(font()).averageCharWidth() * 24);
  overlapArea_ = new QWidget;
  auto* overlapLayout = new QVBoxLayout(overlapArea_);
  overlapLayout->setContentsMargins(0, 4, 0, 0);
  overlapLayout->setSpacing(3);
  overlapLayout->addWidget(overlapTitle);
  auto* overlapRow = new QHBoxLayout;
  overlapRow->addWidget(overlapTable_, 0, Qt::AlignTop);
  overlapRow->addWidget(common_, 1);
  overlapLayout->addLayout(overlapRow, 1);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 6, 0, 0);
  layout->setSpacing(8);
  layout->addWidget(legend);
  layout->addWidget(listsScroll, 1);
  layout->addWidget(overlapArea_);
  clearLists(QStringLiteral("Select an item to see what each run puts beside it."));
}

bool NearestItemsView::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Resize)
    for (const Column& column : columns_)
      if (watched == column.table)
        column.table->setColumnHidden(NearestItemsModel::SimilarityColumn,
                                      column.table->width() < kSimilarityColumnFrom);
  return QWidget::eventFilter(watched, event);
}

void NearestItemsView::clearLists(const QString& message) {
  shown_ = 0;
  for (Column& column : columns_) {
    column.model->setList(nullptr);
    column.box->hide();
  }
  placeholder_->setText(message);
  placeholder_->show();
  updateOverlap();
}

void NearestItemsView::beginLists(const std::vector<reco::storage::RunInfo>& runs) {
  shown_ = std::min(runs.size(), columns_.size());
  placeholder_->setVisible(shown_ == 0);
  for (std::size_t slot = 0; slot < columns_.size(); ++slot) {
    Column& column = columns_[slot];
    column.model->setList(nullptr);
    column.box->setVisible(slot < shown_);
    if (slot >= shown_) continue;
    const QString name = toQString(runs[slot].name), model = toQString(runs[slot].model);
    column.title->setText(
        name == model ? QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped())
                      : QStringLiteral("<b>%1</b> &nbsp;<span style='color:#5b6673'>%2</span>")
                            .arg(name.toHtmlEscaped(), model.toHtmlEscaped()));
    column.title->setToolTip(
        plainToolTip(QStringLiteral("Run %1: model %2, options %3")
                         .arg(name, model, toQString(runs[slot].optionsJson))));
    column.status->setText(QStringLiteral("Loading the model…"));
    column.status->setProperty("error", false);
    repolish(column.status);
    column.status->show();
    column.table->horizontalHeader()->setSortIndicator(NearestItemsModel::RankColumn,
                                                       Qt::AscendingOrder);
  }
  updateOverlap();
}

void NearestItemsView::setList(int slot, const NearestItemsPtr& list) {
  if (slot < 0 || std::size_t(slot) >= shown_ || !list) return;
  Column& column = columns_[std::size_t(slot)];
  column.model->setList(list);
  // The model puts the list in rank order; the header says so.
  column.table->horizontalHeader()->setSortIndicator(NearestItemsModel::RankColumn,
                                                     Qt::AscendingOrder);
  const bool failed = !list->error.empty();
  column.status->setText(failed ? toQString(list->error)
                         : list->items.empty()
                             ? QStringLiteral("The model finds no item like this one.")
                             : QString());
  column.status->setProperty("error", failed);
  repolish(column.status);
  column.status->setVisible(!column.status->text().isEmpty());
  column.table->setVisible(!failed);
  updateOverlap();
}

std::vector<NearestItemsPtr> NearestItemsView::lists() const {
  std::vector<NearestItemsPtr> out;
  for (std::size_t slot = 0; slot < shown_; ++slot) out.push_back(columns_[slot].model->list());
  return out;
}

bool NearestItemsView::allLoaded() const {
  const auto shown = lists();
  return !shown.empty() &&
         std::all_of(shown.begin(), shown.end(), [](const auto& list) { return list != nullptr; });
}

NearestItemsModel* NearestItemsView::listModel(int slot) const {
  return slot >= 0 && slot < int(columns_.size()) ? columns_[std::size_t(slot)].model : nullptr;
}

QTableView* NearestItemsView::listTable(int slot) const {
  return slot >= 0 && slot < int(columns_.size()) ? columns_[std::size_t(slot)].table : nullptr;
}

QString NearestItemsView::commonItemsText() const {
  return common_->text();
}

void NearestItemsView::updateOverlap() {
  // Lists without items (errors) take no part: an overlap is between lists that exist.
  std::vector<RecommendationListPtr> shown;
  std::vector<NearestItemsPtr> sources;
  for (const auto& list : lists())
    if (list && list->error.empty()) {
      shown.push_back(list->asRecommendationList());
      sources.push_back(list);
    }
  overlap_->setLists(shown);
  overlapTable_->setFixedHeight(overlapTable_->horizontalHeader()->sizeHint().height() +
                                std::max<int>(1, int(shown.size())) * kRowPixels +
                                2 * overlapTable_->frameWidth());
  const auto& common = overlap_->commonItems();
  for (const Column& column : columns_) column.model->setCommonItems(common);
  overlapArea_->setVisible(shown.size() >= 2);
  if (shown.size() < 2) {
    common_->clear();
    return;
  }
  QStringList titles;
  for (const auto& item : sources.front()->items) {
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

}  // namespace reco::ui
