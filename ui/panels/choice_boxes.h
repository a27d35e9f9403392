#pragma once
/// The dataset and split choosers that the Users and Items panels share, filled from a
/// workspace's UsersChoices (ui/workers/user_loader.h). Each combo box item's data is the
/// dataset's or split's id. GUI thread only.

#include <QString>
#include <functional>
#include <optional>
#include <vector>

#include "core/data/dataset_info.h"
#include "core/storage/run_store.h"
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

/// Fills `box` (its signals blocked) with the runs' names, each item's data its id. Keeps
/// the run named `previous` where it is listed; else chooses the first run whose model can
/// say which items are alike (not a baseline: pop and random have no vectors or
/// similarities). The registry is asked with find(), never a LibTorch load on the GUI thread.
void fillRunBox(QComboBox* box, const std::vector<reco::storage::RunInfo>& runs,
                const QString& previous);

/// Whether two lists hold the same runs (by id) in the same order.
bool sameRuns(const std::vector<reco::storage::RunInfo>& a,
              const std::vector<reco::storage::RunInfo>& b);

}  // namespace reco::ui
