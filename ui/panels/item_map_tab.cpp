#include "ui/panels/item_map_tab.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/models/map_picks_model.h"
#include "ui/panels/choice_boxes.h"
#include "ui/panels/panel_support.h"
#include "ui/plots/item_map_view.h"
#include "ui/workers/item_loader.h"
#include "ui/workers/progress_task.h"
#include "ui/workers/run_model_cache.h"

namespace reco::ui {

/// A computed map with the point of each dataset item (-1: none), made in the background.
struct ItemMapTab::Computed {
  std::shared_ptr<const reco::ItemMap> map;
  std::vector<std::int32_t> pointOfItem;
};

namespace {
constexpr int kSearchDelayMs = 250;
constexpr int kPickRowPixels = 24;
}  // namespace

ItemMapTab::ItemMapTab(JobTracker* jobs, std::shared_ptr<RunModelCache> cache, QWidget* parent)
    : QWidget(parent), cache_(std::move(cache)) {
  setObjectName(QStringLiteral("itemMapTab"));
  task_ = new ProgressTask(jobs, this);

  runBox_ = new QComboBox;
  runBox_->setObjectName(QStringLiteral("mapRun"));
  runBox_->setToolTip(
      QStringLiteral("The run whose item vectors (or similarities) place the items"));
  runBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  methodBox_ = new QComboBox;
  methodBox_->setObjectName(QStringLiteral("mapMethod"));
  methodBox_->addItem(QStringLiteral("PCA"), int(reco::ItemMapMethod::Pca));
  methodBox_->addItem(QStringLiteral("Neighbour layout"), int(reco::ItemMapMethod::Neighbour));
  methodBox_->setToolTip(QStringLiteral(
      "PCA: the two directions of largest spread (fast, for any size; groups can overlap). "
      "Neighbour layout: items near in the model are near on the map (UMAP style, seeded; "
      "slower, up to 50,000 items)"));
  colourBox_ = new QComboBox;
  colourBox_->setObjectName(QStringLiteral("mapColour"));
  colourBox_->addItem(QStringLiteral("Category"), int(MapColouring::Category));
  colourBox_->addItem(QStringLiteral("Popularity"), int(MapColouring::Popularity));
  colourBox_->setToolTip(QStringLiteral("Colour the items by category or by interactions (log)"));
  search_ = new QLineEdit;
  search_->setObjectName(QStringLiteral("mapSearch"));
  search_->setPlaceholderText(QStringLiteral("Highlight title or id"));
  search_->setClearButtonEnabled(true);
  search_->setMaximumWidth(200);
  matches_ = new QLabel;
  matches_->setObjectName(QStringLiteral("mapMatches"));
  computeButton_ = new QPushButton(QStringLiteral("Compute"));
  computeButton_->setObjectName(QStringLiteral("mapCompute"));
  computeButton_->setToolTip(QStringLiteral("Compute the map again"));
  cancelButton_ = new QPushButton(QStringLiteral("Cancel"));
  cancelButton_->setObjectName(QStringLiteral("mapCancel"));
  cancelButton_->setToolTip(QStringLiteral("Stop computing the map"));
  cancelButton_->hide();
  progress_ = new QProgressBar;
  progress_->setObjectName(QStringLiteral("mapProgress"));
  progress_->setMaximumWidth(180);
  progress_->hide();
  pngButton_ = new QPushButton(QStringLiteral("PNG…"));
  pngButton_->setObjectName(QStringLiteral("mapExportPng"));
  pngButton_->setToolTip(QStringLiteral("Save the map as a PNG picture"));

  auto* runLabel = new QLabel(QStringLiteral("Run"));
  runLabel->setBuddy(runBox_);
  auto* methodLabel = new QLabel(QStringLiteral("Method"));
  methodLabel->setBuddy(methodBox_);
  auto* colourLabel = new QLabel(QStringLiteral("Colour"));
  colourLabel->setBuddy(colourBox_);
  auto* first = new QHBoxLayout;
  first->addWidget(runLabel);
  first->addWidget(runBox_);
  first->addSpacing(8);
  first->addWidget(methodLabel);
  first->addWidget(methodBox_);
  first->addSpacing(8);
  first->addWidget(colourLabel);
  first->addWidget(colourBox_);
  first->addStretch(1);
  auto* second = new QHBoxLayout;
  second->addWidget(search_);
  second->addWidget(matches_);
  second->addSpacing(8);
  second->addWidget(computeButton_);
  second->addWidget(progress_);
  second->addWidget(cancelButton_);
  second->addStretch(1);
  second->addWidget(new QLabel(QStringLiteral("Export")));
  second->addWidget(pngButton_);

  view_ = new ItemMapView;
  view_->setObjectName(QStringLiteral("itemMapView"));
  picks_ = new MapPicksModel(this);
  picksLabel_ = new QLabel;
  picksLabel_->setObjectName(QStringLiteral("mapPicksLabel"));
  picksLabel_->setWordWrap(true);
  picksTable_ = new QTableView;
  picksTable_->setObjectName(QStringLiteral("mapPicks"));
  picksTable_->setModel(picks_);
  setUpRecordTable(picksTable_, kPickRowPixels);
  picksTable_->horizontalHeader()->setSortIndicator(picks_->sortColumn(), picks_->sortOrder());
  picksTable_->setSortingEnabled(true);
  picksTable_->setColumnHidden(MapPicksModel::CategoryColumn, true);  // narrow: in the tooltip
  picksTable_->horizontalHeader()->setSectionResizeMode(MapPicksModel::TitleColumn,
                                                        QHeaderView::Stretch);
  picksTable_->horizontalHeader()->setSectionResizeMode(MapPicksModel::InteractionsColumn,
                                                        QHeaderView::ResizeToContents);
  heatmapButton_ = new QPushButton(QStringLiteral("Heatmap of selection"));
  heatmapButton_->setObjectName(QStringLiteral("mapHeatmapButton"));
  heatmapButton_->setToolTip(
      QStringLiteral("Show the similarities of the picked items in the Heatmap tab"));
  clearButton_ = new QPushButton(QStringLiteral("Clear"));
  clearButton_->setObjectName(QStringLiteral("mapClearPicks"));
  clearButton_->setToolTip(QStringLiteral("Forget the picked items"));
  auto* side = new QWidget;
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(6, 0, 0, 0);
  sideLayout->setSpacing(4);
  sideLayout->addWidget(picksLabel_);
  sideLayout->addWidget(picksTable_, 1);
  sideLayout->addWidget(heatmapButton_);
  sideLayout->addWidget(clearButton_);
  side_ = side;
  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(view_);
  splitter->addWidget(side);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 0);
  side->setMinimumWidth(190);
  splitter->setSizes({600, 220});
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("mapStatus"));
  status_->setTextFormat(Qt::PlainText);
  status_->setWordWrap(true);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 6, 0, 0);
  layout->setSpacing(6);
  layout->addLayout(first);
  layout->addLayout(second);
  layout->addWidget(splitter, 1);
  layout->addWidget(status_);

  connect(task_, &ProgressTask::progressed, this, [this](const QString& stage, double fraction) {
    progress_->setRange(0, fraction < 0 ? 0 : 1000);
    if (fraction >= 0) progress_->setValue(int(fraction * 1000));
    progress_->setFormat(stage);
    progress_->setToolTip(stage);
  });
  connect(task_, &ProgressTask::runningChanged, this, [this](bool running) {
    progress_->setVisible(running);
    cancelButton_->setVisible(running);
    emit busyChanged(running);
  });
  connect(runBox_, &QComboBox::currentIndexChanged, this, &ItemMapTab::requestCompute);
  connect(methodBox_, &QComboBox::currentIndexChanged, this, &ItemMapTab::requestCompute);
  connect(colourBox_, &QComboBox::currentIndexChanged, this,
          [this] { view_->setColouring(MapColouring(colourBox_->currentData().toInt())); });
  auto* searchDelay = new QTimer(this);
  searchDelay->setSingleShot(true);
  searchDelay->setInterval(kSearchDelayMs);
  connect(search_, &QLineEdit::textChanged, searchDelay, qOverload<>(&QTimer::start));
  connect(searchDelay, &QTimer::timeout, this, [this] { view_->setHighlight(search_->text()); });
  connect(view_, &ItemMapView::highlightChanged, this, [this](int matches) {
    matches_->setText(
        search_->text().isEmpty()
            ? QString()
            : QStringLiteral("%1 match%2").arg(formatCount(matches)).arg(matches == 1 ? "" : "es"));
  });
  connect(view_, &ItemMapView::hoverTextChanged, this,
          [this](const QString& text) { status_->setText(text.isEmpty() ? idleStatus() : text); });
  connect(view_, &ItemMapView::itemActivated, this, &ItemMapTab::itemActivated);
  connect(view_, &ItemMapView::selectionChanged, this,
          [this](const std::vector<std::int32_t>& items) { pickItems(items); });
  connect(picksTable_, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
    emit itemActivated(index.data(MapPicksModel::ItemIndexRole).toInt());
  });
  connect(computeButton_, &QPushButton::clicked, this, &ItemMapTab::compute);
  connect(cancelButton_, &QPushButton::clicked, this, &ItemMapTab::cancel);
  connect(pngButton_, &QPushButton::clicked, this, &ItemMapTab::exportPng);
  connect(heatmapButton_, &QPushButton::clicked, this,
          [this] { emit heatmapRequested(picks_->itemIds()); });
  connect(clearButton_, &QPushButton::clicked, this, [this] {
    view_->clearSelection();
    pickItems({});
  });
  updatePicks();
}

