#include "ui/panels/item_audience_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/panels/panel_support.h"

namespace reco::ui {

namespace {
constexpr int kRowPixels = 26;

void repolish(QWidget* widget) {
  widget->style()->unpolish(widget);
  widget->style()->polish(widget);
}
}  // namespace

ItemAudienceView::ItemAudienceView(QWidget* parent) : QWidget(parent) {
  auto* legend = new QLabel(QStringLiteral(
      "The users whose stored top-N list (made when the run was evaluated) holds this item. "
      "Double-click a user to open them in the Users panel."));
  legend->setObjectName(QStringLiteral("audienceLegend"));
  legend->setWordWrap(true);
  openButton_ = new QPushButton(QStringLiteral("&Open in Users"));
  openButton_->setObjectName(QStringLiteral("openInUsersButton"));
  openButton_->setToolTip(QStringLiteral("Open the selected user in the Users panel"));
  openButton_->setEnabled(false);
  connect(openButton_, &QPushButton::clicked, this, &ItemAudienceView::openSelectedUser);
  auto* controls = new QHBoxLayout;
  controls->addWidget(legend, 1);
  controls->addWidget(openButton_, 0, Qt::AlignVCenter);

  const SideBySideLists sideBySide =
      createSideBySideLists(QStringLiteral("audienceScroll"), QStringLiteral("audienceMessage"));
  QScrollArea* listsScroll = sideBySide.scroll;
  QHBoxLayout* listsRow = sideBySide.row;
  placeholder_ = sideBySide.message;
  for (int slot = 0; slot < kMaxLists; ++slot) {
    Column column;
    column.box = new QWidget;
    column.box->setObjectName(QStringLiteral("audienceColumn%1").arg(slot));
    column.box->setMinimumWidth(kMinListWidth);
    column.title = new QLabel(column.box);
    column.title->setObjectName(QStringLiteral("listTitle"));
    column.summary = new QLabel(column.box);
    column.summary->setObjectName(QStringLiteral("audienceSummary"));
    column.summary->setWordWrap(true);
    column.summary->setTextFormat(Qt::PlainText);  // messages name runs and items
    column.model = new ItemAudienceModel(this);
    column.table = new QTableView(column.box);
    column.table->setObjectName(QStringLiteral("audienceList%1").arg(slot));
    column.table->setModel(column.model);
    setUpRecordTable(column.table, kRowPixels);
    column.table->horizontalHeader()->setSortIndicator(column.model->sortColumn(),
                                                       column.model->sortOrder());
    column.table->setSortingEnabled(true);
    // Ids take the room; rank and score are as wide as their values (the header's sort
    // arrow included; scores as small as EASE's, "0.00612"), so three runs side by side show
    // whole ids at 1280 px.
    QHeaderView* header = column.table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Fixed);
    header->setSectionResizeMode(ItemAudienceModel::UserColumn, QHeaderView::Stretch);
    column.table->setColumnWidth(ItemAudienceModel::RankColumn,
                                 fontMetrics().horizontalAdvance(QStringLiteral("100")) + 34);
    column.table->setColumnWidth(ItemAudienceModel::ScoreColumn,
                                 fontMetrics().horizontalAdvance(QStringLiteral("-0.00000")) + 22);
    column.table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(column.table, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
      emit userActivated(index.data(ItemAudienceModel::UserIdRole).toString());
    });
    QTableView* table = column.table;
    connect(column.model, &QAbstractItemModel::modelReset, this,
            &ItemAudienceView::updateOpenButton);
    connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this, table] {
      lastTable_ = table;
      updateOpenButton();
    });
    auto* boxLayout = new QVBoxLayout(column.box);
    boxLayout->setContentsMargins(0, 0, 0, 0);
    boxLayout->setSpacing(3);
    boxLayout->addWidget(column.title);
    boxLayout->addWidget(column.summary);
    boxLayout->addWidget(column.table, 1);
    boxLayout->addStretch(0);  // keeps a message on top when the table is hidden
    column.box->hide();
    listsRow->addWidget(column.box, 1);
    columns_.push_back(column);
  }

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 6, 0, 0);
  layout->setSpacing(8);
  layout->addLayout(controls);
  layout->addWidget(listsScroll, 1);
  clearLists(QStringLiteral("Select an item to see who each run shows it to."));
}

