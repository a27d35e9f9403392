// The Items panel's widgets and their wiring (items_panel.h); the behaviour is
// in items_panel.cpp.
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/convert/qt_convert.h"
#include "ui/models/item_list_model.h"
#include "ui/panels/item_audience_view.h"
#include "ui/panels/item_map_tab.h"
#include "ui/panels/item_profile_view.h"
#include "ui/panels/items_panel.h"
#include "ui/panels/nearest_items_view.h"
#include "ui/panels/panel_support.h"
#include "ui/panels/run_choice_button.h"
#include "ui/panels/similarity_view.h"

namespace reco::ui {

namespace {
constexpr int kItemRowPixels = 26;
constexpr int kSearchDelayMs = 200;
}  // namespace

ItemsPanel::ItemsPanel(JobTracker* jobs, std::shared_ptr<RunModelCache> models, QWidget* parent)
    : QWidget(parent) {
  setObjectName(QStringLiteral("itemsPanel"));
  loader_ = new ItemLoader(jobs, std::move(models), this);
  items_ = new ItemListModel(this);
  profile_ = new ItemProfileView;
  nearest_ = new NearestItemsView;
  audience_ = new ItemAudienceView;
  similarity_ = new SimilarityView(jobs, loader_->modelCache());
  map_ = new ItemMapTab(jobs, loader_->modelCache());
  buildLayout();
  connectParts();
  applyScreenshotChoices();
  setWorkspace(QString());
}

void ItemsPanel::buildLayout() {
  // Heading: title, dataset, split and run choice, list length, busy indicator.
  auto* heading = new QLabel(QStringLiteral("Items"), this);
  heading->setObjectName(QStringLiteral("panelHeading"));
  datasetBox_ = new QComboBox(this);
  datasetBox_->setObjectName(QStringLiteral("itemsDataset"));
  datasetBox_->setMinimumContentsLength(14);
  datasetBox_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  datasetBox_->setToolTip(QStringLiteral("The dataset whose items to inspect"));
  splitBox_ = new QComboBox(this);
  splitBox_->setObjectName(QStringLiteral("itemsSplit"));
  splitBox_->setMinimumContentsLength(10);
  splitBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  splitBox_->setToolTip(
      QStringLiteral("The split whose runs are shown, and whose training part "
                     "counts items chosen together"));
  auto* datasetLabel = new QLabel(QStringLiteral("&Dataset"), this);
  datasetLabel->setBuddy(datasetBox_);
  auto* splitLabel = new QLabel(QStringLiteral("S&plit"), this);
  splitLabel->setBuddy(splitBox_);
  runs_ = new RunChoiceButton(this);
  runs_->setObjectName(QStringLiteral("itemsRunChooser"));
  runs_->setToolTip(QStringLiteral("Choose up to %1 runs of the split whose nearest items "
                                   "and audiences are shown side by "
                                   "side (Ctrl+R)")
                        .arg(RunChoiceButton::kMaxRuns));
  length_ = new QSpinBox(this);
  length_->setObjectName(QStringLiteral("nearestLength"));
  length_->setRange(1, 100);
  length_->setValue(kDefaultN);
  length_->setToolTip(QStringLiteral("Items per nearest-items list"));
  auto* lengthLabel = new QLabel(QStringLiteral("Top"), this);
  lengthLabel->setBuddy(length_);
  busy_ = createBusyIndicator(this);
  busyLabel_ = createBusyLabel(QStringLiteral("Loading…"), this);
  cancelButton_ = createCancelButton(
      QStringLiteral("cancelItemsButton"),
      QStringLiteral("Stop reading the items, the profile, the lists and the heatmap"), this);
  auto* headingRow = new QHBoxLayout;
  headingRow->addWidget(heading);
  headingRow->addSpacing(16);
  headingRow->addWidget(datasetLabel);
  headingRow->addWidget(datasetBox_);
  headingRow->addSpacing(10);
  headingRow->addWidget(splitLabel);
  headingRow->addWidget(splitBox_);
  addBusyIndicator(headingRow, busy_, busyLabel_);
  headingRow->addWidget(cancelButton_, 0, Qt::AlignVCenter);

  pages_ = new QStackedWidget(this);
  placeholder_ = createPlaceholderLabel(QStringLiteral("placeholder"));
  pages_->addWidget(placeholder_);

  // Left: the searchable item list.
  search_ = new QLineEdit;
  search_->setObjectName(QStringLiteral("itemSearch"));
  search_->setPlaceholderText(QStringLiteral("Search id, title or category  (Ctrl+F)"));
  search_->setClearButtonEnabled(true);
  search_->setToolTip(
      QStringLiteral("Shows the items whose id, title or category contains the text"));
  count_ = new QLabel;
  count_->setObjectName(QStringLiteral("itemCount"));
  count_->setTextFormat(Qt::PlainText);
  itemTable_ = new QTableView;
  itemTable_->setObjectName(QStringLiteral("itemTable"));
  itemTable_->setModel(items_);
  itemTable_->horizontalHeader()->setSortIndicator(items_->sortColumn(), items_->sortOrder());
  itemTable_->setSortingEnabled(true);
  setUpRecordTable(itemTable_, kItemRowPixels);
  itemTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  itemTable_->horizontalHeader()->setMinimumSectionSize(40);
  // The list shows id, title and interactions; the rest is a scroll away.
  const QFontMetrics metrics(font());
  const int padding = 28;
  itemTable_->setColumnWidth(ItemListModel::IdColumn,
                             metrics.horizontalAdvance(QStringLiteral("P000000")) + padding);
  itemTable_->setColumnWidth(
      ItemListModel::InteractionsColumn,
      metrics.horizontalAdvance(QStringLiteral("Interactions")) + padding + 14);
  itemTable_->setColumnWidth(ItemListModel::TitleColumn, 170);
  // The popularity the list is sorted by comes right after the title, before the columns a
  // narrow list scrolls to (category, price, users, last interaction).
  QHeaderView* header = itemTable_->horizontalHeader();
  header->moveSection(header->visualIndex(ItemListModel::InteractionsColumn), 2);
  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->setSpacing(6);
  leftLayout->addWidget(search_);
  leftLayout->addWidget(itemTable_, 1);
  leftLayout->addWidget(count_);

  // Right: the selected item's heading and tabs.
  itemHeading_ = new QLabel;
  itemHeading_->setObjectName(QStringLiteral("itemHeading"));
  itemHeading_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  itemHeading_->setWordWrap(true);  // a long title takes two lines, never a wider panel
  itemHeading_->setMinimumWidth(120);
  tabs_ = new QTabWidget;
  tabs_->setObjectName(QStringLiteral("itemTabs"));
  tabs_->addTab(profile_, QStringLiteral("P&rofile"));
  tabs_->addTab(nearest_, QStringLiteral("&Nearest items"));
  tabs_->addTab(audience_, QStringLiteral("&Who is shown it"));
  tabs_->addTab(similarity_, QStringLiteral("&Heatmap"));
  tabs_->addTab(map_, QStringLiteral("&Map"));
  tabs_->setTabToolTip(0, QStringLiteral("The item's attributes, its interactions over time, who "
                                         "chose it and what was chosen with it"));
  tabs_->setTabToolTip(1, QStringLiteral("What each chosen run puts beside the item"));
  tabs_->setTabToolTip(2, QStringLiteral("Which users each chosen run shows the item to"));
  tabs_->setTabToolTip(3, QStringLiteral("A run's similarities between the items of a set"));
  tabs_->setTabToolTip(4, QStringLiteral("Every item of a run in the plane"));
  auto* right = new QWidget;
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(6, 0, 0, 0);
  rightLayout->setSpacing(4);
  // The run choice sits with the item: it is what the nearest items and audiences compare.
  auto* itemRow = new QHBoxLayout;
  itemRow->addWidget(itemHeading_, 1);
  itemRow->addWidget(runs_, 0, Qt::AlignVCenter);
  itemRow->addSpacing(6);
  itemRow->addWidget(lengthLabel, 0, Qt::AlignVCenter);
  itemRow->addWidget(length_, 0, Qt::AlignVCenter);
  rightLayout->addLayout(itemRow);
  rightLayout->addWidget(tabs_, 1);

  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(left);
  splitter->addWidget(right);
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 1);
  left->setMinimumWidth(200);
  splitter->setSizes({390, 900});
  pages_->addWidget(splitter);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(16, 12, 16, 8);
  layout->setSpacing(10);
  layout->addLayout(headingRow);
  layout->addWidget(pages_, 1);