ItemMapTab::~ItemMapTab() = default;

void ItemMapTab::setContext(const QString& path, std::vector<reco::storage::RunInfo> runs,
                            std::optional<reco::storage::SplitInfo> split) {
  const bool same = path == path_ && split.has_value() == split_.has_value() &&
                    (!split || split->id == split_->id) && sameRuns(runs, runs_);
  if (same) return;
  task_->cancel();
  const QString previous = runBox_->currentText();
  path_ = path;
  runs_ = std::move(runs);
  split_ = std::move(split);
  fillRunBox(runBox_, runs_, previous);
  computed_.reset();
  view_->setMap(nullptr);
  pickItems({});
  computeButton_->setEnabled(!runs_.empty() && split_.has_value());
  showStatus(runs_.empty() ? QStringLiteral("No finished runs on this split: train a model to see "
                                            "its map.")
                           : QString(),
             false);
  requestCompute();
}

bool ItemMapTab::selectRun(const QString& name) {
  const int index = runBox_->findText(name);
  if (index < 0) return false;
  runBox_->setCurrentIndex(index);
  return true;
}

void ItemMapTab::setMethod(reco::ItemMapMethod method) {
  methodBox_->setCurrentIndex(methodBox_->findData(int(method)));
}

void ItemMapTab::setColouring(MapColouring colouring) {
  colourBox_->setCurrentIndex(colourBox_->findData(int(colouring)));
}

