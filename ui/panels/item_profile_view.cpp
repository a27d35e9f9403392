#include "ui/panels/item_profile_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/convert/qt_convert.h"
#include "ui/plots/activity_timeline.h"
#include "ui/plots/price_band_chart.h"
#include "ui/plots/user_category_chart.h"

namespace reco::ui {

namespace {

constexpr int kRowPixels = 26;

// Linear interpolation between order statistics of a sorted, non-empty sequence (as the
// user profile's price band).
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * double(sorted.size() - 1);
  const auto below = std::size_t(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - double(below));
}

}  // namespace

ItemProfileView::ItemProfileView(QWidget* parent) : QWidget(parent) {
  together_ = new CoOccurrenceModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(together_);
  proxy_->setSortRole(CoOccurrenceModel::SortRole);
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
  summary_->setTextFormat(Qt::RichText);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  timeline_ = new ActivityTimeline;
  categories_ = new UserCategoryChart;
  prices_ = new PriceBandChart;
  // The charts of a user's profile, counting the users who chose the item instead.
  const QString noItem = QStringLiteral("No item selected.");
  categories_->setCounting(QStringLiteral("users"), noItem);
  prices_->setCounting(
      QStringLiteral("users"),
      QStringLiteral("The median price of each user who chose the item, over their whole "
                     "history: the lowest, the median and the highest; the shaded band holds "
                     "the middle half (lower to upper quartile)"),
      noItem);
  auto* charts = new QSplitter(Qt::Horizontal);
  charts->setChildrenCollapsible(false);
  charts->addWidget(titled(
      QStringLiteral("Interactions over time"),
      QStringLiteral("Interactions with the item per hour, day, week or month, whichever suits "
                     "the span"),
      timeline_));
  charts->addWidget(
      titled(QStringLiteral("Its users' categories"),
             QStringLiteral("The users who chose the item by the category of most of their "
                            "interactions (top %1)")
                 .arg(kTopCategories),
             categories_));
  charts->addWidget(titled(QStringLiteral("Its users' prices"),
                           QStringLiteral("Histogram of the median price each user who chose "
                                          "the item pays, over their whole history"),
                           prices_));
  // Each chart keeps room for its labels (as in the user profile): in a narrow window the
  // item list beside the profile gives way instead of the charts cutting their labels.
  for (int i = 0; i < charts->count(); ++i) {
    charts->widget(i)->setMinimumWidth(190);
    charts->setStretchFactor(i, 1);
  }

  table_ = new QTableView;
  table_->setObjectName(QStringLiteral("togetherTable"));
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(CoOccurrenceModel::RankColumn, Qt::AscendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setAlternatingRowColors(true);
  table_->setShowGrid(false);
  table_->setWordWrap(false);
  table_->setTextElideMode(Qt::ElideRight);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(kRowPixels);
  // The title takes what the other columns, sized for their content, leave.
  QHeaderView* header = table_->horizontalHeader();
  header->setSectionResizeMode(QHeaderView::Interactive);
  header->setSectionResizeMode(CoOccurrenceModel::TitleColumn, QHeaderView::Stretch);
  header->setHighlightSections(false);
  header->setMinimumSectionSize(36);
  const QFontMetrics metrics(font());
  const auto fit = [&](int column, const char* sample) {
    table_->setColumnWidth(column, metrics.horizontalAdvance(QString::fromUtf8(sample)) + 26);
  };
  fit(CoOccurrenceModel::RankColumn, "000");
  fit(CoOccurrenceModel::PriceColumn, "0,000.00");
  fit(CoOccurrenceModel::UsersColumn, "Users 00");
  fit(CoOccurrenceModel::CosineColumn, "Cosine 0");
  table_->setToolTip(
      QStringLiteral("Items the same training users chose; double-click one to open it. Click a "
                     "header to sort."));
  connect(table_, &QAbstractItemView::activated, this, &ItemProfileView::activateRow);

  togetherTitle_ = new QLabel;
  togetherTitle_->setObjectName(QStringLiteral("chartTitle"));
  togetherTitle_->setWordWrap(true);
  togetherTitle_->setTextFormat(Qt::PlainText);
  togetherTitle_->setToolTip(
      QStringLiteral("Counted in the training part of the chosen split, each user once"));
  togetherNote_ = new QLabel;
  togetherNote_->setObjectName(QStringLiteral("togetherNote"));
  togetherNote_->setAlignment(Qt::AlignCenter);
  togetherNote_->setWordWrap(true);
  togetherNote_->setTextFormat(Qt::PlainText);
  togetherPages_ = new QStackedWidget;
  togetherPages_->addWidget(table_);
  togetherPages_->addWidget(togetherNote_);
  auto* togetherBox = new QWidget;
  auto* togetherLayout = new QVBoxLayout(togetherBox);
  togetherLayout->setContentsMargins(0, 0, 0, 0);
  togetherLayout->setSpacing(2);
  togetherLayout->addWidget(togetherTitle_);
  togetherLayout->addWidget(togetherPages_, 1);

  // The charts on top (they describe the item itself), the items chosen with it below.
  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(charts);
  splitter->addWidget(togetherBox);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({300, 300});

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

QWidget* ItemProfileView::titled(const QString& title, const QString& toolTip, QWidget* chart) {
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

void ItemProfileView::setProfile(const ItemProfilePtr& profile) {
  together_->setProfile(profile);
  table_->sortByColumn(CoOccurrenceModel::RankColumn, Qt::AscendingOrder);
  if (!profile) {
    showMessage(QStringLiteral("Select an item to see who chose it and what goes with it."));
    return;
  }
  const auto& p = *profile;
  const auto& meta = p.meta;
  const QString title = meta.title.empty() ? QStringLiteral("(no title)") : toQString(meta.title);
  QStringList facts;
  facts << (meta.category.empty() ? QStringLiteral("no category")
                                  : toQString(meta.category).toHtmlEscaped());
  facts << (meta.price ? QStringLiteral("price %1").arg(formatNumber(*meta.price, 2))
                       : QStringLiteral("no price"));
  facts << QStringLiteral("%1 interactions by %2 users")
               .arg(formatCount(p.interactions), formatCount(p.distinctUsers));
  facts
      << QStringLiteral("first %1 · last %2").arg(formatDate(p.firstTime), formatDate(p.lastTime));
  summary_->setText(QStringLiteral("<b>%1</b> · item %2<br>%3")
                        .arg(title.toHtmlEscaped(), toQString(meta.externalId).toHtmlEscaped(),
                             facts.join(QStringLiteral(" · "))));
  showCharts(p);
  showTogether(p);
  pages_->setCurrentIndex(1);
}

void ItemProfileView::showCharts(const reco::storage::ItemProfile& p) {
  const bool chosen = p.distinctUsers > 0;
  const QString nobody = QStringLiteral("Nobody has chosen this item.");
  if (p.times.empty())
    timeline_->clear(chosen ? QStringLiteral("The interactions with this item carry no time.")
                            : nobody);
  else
    timeline_->setTimes(p.times);

  const bool onlyUncategorised =
      p.userCategories.size() == 1 && p.userCategories.front().category.empty();
  if (p.userCategories.empty()) {
    categories_->clear(nobody);
  } else if (onlyUncategorised) {
    categories_->clear(
        QStringLiteral("No categories: the items its users chose have no category."));
  } else {
    categories_->setCategories(p.userCategories, p.distinctUsers, kTopCategories);
  }

  const std::vector<double>& medians = p.userMedianPrices;
  if (medians.empty()) {
    prices_->clear(chosen ? QStringLiteral("No prices: none of the items its users chose has a "
                                           "price (import an item catalogue with a price "
                                           "column to see the band).")
                          : nobody);
    return;
  }
  const reco::storage::PriceBand band{medians.size(),          medians.front(),
                                      quantile(medians, 0.25), quantile(medians, 0.5),
                                      quantile(medians, 0.75), medians.back()};
  prices_->setPrices(medians, band);
}

void ItemProfileView::showTogether(const reco::storage::ItemProfile& p) {
  const QString split = toQString(p.splitName);  // the labels are plain text
  QString note;
  if (p.splitName.empty()) {
    togetherTitle_->setText(QStringLiteral("Chosen together"));
    note = QStringLiteral(
        "No split chosen: choose a split to see the items its training users chose together "
        "with this one.");
  } else if (p.trainingUsers == 0) {
    togetherTitle_->setText(QStringLiteral("Chosen together in split %1").arg(split));
    note = QStringLiteral(
               "No training user of split %1 chose this item (it is only in the validation or "
               "test part, or below the split's rating threshold).")
               .arg(split);
  } else {
    togetherTitle_->setText(
        QStringLiteral("Chosen together by the %1 training users of split %2 who chose it")
            .arg(formatCount(p.trainingUsers), split));
    if (p.together.empty()) note = QStringLiteral("They chose no other item in the training part.");
  }
  fitColumns(p);
  togetherNote_->setText(note);
  togetherPages_->setCurrentWidget(note.isEmpty() ? static_cast<QWidget*>(table_) : togetherNote_);
}

void ItemProfileView::fitColumns(const reco::storage::ItemProfile& p) {
  // A category or price column that no row fills is hidden (MovieLens has no prices, Online
  // Retail no categories), and the id and category columns are as wide as their widest
  // text, within bounds: the title gets the rest, which at 640 px was a few letters.
  bool anyCategory = false, anyPrice = false;
  const QFontMetrics metrics(table_->font());
  const auto widthOf = [&metrics](const std::string& text) {
    return metrics.horizontalAdvance(toQString(text)) + 26;
  };
  int idWidth = metrics.horizontalAdvance(QStringLiteral("Item")) + 26;
  int categoryWidth = metrics.horizontalAdvance(QStringLiteral("Category")) + 26;
  for (const auto& entry : p.together) {
    anyCategory = anyCategory || !entry.item.category.empty();
    anyPrice = anyPrice || entry.item.price.has_value();
    idWidth = std::max(idWidth, widthOf(entry.item.externalId));
    categoryWidth = std::max(categoryWidth, widthOf(entry.item.category));
  }
  table_->setColumnHidden(CoOccurrenceModel::CategoryColumn, !anyCategory);
  table_->setColumnHidden(CoOccurrenceModel::PriceColumn, !anyPrice);
  table_->setColumnWidth(CoOccurrenceModel::IdColumn, std::min(idWidth, 140));
  table_->setColumnWidth(CoOccurrenceModel::CategoryColumn, std::min(categoryWidth, 170));
}

void ItemProfileView::activateRow(const QModelIndex& proxyIndex) {
  const std::int32_t item = together_->itemAt(proxy_->mapToSource(proxyIndex).row());
  if (item >= 0) emit itemActivated(item);
}

void ItemProfileView::showMessage(const QString& text, bool isError) {
  message_->setText(text);
  message_->setProperty("error", isError);
  message_->style()->unpolish(message_);
  message_->style()->polish(message_);
  pages_->setCurrentIndex(0);
}

QString ItemProfileView::summaryText() const {
  return summary_->text();
}

QString ItemProfileView::togetherTitle() const {
  return togetherTitle_->text();
}

QString ItemProfileView::togetherNote() const {
  return togetherPages_->currentWidget() == togetherNote_ ? togetherNote_->text() : QString();
}

bool ItemProfileView::isShowingMessage() const {
  return pages_->currentIndex() == 0;
}

}  // namespace reco::ui
