#pragma once
/// Loaded run models shared by background tasks (the Users and Items panels' loaders, the
/// report): the first task that needs a run's model loads it, tasks that ask meanwhile wait
/// for that load (on their pool thread, never the GUI's). A failed load is not kept, so a
/// later request tries again. The model asked for least recently is dropped first while more
/// than maxModels are kept or their model files weigh more than maxBytes together (the
/// newest always stays): at a million users one model is 300-450 MB, and six of them held
/// the window at 3 GB. Thread-safe.

#include <algorithm>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>

#include "core/storage/run_store.h"
#include "core/storage/stored_model.h"
#include "core/storage/workspace.h"
#include "core/training/stored_run.h"

namespace reco::ui {

class RunModelCache {
 public:
  using ModelPtr = std::shared_ptr<const reco::LoadedModel>;
  static constexpr std::size_t kMaxModels = 6;
  static constexpr std::int64_t kMaxBytes = std::int64_t(1) << 30;

  /// Tests lower the bounds.
  explicit RunModelCache(std::size_t maxModels = kMaxModels, std::int64_t maxBytes = kMaxBytes)
      : maxModels_(maxModels), maxBytes_(maxBytes) {}

  /// The model of `run`, read through `workspace` (the calling thread's connection) when it
  /// is not cached, and kept. Throws what reading the model file throws.
  ModelPtr get(reco::storage::Workspace& workspace, const reco::storage::RunInfo& run) {
    return find(workspace, run, true);
  }

  /// The same, but a model not cached is read for the caller alone and not kept: the
  /// report, which reads every run's model once, uses what the panels hold without
  /// filling the cache with the rest.
  ModelPtr getOrRead(reco::storage::Workspace& workspace, const reco::storage::RunInfo& run) {
    return find(workspace, run, false);
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
    std::int64_t bytes = 0;  ///< the model file's size
  };

  ModelPtr find(reco::storage::Workspace& workspace, const reco::storage::RunInfo& run, bool keep) {
    const Key key{workspace.path(), run.id, run.startedAt};
    // Read before the lock: a read may wait on the workspace, and other tasks on the lock.
    const std::int64_t bytes = keep ? reco::storage::runModelBytes(workspace, run.id) : 0;
    std::promise<ModelPtr> promise;
    std::shared_future<ModelPtr> existing;
    {
      std::lock_guard lock(mutex_);
      const auto it = std::find_if(entries_.begin(), entries_.end(),
                                   [&](const Entry& e) { return e.key == key; });
      if (it != entries_.end()) {
        existing = it->model;
        std::rotate(it, it + 1, entries_.end());  // now the newest: dropped last
      } else if (keep) {
        entries_.push_back({key, promise.get_future().share(), bytes});
        dropOldest();
      }
    }
    // Loaded, or being loaded by another task: wait outside the lock, so that tasks for
    // other runs are not held up.
    if (existing.valid()) return existing.get();
    if (!keep)
      return std::make_shared<const reco::LoadedModel>(reco::loadRunModel(workspace, run.id));
    try {
      auto loaded =
          std::make_shared<const reco::LoadedModel>(reco::loadRunModel(workspace, run.id));
      promise.set_value(loaded);
      return loaded;
    } catch (...) {
      promise.set_exception(std::current_exception());
      std::lock_guard lock(mutex_);
      std::erase_if(entries_, [&](const Entry& e) { return e.key == key; });
      throw;
    }
  }

  /// Drops the oldest entries over the bounds; the newest stays. Under mutex_. A dropped
  /// model lives on in the tasks that hold it.
  void dropOldest() {
    const auto total = [&] {
      std::int64_t sum = 0;
      for (const Entry& e : entries_) sum += e.bytes;
      return sum;
    };
    while (entries_.size() > 1 && (entries_.size() > maxModels_ || total() > maxBytes_))
      entries_.pop_front();
  }

  const std::size_t maxModels_;
  const std::int64_t maxBytes_;
  std::mutex mutex_;
  std::deque<Entry> entries_;  // oldest first
};

}  // namespace reco::ui
