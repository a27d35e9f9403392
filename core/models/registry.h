#pragma once
/// The model registry: one table from a model name to its factory and option metadata, the
/// same for the GUI (forms) and the CLI (`--model NAME --set key=value`). Classic models are
/// registered by the core; deep models by the reco_torch module when it is loaded
/// (loadTorchModule in torch_module.h), so a build or a machine without LibTorch simply
/// lists no deep models.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/models/model_options.h"
#include "core/models/option_table.h"
#include "core/models/recommender.h"

namespace reco {

/// Builds a model from option values (validated with OptionReader over ModelInfo::options;
/// throws Config on bad ones) and the compute settings.
using ModelFactory = std::function<std::unique_ptr<Recommender>(const OptionValues& options,
                                                                const ComputeOptions& compute)>;

struct ModelInfo {
  std::string name;     ///< registry name, lower case: "itemknn", "sasrec"
  std::string family;   ///< "baselines", "memory-based CF", "matrix factorisation", "linear",
                        ///< "deep", "content" (the README's model families)
  std::string summary;  ///< one line for lists and `reco train --help`
  std::vector<OptionSpec> options;
  bool deep = false;  ///< trained with LibTorch (comes from the reco_torch module)
  ModelFactory factory;
  /// The values as the model's options struct holds them: read through its option table
  /// (Config as the factory on unknown keys, bad text, values out of range; checks between
  /// fields are left to the factory) and every field written back as text. Lets a test hold
  /// each model's struct to its specs. Set by withOptionTable; empty for a hand-made entry.
  std::function<OptionValues(const OptionValues& values)> readBack;
  /// Which items a fitted model ranks. TrainedItems (collaborative models): it is fitted on,
  /// and scores, only the items with at least one training interaction; the others score
  /// -infinity, so a catalogue of never-bought products costs it nothing
  /// (models/trained_items_model.h; Registry::create wraps the factory's model). AllItems:
  /// the model also ranks items nobody bought (popularity, random, content from features).
  enum class ItemScope { AllItems, TrainedItems };
  ItemScope itemScope = ItemScope::AllItems;
  /// At most how many bytes the stored model takes for a training part of `users` users and
  /// `items` learned items: the experiment refuses before fitting when the workspace's disk
  /// cannot hold it. Empty for models whose size is no concern (a few values per item).
  std::function<std::uint64_t(const OptionValues& options, std::int64_t users, std::int64_t items)>
      storedBytes;
};

/// A ModelInfo whose options come from `table` (option_table.h): options = table.specs(),
/// readBack through the table, and a factory that reads the values with the table, runs the
/// struct's validate() (its checks between fields) and returns make(std::move(options),
/// compute). `make` is callable as (Options, const ComputeOptions&) and returns a
/// std::unique_ptr to a Recommender. Set `deep` on the result for a deep model.
template <class Options, class Make>
ModelInfo withOptionTable(std::string name, std::string family, std::string summary,
                          const OptionTable<Options>& table, Make make) {
  ModelInfo info;
  info.name = std::move(name);
  info.family = std::move(family);
  info.summary = std::move(summary);
  info.options = table.specs();
  info.factory = [table, make = std::move(make)](
                     const OptionValues& values,
                     const ComputeOptions& compute) -> std::unique_ptr<Recommender> {
    Options options = table.read(values);
    options.validate();
    return make(std::move(options), compute);
  };
  info.readBack = [table](const OptionValues& values) { return table.texts(table.read(values)); };
  return info;
}

/// `info` with itemScope TrainedItems: for the registrations of collaborative models.
inline ModelInfo learnsTrainedItemsOnly(ModelInfo info) {
  info.itemScope = ModelInfo::ItemScope::TrainedItems;
  return info;
}

/// Thread-safe: models may be added (the module loads in the background) while other
/// threads find and list. A ModelInfo, once added, is never changed or removed, so the
/// pointers find() and list() return stay valid for the registry's lifetime.
class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  /// Adds a model. Throws Internal on an empty name, a missing factory, a duplicate name,
  /// or an option whose default does not pass its own spec.
  void add(ModelInfo info);

  /// The model called `name`, or nullptr.
  const ModelInfo* find(std::string_view name) const;
  /// The model called `name`; throws Config naming the known models when there is none.
  const ModelInfo& get(std::string_view name) const;
  /// Every model in the order of registration (classic models first, then deep ones).
  std::vector<const ModelInfo*> list() const;
  std::size_t size() const;

  /// get(name).factory(options, compute).
  std::unique_ptr<Recommender> create(std::string_view name, const OptionValues& options = {},
                                      const ComputeOptions& compute = {}) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<const ModelInfo>> models_;
};

/// Registers the classic (non-deep) models of the core. Models come with a later issue;
/// each adds one line here.
void registerBuiltinModels(Registry& registry);

/// The process-wide registry, with the built-in models registered on first use. Deep
/// models join it when loadTorchModule(defaultRegistry()) has run (the CLI does that on
/// first use of a name it does not know, the GUI in the background after its first paint).
Registry& defaultRegistry();

/// The model called `name` in defaultRegistry(); when it is not there, loads the reco_torch
/// module first (once per process; it may be a deep model) and looks again. nullptr when the
/// name is unknown even then. Costs LibTorch's start-up (~0.5 s) only on a miss.
const ModelInfo* findModel(std::string_view name);

}  // namespace reco
