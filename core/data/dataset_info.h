#pragma once
/// Plain values describing a dataset of a workspace. No SQLite here, so ui/ may use it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace reco {

using DatasetId = std::int64_t;

struct DatasetInfo {
  DatasetId id = 0;
  std::string name;
  std::string format;          ///< formatName() of the importer
  std::string source;          ///< the imported path(s), ';'-separated
  std::string feedback;        ///< feedbackName(): rating, quantity, event, binary
  std::string options;         ///< the import options as JSON, for reproducing the import
  std::string contentHash;     ///< FNV-1a 64 over the kept interactions, hex
  std::int64_t createdAt = 0;  ///< Unix seconds
  std::int64_t users = 0;
  std::int64_t items = 0;  ///< catalogue items that have at least one interaction
  std::int64_t interactions = 0;
  std::optional<std::int64_t> firstTime;  ///< Unix seconds of the earliest interaction
  std::optional<std::int64_t> lastTime;
  double density() const {
    return users > 0 && items > 0 ? double(interactions) / (double(users) * double(items)) : 0.0;
  }
};

/// Quantiles of a count distribution (interactions per user, or per item).
struct CountSummary {
  double min = 0, q25 = 0, median = 0, q75 = 0, q90 = 0, q99 = 0, max = 0, mean = 0;
};

struct CategoryShare {
  std::string category;  ///< "" for items without a category
  std::int64_t items = 0;
  std::int64_t interactions = 0;
};

struct EventShare {
  std::string event;
  double weight = 0;
  std::int64_t interactions = 0;
};

/// The statistics page of a dataset (the Datasets screen).
struct DatasetStats {
  DatasetInfo info;
  CountSummary perUser;
  CountSummary perItem;
  std::vector<CategoryShare> categories;  ///< by interactions, descending
  std::vector<EventShare> events;         ///< by interactions, descending; empty if untyped
};

/// Rows read, kept and rejected by an import, with the first examples of each reason.
struct ImportReport {
  struct Example {
    std::string file;
    std::size_t line = 0;
    std::string text;
  };
  struct Reason {
    std::string reason;
    std::int64_t count = 0;
    std::vector<Example> examples;
  };
  std::int64_t rowsRead = 0;       ///< interaction rows read from the source
  std::int64_t rowsKept = 0;       ///< interaction rows in the dataset
  std::vector<Reason> rejected;    ///< unusable rows and filtered rows, by reason
  std::vector<std::string> notes;  ///< k-core passes, duplicates merged, ...
  double seconds = 0;
};

}  // namespace reco
