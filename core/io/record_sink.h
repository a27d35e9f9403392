#pragma once
/// The seam between format readers (and the synthetic generator) and whatever consumes
/// their rows: the import pipeline that writes a workspace, or a CSV writer.
/// Readers normalise ids and parse values; they never filter by the user's options
/// (threshold, dates, k-core): the pipeline does that, so every format behaves alike.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reco::io {

/// Sentinel for "the row has no time".
inline constexpr std::int64_t kNoTime = INT64_MIN;

/// One user-item event. Views point into the reader's buffer and are valid only during
/// the call.
struct InteractionRecord {
  std::string_view user;        ///< external user id, normalised ("17850", not "17850.0")
  std::string_view item;        ///< external item id
  std::int64_t time = kNoTime;  ///< Unix seconds (UTC; local times are taken as UTC)
  std::string_view event;       ///< event name ("view", "addtocart", "purchase"); empty if none
  double value = 1.0;           ///< rating, quantity, or 1 when the format has no value
  std::size_t line = 0;         ///< 1-based line in the source file, for messages
};

using Attributes = std::vector<std::pair<std::string, std::string>>;

/// Catalogue data for one item. Empty fields mean "unknown"; a later record with a
/// non-empty field replaces an earlier one.
struct ItemRecord {
  std::string_view id;
  std::string_view title;
  std::string_view category;  ///< leaf category; a path "Home > Kitchen" is allowed
  std::optional<double> price;
  Attributes attributes;  ///< every other column, kept as key/value
};

struct UserRecord {
  std::string_view id;
  Attributes attributes;
};

/// What the records of a source mean, so that models and metrics read `value` right.
enum class Feedback {
  Rating,    ///< explicit ratings (MovieLens, ratings CSV)
  Quantity,  ///< purchased quantities (Online Retail)
  Event,     ///< typed events weighted by event (event logs, the synthetic shop)
  Binary,    ///< presence only
};
const char* feedbackName(Feedback feedback);

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  /// Declares what `value` means; called once, before the first interaction.
  virtual void begin(Feedback feedback) = 0;
  /// The file the following rows come from (its path), so that rejections name it.
  /// Readers call it before each file they read; the default ignores it.
  virtual void beginFile(const std::string& path) {}
  virtual void interaction(const InteractionRecord& record) = 0;
  virtual void item(const ItemRecord& record) = 0;
  virtual void user(const UserRecord& record) = 0;
  /// A row the reader could not use. `reason` is a short stable phrase ("no customer id",
  /// "cancelled invoice", "wrong number of fields"); `text` the raw line (the sink caps
  /// how many examples it keeps).
  virtual void reject(std::string_view reason, std::size_t line, std::string_view text) = 0;
};

}  // namespace reco::io
