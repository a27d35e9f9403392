#include "ui/panels/user_profile_view.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/panels/recommendation_lists_view.h"
#include "ui/plots/activity_timeline.h"
#include "ui/plots/price_band_chart.h"
#include "ui/plots/user_category_chart.h"

namespace reco::ui {

namespace {
constexpr int kRowPixels = 26;
}

UserProfileView::UserProfileView(QWidget* parent) : QWidget(parent) {
  history_ = new UserHistoryModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(history_);
  proxy_->setSortRole(UserHistoryModel::SortRole);
  proxy_->setSortCaseSensitivity(Qt::CaseInsensitive);

  pages_ = new QStackedWidget(this);
  message_ = new QLabel;
  message_->setObjectName(QStringLiteral("profileMessage"));
  message_->setAlignment(Qt::AlignCenter);
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  pages_->addWidget(message_);

  auto* page = new QWidget;
  summary_ = new QLabel(page);
  summary_->setObjectName(QStringLiteral("profileSummary"));
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  table_ = new QTableView;
  table_->setObjectName(QStringLiteral("historyTable"));
  table_->setModel(proxy_);
  table_->setItemDelegate(new BackgroundRoleDelegate(table_));  // keeps the test rows highlighted
  table_->setSortingEnabled(true);
  // The Items panel opens a double-clicked item (the main window routes it).
  connect(table_, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
    emit itemActivated(index.data(UserHistoryModel::ItemIndexRole).toInt());
  });
  table_->sortByColumn(UserHistoryModel::TimeColumn, Qt::DescendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setAlternatingRowColors(true);
  table_->setShowGrid(false);
  table_->setWordWrap(false);
  table_->setTextElideMode(Qt::ElideRight);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(kRowPixels);
  // Time, price, event and part sized for their content; the title and the category share
  // what is left, the title the larger part (fitHistoryColumns()).
  QHeaderView* header = table_->horizontalHeader();
  header->setSectionResizeMode(QHeaderView::Interactive);
  header->setHighlightSections(false);
  header->setMinimumSectionSize(40);
  const QFontMetrics metrics(font());
  const auto fit = [&](int column, const char* sample) {
    table_->setColumnWidth(column, metrics.horizontalAdvance(QString::fromUtf8(sample)) + 26);
  };
  fit(UserHistoryModel::TimeColumn, "0000-00-00 00:00");
  fit(UserHistoryModel::PriceColumn, "0,000.00");
  fit(UserHistoryModel::EventColumn, "purchase ×9");
  fit(UserHistoryModel::PartColumn, "validation");
  table_->viewport()->installEventFilter(this);
  // The Event column already says the value ("rating 4", "purchase ×3", "cart").
  table_->setColumnHidden(UserHistoryModel::ValueColumn, true);
  table_->setToolTip(
      QStringLiteral("The user's interactions; rows the chosen split held out for testing are "
                     "highlighted. Click a header to sort."));

  // The history on top, full width; below it the category mix, the activity and the prices
  // side by side.
  categories_ = new UserCategoryChart;
  timeline_ = new ActivityTimeline;
  prices_ = new PriceBandChart;
  auto* charts = new QSplitter(Qt::Horizontal);
  charts->setChildrenCollapsible(false);
  charts->addWidget(titled(
      QStringLiteral("Categories"),
      QStringLiteral("The user's interactions by item category (top %1)").arg(kTopCategories),
      categories_));
  charts->addWidget(
      titled(QStringLiteral("Activity over time"),
             QStringLiteral("Interactions per hour, day, week or month, whichever suits the span"),
             timeline_));
  charts->addWidget(titled(
      QStringLiteral("Price band"),
      QStringLiteral("Histogram of the prices of the user's items, one per interaction"), prices_));
  // Each chart keeps room for its labels and legend (about 190 px): in a narrow window the
  // user list beside the profile gives way instead of the charts cutting their labels.
  for (int i = 0; i < charts->count(); ++i) charts->widget(i)->setMinimumWidth(190);
  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(table_);
  splitter->addWidget(charts);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({330, 330});
  charts->setStretchFactor(0, 1);
  charts->setStretchFactor(1, 1);
  charts->setStretchFactor(2, 1);

  auto* pageLayout = new QVBoxLayout(page);
  pageLayout->setContentsMargins(0, 6, 0, 0);
  pageLayout->setSpacing(8);
  pageLayout->addWidget(summary_);
  pageLayout->addWidget(splitter, 1);
  pages_->addWidget(page);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(pages_);
  setProfile(nullptr);
}

QWidget* UserProfileView::titled(const QString& title, const QString& toolTip, QWidget* chart) {
  auto* box = new QWidget;
  box->setObjectName(QStringLiteral("profileChartBox"));
  auto* label = new QLabel(title, box);
  label->setObjectName(QStringLiteral("chartTitle"));
  label->setToolTip(toolTip);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(label);
  layout->addWidget(chart, 1);
  return box;
}

void UserProfileView::setProfile(UserProfilePtr profile) {
  history_->setProfile(profile);
  if (!profile) {
    showMessage(QStringLiteral("Select a user to see their history and profile."));
    return;
  }
  const auto& p = profile->profile;
  const auto& history = profile->history;
  QString text =
      QStringLiteral("<b>User %1</b> · %2 interactions with %3 items · first %4 · last %5")
          .arg(toQString(history.externalId).toHtmlEscaped(),
               formatCount(std::int64_t(history.entries.size())), formatCount(p.distinctItems),
               formatDate(p.firstTime), formatDate(p.lastTime));
  if (!profile->splitName.empty()) {
    int counts[3] = {0, 0, 0};
    for (const auto& [item, part] : profile->parts) ++counts[part];
    text += QStringLiteral(" · split %1: %2 train, %3 validation, %4 test items")
                .arg(toQString(profile->splitName).toHtmlEscaped())
                .arg(counts[0])
                .arg(counts[1])
                .arg(counts[2]);
  }
  summary_->setText(text);
  std::int64_t total = 0;
  for (const auto& share : p.categories) total += share.interactions;
  categories_->setCategories(p.categories, total, kTopCategories);
  timeline_->setTimes(p.times);
  prices_->setPrices(p.pricesSorted, p.prices);
  pages_->setCurrentIndex(1);
}

void UserProfileView::showMessage(const QString& text, bool isError) {
  message_->setText(text);
  message_->setProperty("error", isError);
  message_->style()->unpolish(message_);
  message_->style()->polish(message_);
  pages_->setCurrentIndex(0);
}

QString UserProfileView::summaryText() const {
  return summary_->text();
}

bool UserProfileView::eventFilter(QObject* watched, QEvent* event) {
  if (watched == table_->viewport() && event->type() == QEvent::Resize) fitHistoryColumns();
  return QWidget::eventFilter(watched, event);
}

void UserProfileView::fitHistoryColumns() {
  // A fixed category width left the title ~40 px in a 1320 px window; now the category gets
  // a third of what the fixed columns leave (at most what a long category needs) and the
  // title the rest.
  int fixed = 0;
  for (const int column : {int(UserHistoryModel::TimeColumn), int(UserHistoryModel::PriceColumn),
                           int(UserHistoryModel::EventColumn), int(UserHistoryModel::PartColumn)})
    if (!table_->isColumnHidden(column)) fixed += table_->columnWidth(column);
  const int left = std::max(0, table_->viewport()->width() - fixed);
  const QFontMetrics metrics = fontMetrics();
  const int longest =
      metrics.horizontalAdvance(QStringLiteral("Home & Kitchen > Small Appliances")) + 26;
  const int category =
      std::clamp(left / 3, metrics.horizontalAdvance(QStringLiteral("Home…")) + 26, longest);
  table_->setColumnWidth(UserHistoryModel::CategoryColumn, category);
  // Never narrower than a short title: in a narrow window the table scrolls sideways instead.
  table_->setColumnWidth(
      UserHistoryModel::TitleColumn,
      std::max(left - category, metrics.horizontalAdvance(QStringLiteral("Orbit Rugged")) + 26));
}

}  // namespace reco::ui
