#include "ui/panels/items_panel.h"

#include <QComboBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/models/item_list_model.h"
#include "ui/panels/choice_boxes.h"
#include "ui/panels/item_audience_view.h"
#include "ui/panels/item_map_tab.h"
#include "ui/panels/item_profile_view.h"
#include "ui/panels/nearest_items_view.h"
#include "ui/panels/panel_support.h"
#include "ui/panels/run_choice_button.h"
#include "ui/panels/similarity_view.h"

namespace reco::ui {

namespace {
void setErrorStyle(QLabel* label, bool isError) {
  label->setProperty("error", isError);
  label->style()->unpolish(label);
  label->style()->polish(label);
}
}  // namespace

bool ItemsPanel::isBusy() const {
  return loader_->isBusy() || items_->isUpdating() || similarity_->isComputing() ||
         map_->isComputing();
}

int ItemsPanel::listLength() const {
  return length_->value();
}

void ItemsPanel::setListLength(int n) {
  length_->setValue(n);
}

void ItemsPanel::updateBusy() {
  const bool busy = isBusy();
  busy_->setVisible(busy);
  busyLabel_->setVisible(busy);
  cancelButton_->setVisible(loader_->isBusy() || similarity_->isComputing() || map_->isComputing());
  if (!busy) emit settled();
}

void ItemsPanel::setWorkspace(const QString& path) {
  path_ = path;
  loader_->cancelAll();
  loader_->clearModelCache();
  choices_.reset();
  summaries_.clear();
  shownDataset_.reset();
  item_.reset();
  wantedItem_.reset();
  items_->setSummaries(nullptr);
  profile_->setProfile(nullptr);
  runs_->setAvailableRuns({});
  nearest_->clearLists(QStringLiteral("Select an item to see what each run puts beside it."));
  audience_->clearLists(QStringLiteral("Select an item to see who each run shows it to."));
  similarity_->setContext(path, {}, std::nullopt);
  map_->setContext(path, {}, std::nullopt);
  {
    const QSignalBlocker blockDatasets(datasetBox_), blockSplits(splitBox_);
    datasetBox_->clear();
    splitBox_->clear();
  }
  if (path.isEmpty()) {
    showPlaceholder(noWorkspaceOpenText(), false);
    emit settled();
    return;
  }
  showPlaceholder(QStringLiteral("Opening %1…").arg(path.toHtmlEscaped()), false);
  loader_->loadChoices(path);
}

void ItemsPanel::reload() {
  if (path_.isEmpty()) return;
  loader_->loadChoices(path_);
}

void ItemsPanel::cancelReading() {
  similarity_->cancel();
  map_->cancel();
  if (!loader_->isBusy()) return;
  const ItemLoader::Pending pending = loader_->pending();
  loader_->cancelAll();
  // Each part that was still loading says so; F5 (File ▸ Reload) reads
  // everything again.
  if (pending.choices && !choices_) {
    showPlaceholder(QStringLiteral("Reading the workspace was cancelled. Press "
                                   "F5 (File ▸ Reload) to read it again."),
                    false);
    return;
  }
  if (pending.summaries)
    count_->setText(
        QStringLiteral("Listing the items was cancelled. Press F5 to list them again."));
  if (pending.profile)
    profile_->showMessage(
        QStringLiteral("Reading the profile was cancelled. Press F5 to read it again."));
  if (pending.nearest)
    nearest_->clearLists(
        QStringLiteral("Finding the nearest items was cancelled. Press F5 to "
                       "find them again."));
  if (pending.audience)
    audience_->clearLists(
        QStringLiteral("Reading the audiences was cancelled. Press F5 to read them again."));
}

void ItemsPanel::showPlaceholder(const QString& text, bool isError) {
  setPlaceholderText(placeholder_, text, isError);
  pages_->setCurrentIndex(0);
}

std::optional<reco::DatasetInfo> ItemsPanel::currentDataset() const {
  return chosenDataset(datasetBox_, choices_.get());
}

std::optional<reco::storage::SplitInfo> ItemsPanel::currentSplit() const {
  return chosenSplit(splitBox_, choices_.get());
}

void ItemsPanel::onChoicesLoaded(const QString& path, UsersChoicesPtr choices) {
  if (path != path_) return;
  choices_ = std::move(choices);
  fillDatasets();
  if (choices_->datasets.empty()) {
    showPlaceholder(
        QStringLiteral("<p style='font-size:13pt'>This workspace has no datasets yet.</p>"
                       "<p>Import one in the Datasets panel, then train a model in "
                       "Experiments.</p>"),
        false);
    emit settled();
    return;
  }
  pages_->setCurrentIndex(1);
  onDatasetChanged();
  applyBookmark();
}

void ItemsPanel::fillDatasets() {
  const std::optional<reco::DatasetId> keep = wantedDataset_ ? wantedDataset_ : shownDataset_;
  wantedDataset_.reset();
  fillDatasetBox(
      datasetBox_, *choices_,
      [](const reco::DatasetInfo& dataset) {
        return QStringLiteral("%1  (%2 items)")
            .arg(toQString(dataset.name), formatCount(dataset.items));
      },
      keep);
}

void ItemsPanel::fillSplits() {
  const std::optional<reco::storage::SplitInfo> previous = currentSplit();
  const auto dataset = currentDataset();
  const std::optional<reco::storage::SplitId> wanted =
      wantedSplit_ != 0 ? std::optional(wantedSplit_) : std::nullopt;
  wantedSplit_ = 0;
  if (!dataset) {
    const QSignalBlocker block(splitBox_);
    splitBox_->clear();
    return;
  }
  fillSplitBox(splitBox_, *choices_, dataset->id,
               {wanted, previous ? std::optional(previous->id) : std::nullopt});
}

void ItemsPanel::onDatasetChanged() {
  const auto dataset = currentDataset();
  fillSplits();
  if (!dataset) return;
  const auto cached = summaries_.find(dataset->id);
  const bool fresh = cached != summaries_.end() && cached->second.first == dataset->contentHash;
  if (shownDataset_ != dataset->id || !fresh) {
    if (shownDataset_ != dataset->id) {
      item_.reset();
      profile_->setProfile(nullptr);
    } else if (item_ && !wantedItem_) {
      wantedItem_ = item_;
    }
    shownDataset_ = dataset->id;
    count_->setText(QStringLiteral("Summarising %1 items…").arg(formatCount(dataset->items)));
    setErrorStyle(count_, false);
    if (fresh) {
      items_->setSummaries(cached->second.second);
      similarity_->setCategories(cached->second.second->categories);
    } else {
      items_->setSummaries(nullptr);
      loader_->loadSummaries(path_, dataset->id, toQString(dataset->name));
    }
  }
  onSplitChanged();
}

void ItemsPanel::onSplitChanged() {
  const auto split = currentSplit();
  std::vector<reco::storage::RunInfo> runs;
  if (split && choices_)
    for (const auto& run : choices_->runs)
      if (run.splitId == split->id) runs.push_back(run);
  runs_->setAvailableRuns(runs);
  similarity_->setContext(path_, runs, split);
  map_->setContext(path_, runs, split);
  loadProfile();
  loadLists();
}

void ItemsPanel::onViewUpdated() {
  updateCount();
  const auto& summaries = items_->summaries();
  if (!summaries) return;
  // The first list of a screenshot run opens the item it names.
  if (!screenshotItem_.isEmpty()) {
    const std::string wanted = toStdString(screenshotItem_);
    screenshotItem_.clear();
    for (std::size_t row = 0; row < summaries->size(); ++row)
      if (summaries->externalId(row) == wanted) wantedItem_ = summaries->items[row];
  }
  if (!bookmarkItem_.isEmpty()) {
    const QString id = std::exchange(bookmarkItem_, {});
    const std::string wanted = toStdString(id);
    bool found = false;
    for (std::size_t row = 0; row < summaries->size() && !found; ++row) {
      if (summaries->externalId(row) != wanted) continue;
      wantedItem_ = summaries->items[row];
      found = true;
    }
    if (!found) emit bookmarkMissing(QStringLiteral("the product %1 is gone").arg(id));
  }
  const std::optional<std::int32_t> target = wantedItem_ ? wantedItem_ : item_;
  int row = target ? items_->rowOfItem(*target) : -1;
  // No item yet: the first row. The shown item filtered out: a sole match takes
  // its place, and otherwise nothing is shown (the detail pane never shows an
  // item the list hides).
  if (row < 0 && (!target || items_->matchingRows() == 1) && items_->rowCount() > 0) row = 0;
  if (row >= 0) {
    itemTable_->selectRow(row);
    itemTable_->scrollTo(items_->index(row, 0));
  } else if (target) {
    clearItem();
  }
  wantedItem_.reset();
  // The search result is a set the heatmap can show.
  QStringList ids;
  if (!items_->filter().isEmpty())
    for (const std::int32_t item : items_->matchingItems()) {
      const std::ptrdiff_t at = summaries->rowOfItem(item);
      if (at >= 0) ids << toQString(std::string(summaries->externalId(std::size_t(at))));
      if (ids.size() >= reco::kMaxSimilarityEntities) break;
    }
  similarity_->setSearchResult(items_->filter(), ids);
  emit itemsShown(items_->matchingRows());
  updateBusy();
}

void ItemsPanel::updateCount() {
  setErrorStyle(count_, false);
  const auto& summaries = items_->summaries();
  if (!summaries) return;
  const int matching = items_->matchingRows();
  count_->setText(
      items_->filter().isEmpty()
          ? QStringLiteral("%1 items").arg(formatCount(matching))
          : QStringLiteral("%1 of %2 items match")
                .arg(formatCount(matching), formatCount(std::int64_t(summaries->size()))));
}

void ItemsPanel::clearItem() {
  itemTable_->selectionModel()->clear();
  item_.reset();
  loader_->cancelItem();
  itemHeading_->setProperty("itemId", QString());
  itemHeading_->setText(items_->matchingRows() == 0 ? QStringLiteral("No item matches the search")
                                                    : QStringLiteral("No item selected"));
  profile_->showMessage(QStringLiteral("Select an item in the list to see its profile."));
  nearest_->clearLists(QStringLiteral("Select an item to see what each run puts beside it."));
  audience_->clearLists(QStringLiteral("Select an item to see who each run shows it to."));
}

void ItemsPanel::onItemChanged() {
  const QModelIndex current = itemTable_->selectionModel()->currentIndex();
  if (!current.isValid()) return;
  const std::int32_t item = items_->itemAt(current.row());
  if (item < 0 || item_ == item) return;
  item_ = item;
  const QString id = current.siblingAtColumn(ItemListModel::IdColumn).data().toString();
  const QString title = current.siblingAtColumn(ItemListModel::TitleColumn).data().toString();
  const QString category = current.siblingAtColumn(ItemListModel::CategoryColumn).data().toString();
  itemHeading_->setProperty("itemId", id);
  // "Title  item ID · Category", leaving out what the catalogue does not have.
  const bool hasCategory = !category.isEmpty() && category != QStringLiteral("–");
  const QString categoryText =
      hasCategory ? QStringLiteral(" · ") + category.toHtmlEscaped() : QString();
  const bool titled = !title.isEmpty() && title != id && !title.startsWith(QStringLiteral("item "));
  const QString heading =
      titled ? QStringLiteral("<b>%1</b> &nbsp;<span style='color:#5b6673'>item %2%3</span>")
                   .arg(title.toHtmlEscaped(), id.toHtmlEscaped(), categoryText)
             : QStringLiteral("Item <b>%1</b>%2").arg(id.toHtmlEscaped(), categoryText);
  itemHeading_->setText(heading);
  loadProfile();
  loadLists();
}

void ItemsPanel::loadProfile() {
  const auto dataset = currentDataset();
  if (!item_ || !dataset) {
    profile_->setProfile(nullptr);
    return;
  }
  profile_->showMessage(QStringLiteral("Reading the profile of item %1…")
                            .arg(itemHeading_->property("itemId").toString()));
  loader_->loadProfile(path_, dataset->id, *item_, currentSplit());
}

void ItemsPanel::loadLists() {
  const auto split = currentSplit();
  loader_->cancelNearest();
  loader_->cancelAudience();
  if (!item_) {
    nearest_->clearLists(QStringLiteral("Select an item to see what each run puts beside it."));
    audience_->clearLists(QStringLiteral("Select an item to see who each run shows it to."));
    return;
  }
  const auto runs = runs_->chosenRuns();
  if (!split || runs.empty()) {
    const QString why = !split ? QStringLiteral(
                                     "This dataset has no split yet: create one and "
                                     "train models in "
                                     "Experiments to see what they make of its items.")
                        : runs_->availableRuns().empty()
                            ? QStringLiteral(
                                  "No finished runs on this split yet: train a model in "
                                  "Experiments "
                                  "(or with `reco train`) to see its nearest items here.")
                            : QStringLiteral("Choose runs with the Runs button (Ctrl+R).");
    nearest_->clearLists(why);
    audience_->clearLists(why);
    updateBusy();
    return;
  }
  listsDeferred_ = !listsInView();
  if (listsDeferred_) {
    const QString later = QStringLiteral("Computed when this tab is shown.");
    nearest_->clearLists(later);
    audience_->clearLists(later);
    updateBusy();
    return;
  }
  nearest_->beginLists(runs);
  audience_->beginLists(runs);
  loader_->loadNearest(path_, *item_, runs, length_->value());
  loader_->loadAudience(path_, *item_, runs);
}

bool ItemsPanel::listsInView() const {
  return window() == this || tabs_->currentWidget() == nearest_ ||
         tabs_->currentWidget() == audience_;
}

void ItemsPanel::showItemIndex(std::int32_t item) {
  if (!items_->summaries()) {
    wantedItem_ = item;
    return;
  }
  const int row = items_->rowOfItem(item);
  if (row >= 0) {
    itemTable_->selectRow(row);
    itemTable_->scrollTo(items_->index(row, 0));
    return;
  }
  // Hidden by the search (or not listed yet): shown once the list without a
  // search arrives.
  wantedItem_ = item;
  if (!search_->text().isEmpty()) {
    searchDelay_->stop();
    search_->clear();
    items_->setFilter(QString());
  }
}

void ItemsPanel::openItem(reco::DatasetId dataset, reco::storage::SplitId split,
                          std::int32_t item) {
  if (!choices_) {
    // The workspace is still being read: applied when it is.
    wantedDataset_ = dataset;
    wantedSplit_ = split;
    wantedItem_ = item;
    return;
  }
  const int datasetIndex = datasetBox_->findData(qlonglong(dataset));
  if (datasetIndex < 0) return;
  if (datasetIndex != datasetBox_->currentIndex()) {
    wantedSplit_ = split;
    datasetBox_->setCurrentIndex(datasetIndex);  // clears the item: selected when listed
    showItemIndex(item);
    return;
  }
  if (split != 0) {
    const int splitIndex = splitBox_->findData(qlonglong(split));
    if (splitIndex >= 0) splitBox_->setCurrentIndex(splitIndex);
  }
  showItemIndex(item);
}

bool ItemsPanel::selectDataset(const QString& name) {
  if (!choices_) return false;
  for (const auto& dataset : choices_->datasets) {
    if (toQString(dataset.name) != name) continue;
    datasetBox_->setCurrentIndex(datasetBox_->findData(qlonglong(dataset.id)));
    return true;
  }
  return false;
}

bool ItemsPanel::selectSplit(const QString& name) {
  const auto dataset = currentDataset();
  if (!choices_ || !dataset) return false;
  for (const auto& split : choices_->splits) {
    if (split.datasetId != dataset->id || toQString(split.name) != name) continue;
    splitBox_->setCurrentIndex(splitBox_->findData(qlonglong(split.id)));
    return true;
  }
  return false;
}

bool ItemsPanel::selectItem(const QString& externalId) {
  const auto& summaries = items_->summaries();
  if (!summaries) return false;
  const std::string wanted = toStdString(externalId);
  for (std::size_t row = 0; row < summaries->size(); ++row) {
    if (summaries->externalId(row) != wanted) continue;
    const int viewRow = items_->rowOfItem(summaries->items[row]);
    if (viewRow < 0) return false;
    itemTable_->selectRow(viewRow);
    itemTable_->scrollTo(items_->index(viewRow, 0));
    return true;
  }
  return false;
}

}  // namespace reco::ui
