#include "ui/panels/dataset_stats_view.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/models/count_summary_model.h"
#include "ui/models/event_share_model.h"
#include "ui/models/import_report_model.h"
#include "ui/panels/panel_support.h"
#include "ui/plots/category_bar_chart.h"
#include "ui/plots/distribution_plots.h"

namespace reco::ui {

namespace {

constexpr int kRowPixels = 26;
constexpr int kMinReportRows = 6;
constexpr int kCategoryBars = 10;

/// A read-only table that is exactly as tall as its rows (the page scrolls, not it).
QTableView* makeSmallTable(QWidget* parent, const QString& objectName) {
  auto* view = new QTableView(parent);
  view->setObjectName(objectName);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setSelectionMode(QAbstractItemView::NoSelection);
  view->setFocusPolicy(Qt::NoFocus);
  view->setAlternatingRowColors(true);
  view->setShowGrid(false);
  view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  view->verticalHeader()->setDefaultSectionSize(kRowPixels);
  view->horizontalHeader()->setHighlightSections(false);
  return view;
}

/// Rows of one fixed height, so that a view can be sized to its rows before it is shown.
class FixedRowDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    return {QStyledItemDelegate::sizeHint(option, index).width(), kRowPixels};
  }
};

/// A tab's page in a scroll area of its own: the page gets the tab's size (plots fill it)
/// and scrolls only when it needs more, so the figures above the tabs stay in view.
QScrollArea* scrolled(QWidget* page) {
  auto* scroll = new QScrollArea;
  scroll->setObjectName(QStringLiteral("statsTabScroll"));
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  // Sideways only when the window is narrower than the page's minimum (1024 px with a long
  // category list): never a page cut off at the right edge without a way to see the rest.
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  scroll->setWidget(page);
  return scroll;
}

void fitHeight(QTableView* view) {
  const int rows = view->model() ? view->model()->rowCount() : 0;
  view->setFixedHeight(view->horizontalHeader()->sizeHint().height() + rows * kRowPixels +
                       2 * view->frameWidth());
}

QString sourceNames(const std::string& source) {
  QStringList names;
  for (const QString& path : toQString(source).split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
    names << QFileInfo(path).fileName();
  }
  return names.join(QStringLiteral(", "));
}

}  // namespace