void ItemMapTab::setHighlight(const QString& text) {
  search_->setText(text);
  view_->setHighlight(text);
}

void ItemMapTab::pickItems(const std::vector<std::int32_t>& items) {
  std::vector<std::size_t> points;
  if (computed_) {
    points.reserve(items.size());
    for (const std::int32_t item : items)
      if (item >= 0 && std::size_t(item) < computed_->pointOfItem.size() &&
          computed_->pointOfItem[std::size_t(item)] >= 0)
        points.push_back(std::size_t(computed_->pointOfItem[std::size_t(item)]));
  }
  picks_->setPicks(computed_ ? computed_->map : nullptr, std::move(points));
  updatePicks();
}

void ItemMapTab::updatePicks() {
  const int picked = picks_->rowCount();
  picksLabel_->setText(QStringLiteral("<b>%1 item%2 picked</b>")
                           .arg(formatCount(picked))
                           .arg(picked == 1 ? "" : "s"));
  // The list takes room from the map only while it lists something.
  side_->setVisible(picked > 0);
  heatmapButton_->setEnabled(picked >= 2);
  clearButton_->setEnabled(picked > 0);
}

std::optional<reco::storage::RunInfo> ItemMapTab::currentRun() const {
  const int index = runBox_->currentIndex();
  if (index < 0 || index >= int(runs_.size())) return std::nullopt;
  return runs_[std::size_t(index)];
}

