// ItemsPanel's story bookmarks (issue 15): the view as a JSON object and back.
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QTabWidget>
#include <optional>
#include <string>

#include "ui/convert/qt_convert.h"
#include "ui/models/item_list_model.h"
#include "ui/panels/item_audience_view.h"
#include "ui/panels/item_map_tab.h"
#include "ui/panels/item_profile_view.h"
#include "ui/panels/items_panel.h"
#include "ui/panels/nearest_items_view.h"
#include "ui/panels/run_choice_button.h"
#include "ui/panels/similarity_view.h"

namespace reco::ui {
namespace {

// The tabs by the names a bookmark uses, in tab order.
const QStringList kTabNames{QStringLiteral("profile"), QStringLiteral("nearest"),
                            QStringLiteral("audience"), QStringLiteral("heatmap"),
                            QStringLiteral("map")};

}  // namespace

QJsonObject ItemsPanel::bookmarkState() const {
  const auto dataset = currentDataset();
  const QString itemId = itemHeading_->property("itemId").toString();
  if (!dataset || !item_ || itemId.isEmpty()) return {};
  QJsonArray runs;
  for (const auto& run : runs_->chosenRuns()) runs.append(toQString(run.name));
  QJsonObject state;
  state[QStringLiteral("dataset")] = toQString(dataset->name);
  if (const auto split = currentSplit()) state[QStringLiteral("split")] = toQString(split->name);
  state[QStringLiteral("item")] = itemId;
  state[QStringLiteral("itemIndex")] = *item_;
  state[QStringLiteral("runs")] = runs;
  state[QStringLiteral("tab")] = kTabNames.value(tabs_->currentIndex(), kTabNames.front());
  return state;
}

void ItemsPanel::showBookmark(const QJsonObject& state) {
  pendingBookmark_ = state;
  if (choices_) applyBookmark();
}

void ItemsPanel::applyBookmark() {
  if (pendingBookmark_.isEmpty() || !choices_) return;
  const QJsonObject state = std::exchange(pendingBookmark_, {});
  bookmarkItem_.clear();  // an earlier step's item, still waiting for its list
  const QString name = state.value(QStringLiteral("dataset")).toString();
  const QString splitName = state.value(QStringLiteral("split")).toString();
  for (const auto& dataset : choices_->datasets) {
    if (toQString(dataset.name) != name) continue;
    reco::storage::SplitId split = 0;
    for (const auto& s : choices_->splits)
      if (s.datasetId == dataset.id && toQString(s.name) == splitName) split = s.id;
    // The dataset and split are chosen at once (and with them the runs that can be chosen);
    // the item is selected when the dataset's list shows it, by its id (its index only for a
    // bookmark without one: an index names another item once the dataset is imported again).
    const QString id = state.value(QStringLiteral("item")).toString();
    const auto shown = currentDataset();
    const bool listed = shown && shown->id == dataset.id && items_->summaries();
    openItem(dataset.id, split, std::int32_t(state.value(QStringLiteral("itemIndex")).toInt(-1)));
    if (!id.isEmpty() && listed) {
      const auto& summaries = items_->summaries();
      const std::string wanted = toStdString(id);
      std::optional<std::int32_t> item;
      for (std::size_t row = 0; row < summaries->size() && !item; ++row)
        if (summaries->externalId(row) == wanted) item = summaries->items[row];
      if (item) {
        showItemIndex(*item);
      } else {
        emit bookmarkMissing(QStringLiteral("the product %1 is gone").arg(id));
      }
    } else if (!id.isEmpty()) {
      bookmarkItem_ = id;
    }
    QStringList runs;
    for (const auto& run : state.value(QStringLiteral("runs")).toArray()) runs << run.toString();
    if (!runs.isEmpty()) runs_->setChosenRuns(runs);
    const int tab = kTabNames.indexOf(state.value(QStringLiteral("tab")).toString());
    if (tab >= 0) tabs_->setCurrentIndex(tab);
    return;
  }
  emit bookmarkMissing(QStringLiteral("the dataset %1 is gone").arg(name));
}

}  // namespace reco::ui