DatasetStatsView::DatasetStatsView(QWidget* parent) : QWidget(parent) {
  pages_ = new QStackedWidget(this);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->addWidget(pages_);

  message_ = new QLabel(pages_);
  message_->setObjectName(QStringLiteral("statsMessage"));
  message_->setAlignment(Qt::AlignCenter);
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  message_->setTextFormat(Qt::PlainText);  // messages carry paths and errors, never markup
  pages_->addWidget(message_);

  auto* page = new QWidget(pages_);
  pages_->addWidget(page);
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(12);

  // Title
  title_ = new QLabel(page);
  title_->setObjectName(QStringLiteral("statsTitle"));
  // The name and the source are the user's text: shown as typed, never as markup.
  title_->setTextFormat(Qt::PlainText);
  subtitle_ = new QLabel(page);
  subtitle_->setTextFormat(Qt::PlainText);
  subtitle_->setObjectName(QStringLiteral("statsSubtitle"));
  subtitle_->setWordWrap(true);
  subtitle_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* titleBox = new QVBoxLayout;
  titleBox->setSpacing(2);
  titleBox->addWidget(title_);
  titleBox->addWidget(subtitle_);
  layout->addLayout(titleBox);

  // Summary figures
  auto* cards = new QHBoxLayout;
  cards->setSpacing(10);
  cards->addWidget(makeCard(QStringLiteral("Users"), QStringLiteral("statUsers"), &users_));
  cards->addWidget(makeCard(QStringLiteral("Items"), QStringLiteral("statItems"), &items_));
  cards->addWidget(
      makeCard(QStringLiteral("Interactions"), QStringLiteral("statInteractions"), &interactions_));
  cards->addWidget(makeCard(QStringLiteral("Density"), QStringLiteral("statDensity"), &density_));
  QWidget* timeCard =
      makeCard(QStringLiteral("Time span"), QStringLiteral("statTimeSpan"), &timeSpan_);
  timeRange_ = new QLabel(timeCard);
  timeRange_->setObjectName(QStringLiteral("cardDetail"));
  static_cast<QVBoxLayout*>(timeCard->layout())->addWidget(timeRange_);
  cards->addWidget(timeCard);
  layout->addLayout(cards);

  // Distributions: quantiles and events on the left, categories on the right.
  auto* middle = new QHBoxLayout;
  middle->setSpacing(12);
  auto* left = new QVBoxLayout;
  left->setSpacing(12);

  auto* quantileBox = new QGroupBox(QStringLiteral("Interactions per user and per item"), page);
  auto* quantileLayout = new QVBoxLayout(quantileBox);
  quantiles_ = new CountSummaryModel(this);
  quantileView_ = makeSmallTable(quantileBox, QStringLiteral("quantileTable"));
  quantileView_->setModel(quantiles_);
  quantileView_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  quantileView_->verticalHeader()->setMinimumWidth(70);
  quantileLayout->addWidget(quantileView_);
  left->addWidget(quantileBox);

  auto* eventBox = new QGroupBox(QStringLiteral("Event mix"), page);
  auto* eventLayout = new QVBoxLayout(eventBox);
  events_ = new EventShareModel(this);
  eventView_ = makeSmallTable(eventBox, QStringLiteral("eventTable"));
  eventView_->setModel(events_);
  eventView_->verticalHeader()->hide();
  eventView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  eventView_->horizontalHeader()->setSectionResizeMode(EventShareModel::EventColumn,
                                                       QHeaderView::Stretch);
  eventNote_ =
      new QLabel(QStringLiteral("The interactions of this dataset carry no event type."), eventBox);
  eventNote_->setObjectName(QStringLiteral("noteLabel"));
  eventNote_->setWordWrap(true);
  eventLayout->addWidget(eventView_);
  eventLayout->addWidget(eventNote_);
  left->addWidget(eventBox);
  left->addStretch(1);

  categoryBox_ = new QGroupBox(page);
  auto* categoryLayout = new QVBoxLayout(categoryBox_);
  categories_ = new CategoryBarChart(categoryBox_);
  categoryLayout->addWidget(categories_);

  auto* leftWidget = new QWidget(page);
  leftWidget->setLayout(left);
  left->setContentsMargins(0, 0, 0, 0);
  leftWidget->setMinimumWidth(360);  // leaves the category chart room for its labels at 1024 px
  leftWidget->setMaximumWidth(460);
  middle->addWidget(leftWidget, 0);
  middle->addWidget(categoryBox_, 1);

  // The sections below the figures are tabs, so that the page fits 1280x800.
  tabs_ = new QTabWidget(page);
  tabs_->setObjectName(QStringLiteral("statsTabs"));
  tabs_->setDocumentMode(true);
  auto* overview = new QWidget(tabs_);
  overview->setObjectName(QStringLiteral("statsTabPage"));
  overview->setLayout(middle);
  middle->setContentsMargins(0, 10, 0, 0);
  tabs_->addTab(scrolled(overview), QStringLiteral("&Overview"));
  tabs_->setTabToolTip(
      0,
      QStringLiteral(
          "Quantiles of interactions per user and per item, the event mix and the category mix"));

  auto* distributions = new QWidget(tabs_);
  distributions->setObjectName(QStringLiteral("statsTabPage"));
  auto* distributionLayout = new QVBoxLayout(distributions);
  distributionLayout->setContentsMargins(0, 10, 0, 0);
  distributionSummary_ = new QLabel(distributions);
  distributionSummary_->setObjectName(QStringLiteral("distributionSummary"));
  distributionSummary_->setWordWrap(true);
  distributionSummary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  longTail_ = new LongTailPlot(distributions);
  activity_ = new ActivityHistogram(distributions);
  auto* plotRow = new QHBoxLayout;
  plotRow->setSpacing(12);
  plotRow->addWidget(longTail_, 1);
  plotRow->addWidget(activity_, 1);
  distributionLayout->addWidget(distributionSummary_);
  distributionLayout->addLayout(plotRow, 1);
  tabs_->addTab(scrolled(distributions), QStringLiteral("&Popularity and activity"));
  tabs_->setTabToolTip(
      1, QStringLiteral("How concentrated the interactions are: the item popularity long tail and "
                        "the number of interactions per user"));

  auto* overTimePage = new QWidget(tabs_);
  overTimePage->setObjectName(QStringLiteral("statsTabPage"));
  auto* overTimeLayout = new QVBoxLayout(overTimePage);
  overTimeLayout->setContentsMargins(0, 10, 0, 0);
  overTime_ = new InteractionsOverTimePlot(overTimePage);
  overTimeLayout->addWidget(overTime_, 1);
  tabs_->addTab(scrolled(overTimePage), QStringLiteral("Over &time"));
  tabs_->setTabToolTip(2, QStringLiteral("Interactions per week"));

  // Import report
  auto* reportBox = new QGroupBox(QStringLiteral("Import report"), page);
  auto* reportLayout = new QVBoxLayout(reportBox);
  reportSummary_ = new QLabel(reportBox);
  reportSummary_->setObjectName(QStringLiteral("reportSummary"));
  reportSummary_->setWordWrap(true);
  report_ = new ImportReportModel(this);
  reportView_ = new QTreeView(reportBox);
  reportView_->setObjectName(QStringLiteral("reportTree"));
  reportView_->setModel(report_);
  reportView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  reportView_->setAlternatingRowColors(true);
  reportView_->setUniformRowHeights(true);
  reportView_->setItemDelegate(new FixedRowDelegate(reportView_));
  reportView_->header()->setStretchLastSection(true);
  reportView_->header()->setHighlightSections(false);
  reportNotes_ = new QLabel(reportBox);
  reportNotes_->setObjectName(QStringLiteral("reportNotes"));
  reportNotes_->setWordWrap(true);
  reportNotes_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  reportLayout->addWidget(reportSummary_);
  reportLayout->addWidget(reportView_, 1);
  reportLayout->addWidget(reportNotes_);
  reportLayout->addStretch(0);
  auto* reportPage = new QWidget(tabs_);
  reportPage->setObjectName(QStringLiteral("statsTabPage"));
  auto* reportPageLayout = new QVBoxLayout(reportPage);
  reportPageLayout->setContentsMargins(0, 10, 0, 0);
  reportPageLayout->addWidget(reportBox);
  tabs_->addTab(scrolled(reportPage), QStringLiteral("Import &report"));
  tabs_->setTabToolTip(
      3, QStringLiteral("Rows read, kept and rejected by reason, with the first examples"));
  layout->addWidget(tabs_, 1);
  // For screenshots (tools/screenshots.sh): RECO_SCREENSHOT_DATASETS_TAB=overview,
  // distributions, time or report opens that tab first.
  const QString wantedTab = qEnvironmentVariable("RECO_SCREENSHOT_DATASETS_TAB").toLower();
  const QStringList tabNames = {QStringLiteral("overview"), QStringLiteral("distributions"),
                                QStringLiteral("time"), QStringLiteral("report")};
  if (tabNames.contains(wantedTab)) tabs_->setCurrentIndex(int(tabNames.indexOf(wantedTab)));

  showMessage(QStringLiteral("Select a dataset to see its statistics."));
}