  // Shortcuts act while the focus is inside this panel; the Help dialog lists
  // them.
  auto* find = new QShortcut(QKeySequence::Find, this);
  find->setContext(Qt::WidgetWithChildrenShortcut);
  find->setWhatsThis(QStringLiteral("Search the items"));
  connect(find, &QShortcut::activated, this, [this] {
    search_->setFocus();
    search_->selectAll();
  });
  auto* runs = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_R), this);
  runs->setContext(Qt::WidgetWithChildrenShortcut);
  runs->setWhatsThis(QStringLiteral("Choose the runs whose nearest items are shown"));
  connect(runs, &QShortcut::activated, runs_, &QToolButton::showMenu);
  auto* list = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_L), this);
  list->setContext(Qt::WidgetWithChildrenShortcut);
  list->setWhatsThis(QStringLiteral("Go to the item list"));
  connect(list, &QShortcut::activated, itemTable_, qOverload<>(&QWidget::setFocus));

  // Filtering 100k items takes a moment: wait until the typing pauses.
  searchDelay_ = new QTimer(this);
  searchDelay_->setSingleShot(true);
  searchDelay_->setInterval(kSearchDelayMs);
}

void ItemsPanel::connectParts() {
  connect(cancelButton_, &QPushButton::clicked, this, &ItemsPanel::cancelReading);
  connect(search_, &QLineEdit::textChanged, searchDelay_, qOverload<>(&QTimer::start));
  connect(searchDelay_, &QTimer::timeout, this, [this] { items_->setFilter(search_->text()); });
  connect(search_, &QLineEdit::returnPressed, this, [this] {
    searchDelay_->stop();
    items_->setFilter(search_->text());
  });
  connect(items_, &ItemListModel::viewUpdated, this, &ItemsPanel::onViewUpdated);
  connect(itemTable_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &ItemsPanel::onItemChanged);
  // A double-click in the list shows what the models make of the item.
  connect(itemTable_, &QAbstractItemView::activated, this,
          [this] { tabs_->setCurrentWidget(nearest_); });
  connect(datasetBox_, &QComboBox::currentIndexChanged, this, &ItemsPanel::onDatasetChanged);
  connect(splitBox_, &QComboBox::currentIndexChanged, this, &ItemsPanel::onSplitChanged);
  connect(runs_, &RunChoiceButton::choiceChanged, this, &ItemsPanel::loadLists);
  // Lists put off while another tab was chosen are read when theirs is (loadLists).
  connect(tabs_, &QTabWidget::currentChanged, this, [this] {
    if (listsDeferred_ && listsInView()) loadLists();
  });
  connect(length_, &QSpinBox::valueChanged, this, &ItemsPanel::loadLists);

  // Items opened from anywhere in the panel.
  connect(profile_, &ItemProfileView::itemActivated, this, &ItemsPanel::showItemIndex);
  connect(nearest_, &NearestItemsView::itemActivated, this, &ItemsPanel::showItemIndex);
  connect(similarity_, &SimilarityView::itemActivated, this, &ItemsPanel::showItemIndex);
  connect(map_, &ItemMapTab::itemActivated, this, &ItemsPanel::showItemIndex);
  // Users go to the Users panel.
  const auto requestUser = [this](const QString& userId) {
    if (const auto dataset = currentDataset()) emit userRequested(dataset->id, userId);
  };
  connect(audience_, &ItemAudienceView::userActivated, this, requestUser);
  connect(similarity_, &SimilarityView::userActivated, this, requestUser);
  connect(map_, &ItemMapTab::heatmapRequested, this, [this](const QStringList& ids) {
    tabs_->setCurrentWidget(similarity_);
    similarity_->showPickedItems(ids);
  });

  connect(loader_, &ItemLoader::choicesLoaded, this, &ItemsPanel::onChoicesLoaded);
  connect(loader_, &ItemLoader::choicesFailed, this,
          [this](const QString& path, const QString& message) {
            if (path != path_) return;
            showPlaceholder(QStringLiteral("<p style='font-size:13pt'>The workspace could "
                                           "not be read.</p><p>%1</p>")
                                .arg(message.toHtmlEscaped()),
                            true);
          });
  connect(loader_, &ItemLoader::summariesLoaded, this,
          [this](reco::DatasetId id, const ItemSummariesPtr& summaries) {
            const auto dataset = currentDataset();
            if (!dataset || dataset->id != id) return;
            summaries_[id] = {dataset->contentHash, summaries};
            items_->setSummaries(summaries);
            similarity_->setCategories(summaries->categories);
          });
  connect(loader_, &ItemLoader::summariesFailed, this,
          [this](reco::DatasetId id, const QString& message) {
            if (!currentDataset() || currentDataset()->id != id) return;
            count_->setText(QStringLiteral("The items could not be read: %1").arg(message));
          });
  connect(loader_, &ItemLoader::profileLoaded, this,
          [this](std::int32_t item, const ItemProfilePtr& profile) {
            if (item_ != item) return;
            profile_->setProfile(profile);
            emit profileShown(toQString(profile->meta.externalId));
          });
  connect(loader_, &ItemLoader::profileFailed, this,
          [this](std::int32_t item, const QString& message) {
            if (item_ != item) return;
            profile_->showMessage(
                QStringLiteral("The profile could not be read.\n\n%1").arg(message), true);
          });
  connect(loader_, &ItemLoader::nearestLoaded, this, [this](int slot, const NearestItemsPtr& list) {
    if (!list || item_ != list->item) return;
    nearest_->setList(slot, list);
    if (nearest_->allLoaded()) emit nearestShown(itemHeading_->property("itemId").toString());
  });
  connect(loader_, &ItemLoader::audienceLoaded, this,
          [this](int slot, const ItemAudiencePtr& list) {
            if (!list || item_ != list->item) return;
            audience_->setAudience(slot, list);
            if (audience_->allLoaded())
              emit audienceShown(itemHeading_->property("itemId").toString());
          });
  connect(loader_, &ItemLoader::busyChanged, this, &ItemsPanel::updateBusy);
  connect(similarity_, &SimilarityView::busyChanged, this, &ItemsPanel::updateBusy);
  connect(map_, &ItemMapTab::busyChanged, this, &ItemsPanel::updateBusy);
}

void ItemsPanel::applyScreenshotChoices() {
  // For tools/screenshots.sh: the tab to show and the item to open once the
  // list arrives.
  const QString tab = qEnvironmentVariable("RECO_SCREENSHOT_ITEMS_TAB").toLower();
  if (tab == QStringLiteral("nearest")) tabs_->setCurrentWidget(nearest_);
  if (tab == QStringLiteral("audience")) tabs_->setCurrentWidget(audience_);
  if (tab == QStringLiteral("heatmap")) tabs_->setCurrentWidget(similarity_);
  if (tab == QStringLiteral("map")) tabs_->setCurrentWidget(map_);
  screenshotItem_ = qEnvironmentVariable("RECO_SCREENSHOT_ITEM");
}

}  // namespace reco::ui
