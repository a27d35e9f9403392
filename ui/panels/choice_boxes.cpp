#include "ui/panels/choice_boxes.h"

#include <QComboBox>
#include <QSignalBlocker>
#include <algorithm>

#include "core/models/registry.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/user_loader.h"

namespace reco::ui {

namespace {

int runsOf(const UsersChoices& choices, reco::storage::SplitId split) {
  int runs = 0;
  for (const auto& run : choices.runs) runs += run.splitId == split;
  return runs;
}

}  // namespace

void fillDatasetBox(QComboBox* box, const UsersChoices& choices,
                    const std::function<QString(const reco::DatasetInfo&)>& label,
                    std::optional<reco::DatasetId> keep) {
  const QSignalBlocker block(box);
  box->clear();
  for (const auto& dataset : choices.datasets) {
    box->addItem(label(dataset), qlonglong(dataset.id));
    box->setItemData(box->count() - 1, toQString(dataset.source), Qt::ToolTipRole);
  }
  if (keep) box->setCurrentIndex(std::max(0, box->findData(qlonglong(*keep))));
}

void fillSplitBox(QComboBox* box, const UsersChoices& choices, reco::DatasetId dataset,
                  std::initializer_list<std::optional<reco::storage::SplitId>> preferred) {
  const QSignalBlocker block(box);
  box->clear();
  for (const auto& split : choices.splits) {
    if (split.datasetId != dataset) continue;
    const int runs = runsOf(choices, split.id);
    box->addItem(QStringLiteral("%1  (%2 run%3)")
                     .arg(toQString(split.name))
                     .arg(runs)
                     .arg(runs == 1 ? "" : "s"),
                 qlonglong(split.id));
    box->setItemData(box->count() - 1, toQString(split.optionsJson), Qt::ToolTipRole);
  }
  if (box->count() == 0) {
    box->addItem(QStringLiteral("no splits"));
    box->setEnabled(false);
    return;
  }
  box->setEnabled(true);
  int index = -1;
  for (const auto& split : preferred)
    if (index < 0 && split) index = box->findData(qlonglong(*split));
  if (index < 0) {
    int best = -1;
    for (int i = 0; i < box->count(); ++i) {
      const int runs = runsOf(choices, box->itemData(i).toLongLong());
      if (runs > best) {
        best = runs;
        index = i;
      }
    }
  }
  box->setCurrentIndex(std::max(0, index));
}

std::optional<reco::DatasetInfo> chosenDataset(const QComboBox* box, const UsersChoices* choices) {
  if (!choices || box->currentIndex() < 0) return std::nullopt;
  const auto id = reco::DatasetId(box->currentData().toLongLong());
  for (const auto& dataset : choices->datasets)
    if (dataset.id == id) return dataset;
  return std::nullopt;
}

std::optional<reco::storage::SplitInfo> chosenSplit(const QComboBox* box,
                                                    const UsersChoices* choices) {
  if (!choices || box->currentIndex() < 0 || !box->currentData().isValid()) return std::nullopt;
  const auto id = reco::storage::SplitId(box->currentData().toLongLong());
  for (const auto& split : choices->splits)
    if (split.id == id) return split;
  return std::nullopt;
}

void fillRunBox(QComboBox* box, const std::vector<reco::storage::RunInfo>& runs,
                const QString& previous) {
  const QSignalBlocker block(box);
  box->clear();
  for (const auto& run : runs) box->addItem(toQString(run.name), qlonglong(run.id));
  int index = box->findText(previous);
  for (int i = 0; index < 0 && i < int(runs.size()); ++i) {
    const reco::ModelInfo* info = reco::defaultRegistry().find(runs[std::size_t(i)].model);
    if (!info || info->family != "baselines") index = i;
  }
  box->setCurrentIndex(std::max(0, index));
}

bool sameRuns(const std::vector<reco::storage::RunInfo>& a,
              const std::vector<reco::storage::RunInfo>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return x.id == y.id; });
}

}  // namespace reco::ui
