#pragma once
/// The dataset and split choosers that the Users and Items panels share, filled from a
/// workspace's UsersChoices (ui/workers/user_loader.h). Each combo box item's data is the
/// dataset's or split's id. GUI thread only.

#include <QString>
#include <functional>
#include <optional>

#include "core/data/dataset_info.h"
#include "core/storage/split_store.h"

class QComboBox;

namespace reco::ui {

struct UsersChoices;

/// Fills `box` (its signals blocked) with the datasets, each labelled by `label` with its
/// source as the tooltip, and selects `keep` when it is one of them.
void fillDatasetBox(QComboBox* box, const UsersChoices& choices,
                    const std::function<QString(const reco::DatasetInfo&)>& label,
                    std::optional<reco::DatasetId> keep);

/// Fills `box` (its signals blocked) with the splits of `dataset`, "NAME  (N runs)" with the
/// options as the tooltip; "no splits", disabled, when it has none. Selects the first of
/// `preferred` that is listed, else the split with most runs (the one worth looking at).
void fillSplitBox(QComboBox* box, const UsersChoices& choices, reco::DatasetId dataset,
                  std::initializer_list<std::optional<reco::storage::SplitId>> preferred);

/// The dataset or split chosen in `box`, looked up in `choices`; nullopt when none is (or
/// `choices` is null).
std::optional<reco::DatasetInfo> chosenDataset(const QComboBox* box, const UsersChoices* choices);
std::optional<reco::storage::SplitInfo> chosenSplit(const QComboBox* box,
                                                    const UsersChoices* choices);

}  // namespace reco::ui
