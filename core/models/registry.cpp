#include "core/models/registry.h"

#include "core/common/error.h"
#include "core/models/builtin_models.h"
#include "core/models/torch_module.h"
#include "core/models/trained_items_model.h"

namespace reco {

void Registry::add(ModelInfo info) {
  RECO_CHECK(!info.name.empty(), ErrorKind::Internal, "a model needs a name");
  RECO_CHECK(static_cast<bool>(info.factory), ErrorKind::Internal,
             "model '" + info.name + "' has no factory");
  for (const auto& spec : info.options) {
    const std::string problem = checkOptionValue(spec, spec.defaultValue);
    RECO_CHECK(problem.empty(), ErrorKind::Internal,
               "model '" + info.name + "', default of option '" + spec.name + "': " + problem);
  }
  if (info.itemScope == ModelInfo::ItemScope::TrainedItems) {
    info.factory = [make = std::move(info.factory)](
                       const OptionValues& options,
                       const ComputeOptions& compute) -> std::unique_ptr<Recommender> {
      auto model = make(options, compute);
      if (!model) return nullptr;
      return std::make_unique<TrainedItemsModel>(std::move(model));
    };
  }
  std::lock_guard lock(mutex_);
  for (const auto& model : models_) {
    RECO_CHECK(model->name != info.name, ErrorKind::Internal,
               "a model named '" + info.name + "' is already registered");
  }
  models_.push_back(std::make_unique<const ModelInfo>(std::move(info)));
}

const ModelInfo* Registry::find(std::string_view name) const {
  std::lock_guard lock(mutex_);
  for (const auto& model : models_) {
    if (model->name == name) return model.get();
  }
  return nullptr;
}

const ModelInfo& Registry::get(std::string_view name) const {
  if (const ModelInfo* model = find(name)) return *model;
  std::string known;
  for (const ModelInfo* model : list()) known += (known.empty() ? "" : ", ") + model->name;
  throw Error(ErrorKind::Config,
              "unknown model '" + std::string(name) + "'; expected one of: " +
                  (known.empty() ? std::string("(no models registered)") : known));
}

std::vector<const ModelInfo*> Registry::list() const {
  std::lock_guard lock(mutex_);
  std::vector<const ModelInfo*> out;
  out.reserve(models_.size());
  for (const auto& model : models_) out.push_back(model.get());
  return out;
}

std::size_t Registry::size() const {
  std::lock_guard lock(mutex_);
  return models_.size();
}

std::unique_ptr<Recommender> Registry::create(std::string_view name, const OptionValues& options,
                                              const ComputeOptions& compute) const {
  const ModelInfo& info = get(name);
  auto model = info.factory(options, compute);
  RECO_CHECK(model != nullptr, ErrorKind::Internal,
             "the factory of model '" + info.name + "' returned no model");
  return model;
}

void registerBuiltinModels(Registry& registry) {
  registerBaselineModels(registry);
  registerNeighbourhoodModels(registry);
  registerFactorModels(registry);
  registerLinearModels(registry);
  registerContentModels(registry);
}

Registry& defaultRegistry() {
  static Registry* registry = [] {
    // Never destroyed: factories of deep models live in the module, which is never
    // unloaded, and static destruction order across the module boundary is not ours to know.
    auto* created = new Registry();
    registerBuiltinModels(*created);
    return created;
  }();
  return *registry;
}

const ModelInfo* findModel(std::string_view name) {
  Registry& registry = defaultRegistry();
  if (const ModelInfo* model = registry.find(name)) return model;
  loadTorchModule(registry);
  return registry.find(name);
}

}  // namespace reco