QWidget* DatasetStatsView::makeCard(const QString& caption, const QString& objectName,
                                    QLabel** value) {
  auto* card = new QFrame(this);
  card->setObjectName(QStringLiteral("statCard"));
  auto* layout = new QVBoxLayout(card);
  layout->setContentsMargins(14, 10, 14, 10);
  layout->setSpacing(2);
  auto* captionLabel = new QLabel(caption, card);
  captionLabel->setObjectName(QStringLiteral("cardCaption"));
  *value = new QLabel(QStringLiteral("–"), card);
  (*value)->setObjectName(objectName);
  (*value)->setProperty("cardValue", true);
  (*value)->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(captionLabel);
  layout->addWidget(*value);
  return card;
}

void DatasetStatsView::showMessage(const QString& message, bool isError) {
  details_.reset();
  message_->setText(message);
  message_->setProperty("error", isError);
  // Re-polish so that the style sheet's [error="true"] rule applies.
  message_->style()->unpolish(message_);
  message_->style()->polish(message_);
  pages_->setCurrentWidget(message_);
}

void DatasetStatsView::setDistributions(DistributionsPtr distributions) {
  distributions_ = std::move(distributions);
  if (!distributions_) {
    showDistributionsMessage(QStringLiteral("Select a dataset to see its distributions."));
    return;
  }
  const reco::DatasetDistributions& d = *distributions_;
  longTail_->setDistributions(d);
  activity_->setDistributions(d);
  overTime_->setDistributions(d);
  QString summary;
  if (d.items > 0) {
    summary =
        QStringLiteral("The most popular 20% of the %1 items get <b>%2</b> of the interactions.")
            .arg(formatCount(d.items), formatPercent(d.headShare));
  }
  if (!d.activity.empty()) {
    std::int64_t light = 0;  // users in the bins below 8 interactions
    for (const reco::ActivityBin& bin : d.activity) light += bin.high < 8 ? bin.users : 0;
    summary += light == 0
                   ? QStringLiteral(" Every one of the %1 users has 8 interactions or more.")
                         .arg(formatCount(d.users))
                   : QStringLiteral(" %1 of the %2 users have fewer than 8 interactions.")
                         .arg(formatPercent(double(light) / double(d.users)), formatCount(d.users));
  }
  distributionSummary_->setText(summary.trimmed());
  distributionSummary_->setToolTip(
      QStringLiteral("Concentrated popularity favours popularity baselines; many light users "
                     "make per-user evaluation noisy and call for cold-start handling."));
}