void ItemMapTab::requestCompute() {
  dirty_ = true;
  if (isVisible()) compute();
}

void ItemMapTab::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (dirty_) compute();
}

void ItemMapTab::compute() {
  dirty_ = false;
  const auto run = currentRun();
  if (!run || !split_ || path_.isEmpty()) {
    task_->cancel();
    emit mapShown();
    return;
  }
  reco::ItemMapOptions options;
  options.method = reco::ItemMapMethod(methodBox_->currentData().toInt());
  showStatus(QStringLiteral("Placing the items of %1 (%2)…")
                 .arg(toQString(run->name), methodBox_->currentText()),
             false);
  const std::string file = toStdString(path_);
  task_->start<Computed>(
      QStringLiteral("Item map of %1").arg(toQString(run->name)),
      [file, run = *run, split = *split_, options, cache = cache_](
          reco::JobObserver* observer, std::stop_token stop) -> std::shared_ptr<const Computed> {
        auto map =
            ItemLoader::readMap(file, run, split, options, cache.get(), observer, std::move(stop));
        if (!map) return nullptr;
        auto computed = std::make_shared<Computed>();
        const std::size_t items =
            map->items.empty()
                ? 0
                : std::size_t(*std::max_element(map->items.begin(), map->items.end())) + 1;
        computed->pointOfItem.assign(items, -1);
        for (std::size_t point = 0; point < map->items.size(); ++point)
          computed->pointOfItem[std::size_t(map->items[point])] = std::int32_t(point);
        computed->map = std::move(map);
        return computed;
      },
      [this](const std::shared_ptr<const Computed>& computed, const std::exception_ptr& error) {
        if (error) {
          computed_.reset();
          view_->setMap(nullptr);
          showStatus(ItemLoader::describe(error), true);
        } else if (computed) {
          computed_ = computed;
          // A catalogue without categories would be one grey cloud: popularity says more.
          if (computed->map->categories.empty())
            colourBox_->setCurrentIndex(colourBox_->findData(int(MapColouring::Popularity)));
          view_->setMap(computed->map);
          view_->setHighlight(search_->text());
          showStatus(idleStatus(), false);
        }
        pickItems({});
        emit mapShown();
      });
}

void ItemMapTab::cancel() {
  if (!task_->isRunning()) return;
  task_->cancel();
  showStatus(QStringLiteral("Computing the map was cancelled; press Compute to start again."),
             false);
  emit mapShown();
}

QString ItemMapTab::idleStatus() const {
  // The title shortens the source; here it is whole ("... randomly projected to 64 dimensions").
  return view_->map() ? QStringLiteral("Points from %1  ·  Shift + drag to pick items")
                            .arg(toQString(view_->map()->source))
                      : QString();
}

bool ItemMapTab::isComputing() const {
  return task_->isRunning();
}

QString ItemMapTab::statusText() const {
  return status_->text();
}

void ItemMapTab::showStatus(const QString& text, bool isError) {
  status_->setText(text);
  status_->setProperty("error", isError);
  status_->style()->unpolish(status_);
  status_->style()->polish(status_);
}

void ItemMapTab::exportPng() {
  if (!view_->map()) return;
  const QString start = dialogStartFolder(QStringLiteral("export"), path_);
  QString path = QFileDialog::getSaveFileName(
      this, QStringLiteral("Export item map"),
      QDir(start).filePath(QStringLiteral("item-map-%1.png").arg(runBox_->currentText())),
      QStringLiteral("PNG image (*.png)"));
  if (path.isEmpty()) return;
  rememberDialogFolder(QStringLiteral("export"), path);
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".png");
  QString error = outputTargetProblem(path, path_);
  if (error.isEmpty()) error = view_->exportPng(path);
  if (!error.isEmpty()) showPlainWarning(this, QStringLiteral("Export map"), error);
}

}  // namespace reco::ui