void ItemAudienceView::clearLists(const QString& message) {
  shown_ = 0;
  for (Column& column : columns_) {
    column.model->setAudience(nullptr);
    column.box->hide();
  }
  placeholder_->setText(message);
  placeholder_->show();
  lastTable_ = nullptr;
  updateOpenButton();
}

void ItemAudienceView::beginLists(const std::vector<reco::storage::RunInfo>& runs) {
  shown_ = std::min(runs.size(), columns_.size());
  placeholder_->setVisible(shown_ == 0);
  for (std::size_t slot = 0; slot < columns_.size(); ++slot) {
    Column& column = columns_[slot];
    column.model->setAudience(nullptr);
    column.box->setVisible(slot < shown_);
    if (slot >= shown_) continue;
    const QString name = toQString(runs[slot].name), model = toQString(runs[slot].model);
    column.title->setText(
        name == model ? QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped())
                      : QStringLiteral("<b>%1</b> &nbsp;<span style='color:#5b6673'>%2</span>")
                            .arg(name.toHtmlEscaped(), model.toHtmlEscaped()));
    column.summary->setText(QStringLiteral("Reading the stored lists…"));
    column.summary->setProperty("error", false);
    repolish(column.summary);
  }
  lastTable_ = nullptr;
  updateOpenButton();
}

void ItemAudienceView::setAudience(int slot, const ItemAudiencePtr& audience) {
  if (slot < 0 || std::size_t(slot) >= shown_ || !audience) return;
  Column& column = columns_[std::size_t(slot)];
  column.model->setAudience(audience);
  const bool failed = !audience->error.empty();
  QString text;
  if (failed)
    text = toQString(audience->error);
  else if (audience->listedUsers == 0)
    text = QStringLiteral("This run stored no top-N lists, so nobody is known to be shown it.");
  else
    text = QStringLiteral("Shown to %1 of %2 users with a list (%3)")
               .arg(formatCount(std::int64_t(audience->members.size())),
                    formatCount(audience->listedUsers), formatPercent(audience->share()));
  column.summary->setText(text);
  column.summary->setProperty("error", failed);
  repolish(column.summary);
  column.table->setVisible(!failed);
}

std::vector<ItemAudiencePtr> ItemAudienceView::audiences() const {
  std::vector<ItemAudiencePtr> out;
  for (std::size_t slot = 0; slot < shown_; ++slot) out.push_back(columns_[slot].model->audience());
  return out;
}

bool ItemAudienceView::allLoaded() const {
  const auto shown = audiences();
  return !shown.empty() &&
         std::all_of(shown.begin(), shown.end(), [](const auto& a) { return a != nullptr; });
}

ItemAudienceModel* ItemAudienceView::audienceModel(int slot) const {
  return slot >= 0 && slot < int(columns_.size()) ? columns_[std::size_t(slot)].model : nullptr;
}

QTableView* ItemAudienceView::audienceTable(int slot) const {
  return slot >= 0 && slot < int(columns_.size()) ? columns_[std::size_t(slot)].table : nullptr;
}

QString ItemAudienceView::summaryText(int slot) const {
  return slot >= 0 && slot < int(columns_.size()) ? columns_[std::size_t(slot)].summary->text()
                                                  : QString();
}

void ItemAudienceView::openSelectedUser() {
  if (!lastTable_) return;
  const QModelIndex current = lastTable_->selectionModel()->currentIndex();
  if (current.isValid()) emit userActivated(current.data(ItemAudienceModel::UserIdRole).toString());
}

void ItemAudienceView::updateOpenButton() {
  openButton_->setEnabled(lastTable_ && lastTable_->selectionModel()->currentIndex().isValid());
}

}  // namespace reco::ui
