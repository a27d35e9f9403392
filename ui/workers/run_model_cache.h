#pragma once
/// Loaded run models shared by background tasks (the Users and Items panels' loaders): the
/// first task that needs a run's model loads it, tasks that ask meanwhile wait for that load
/// (on their pool thread, never the GUI's). A failed load is not kept, so a later request
/// tries again. At most kMaxModels are kept, oldest dropped first. Thread-safe.

#include <algorithm>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>

#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/storage/workspace.h"
#include "core/training/stored_run.h"

namespace reco::ui {

class RunModelCache {
 public:
  using ModelPtr = std::shared_ptr<const reco::LoadedModel>;
  static constexpr std::size_t kMaxModels = 6;

  /// The model of `run`, read through `workspace` (the calling thread's connection) when it
  /// is not cached. Throws what reading the model file throws.
  ModelPtr get(reco::storage::Workspace& workspace, const reco::storage::RunInfo& run) {
    const Key key{workspace.path(), run.id, run.startedAt};
    std::promise<ModelPtr> promise;
    std::shared_future<ModelPtr> existing;
    {
      std::lock_guard lock(mutex_);
      const auto it = std::find_if(entries_.begin(), entries_.end(),
                                   [&](const Entry& e) { return e.key == key; });
      if (it != entries_.end()) {
        existing = it->model;
      } else {
        entries_.push_back({key, promise.get_future().share()});
        while (entries_.size() > kMaxModels) entries_.pop_front();
      }
    }
    // Loaded, or being loaded by another task: wait outside the lock, so that tasks for
    // other runs are not held up.
    if (existing.valid()) return existing.get();
    try {
      auto loaded = std::make_shared<reco::LoadedModel>(reco::loadRunModel(workspace, run.id));
      promise.set_value(loaded);
      return loaded;
    } catch (...) {
      promise.set_exception(std::current_exception());
      std::lock_guard lock(mutex_);
      std::erase_if(entries_, [&](const Entry& e) { return e.key == key; });
      throw;
    }
  }

  void clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
  }

 private:
  struct Key {
    std::string path;
    reco::storage::RunId run = 0;
    std::int64_t startedAt =
        0;  // a deleted run's id can be reused; its start time tells them apart
    bool operator==(const Key&) const = default;
  };
  struct Entry {
    Key key;
    std::shared_future<ModelPtr> model;
  };
  std::mutex mutex_;
  std::deque<Entry> entries_;  // oldest first
};

}  // namespace reco::ui