void DatasetStatsView::showDistributionsMessage(const QString& message, bool isError) {
  distributions_.reset();
  distributionSummary_->setText(isError ? QString() : message);
  for (DistributionPlot* plot :
       std::initializer_list<DistributionPlot*>{longTail_, activity_, overTime_}) {
    plot->showNote(message);
    plot->setProperty("error", isError);
  }
}

void DatasetStatsView::setDetails(DatasetDetailsPtr details) {
  if (!details) {
    showMessage(QStringLiteral("Select a dataset to see its statistics."));
    return;
  }
  details_ = std::move(details);
  const reco::DatasetStats& stats = details_->stats;
  const reco::DatasetInfo& info = stats.info;

  title_->setText(toQString(info.name));
  subtitle_->setText(QStringLiteral("%1 · %2 feedback · from %3 · imported %4")
                         .arg(toQString(info.format), toQString(info.feedback),
                              sourceNames(info.source), formatDateTime(info.createdAt)));
  subtitle_->setToolTip(plainToolTip(toQString(info.source)));

  users_->setText(formatCount(info.users));
  items_->setText(formatCount(info.items));
  interactions_->setText(formatCount(info.interactions));
  density_->setText(formatPercent(info.density()));
  density_->setToolTip(QStringLiteral("interactions / (users × items)"));
  timeSpan_->setText(formatDuration(info.firstTime, info.lastTime));
  timeRange_->setText(info.firstTime ? QStringLiteral("%1 → %2").arg(formatDate(info.firstTime),
                                                                     formatDate(info.lastTime))
                                     : QStringLiteral("no timestamps"));

  quantiles_->setSummaries(stats.perUser, stats.perItem);
  fitHeight(quantileView_);

  events_->setEvents(EventShareList(details_, &stats.events));
  const bool hasEvents = !stats.events.empty();
  eventView_->setVisible(hasEvents);
  // Only event feedback stores each event's weight as the value; ratings and quantities
  // are their own values, and a "weight" beside them would mislead.
  eventView_->setColumnHidden(EventShareModel::WeightColumn, info.feedback != "event");
  eventNote_->setVisible(!hasEvents);
  fitHeight(eventView_);

  // Ten bars fit the Overview tab at 1280x800 without scrolling.
  const int shown = std::min<int>(kCategoryBars, int(stats.categories.size()));
  categoryBox_->setTitle(stats.categories.size() > std::size_t(shown)
                             ? QStringLiteral("Categories by interactions: top %1 of %2")
                                   .arg(shown)
                                   .arg(formatCount(std::int64_t(stats.categories.size())))
                             : QStringLiteral("Categories by interactions"));
  categories_->setCategories(stats.categories, info.interactions, kCategoryBars);

  showReport(details_->report);
  pages_->setCurrentIndex(1);
}

void DatasetStatsView::showReport(const reco::ImportReport& report) {
  // Kept, merged and rejected or filtered add up to the rows read.
  reportSummary_->setText(importReportSummary(report, true));

  report_->setReport(ImportReportPtr(details_, &report));
  const bool hasRejections = !report.rejected.empty();
  reportView_->setVisible(hasRejections);
  if (hasRejections) {
    reportView_->expandAll();
    int rows = 0;
    for (const auto& reason : report.rejected) rows += 1 + int(reason.examples.size());
    reportView_->header()->resizeSection(ImportReportModel::ReasonColumn, 260);
    reportView_->header()->resizeSection(ImportReportModel::RowsColumn, 90);
    // At least a few rows; the tree takes the rest of the tab's height.
    reportView_->setMinimumHeight(reportView_->header()->sizeHint().height() +
                                  std::min(rows, kMinReportRows) * kRowPixels +
                                  2 * reportView_->frameWidth() + 2);
  }

  QStringList notes;
  if (!hasRejections) notes << QStringLiteral("No rows were rejected.");
  for (const QString& note : importReportNotes(report)) notes << note.toHtmlEscaped();
  reportNotes_->setText(
      notes.isEmpty() ? QString() : QStringLiteral("• ") + notes.join(QStringLiteral("<br>• ")));
  reportNotes_->setVisible(!notes.isEmpty());
}

}  // namespace reco::ui
