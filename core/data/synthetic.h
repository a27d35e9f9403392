#pragma once
/// A seeded generator of a believable shop: a category tree, a catalogue with titles,
/// brands and prices, users with sparse tastes, and sessions of views, carts and
/// purchases spread over a few months. It feeds a RecordSink, so the same generator
/// writes CSV files (io::CsvRecordWriter) or imports straight into a workspace
/// (storage::importRecords).
///
/// Deterministic: the same options give the same records, byte for byte, with any
/// compiler and standard library. Randomness comes from std::mt19937_64 (whose output the
/// standard fixes) through the generator's own distributions and its own exp/log, so
/// neither std:: distributions nor libm differences can change the output.

#include <cstdint>
#include <stop_token>
#include <string>

#include "core/common/progress.h"
#include "core/io/record_sink.h"

namespace reco::data {

/// 2025-01-01 00:00:00 UTC.
inline constexpr std::int64_t kSyntheticDefaultStart = 1735689600;

struct SyntheticOptions {
  std::int64_t users = 1000;          ///< users in the id space; each gets >= 1 event when
                                      ///< interactions >= users
  std::int64_t items = 200;           ///< catalogue size; every item is emitted
  std::int64_t interactions = 20000;  ///< exactly this many interaction records
  std::uint64_t seed = 42;
  int months = 6;                               ///< calendar months covered, from `start`
  std::int64_t start = kSyntheticDefaultStart;  ///< Unix seconds (UTC) of the first instant
  double popularityExponent = 1.0;              ///< Zipf exponent of item popularity (0: uniform)
  double tasteConcentration = 0.2;  ///< Dirichlet alpha per top category: small = picky users
  double activitySpread = 1.2;      ///< sigma of the log-normal user activity

  /// Throws Error(Config) naming the option, the limit and the value found: users in
  /// [1, 1e9], items in [1, 1e7], interactions in [0, 1e11], months in [1, 120],
  /// start in [1970, 9000), exponent in [0, 3], concentration in (0, 100], spread in [0, 4].
  void validate() const;
  /// Unix seconds of the end of the period (exclusive): start plus `months` calendar months.
  std::int64_t end() const;
};

/// Generates the shop into sink: begin(Feedback::Event), then one item record per item
/// (id "P<n>", title, category path "Top > Leaf", price > 0, attribute "brand"), then
/// exactly options.interactions interaction records (user "U<n>", item, event "view",
/// "cart" or "purchase", value 1), user by user, each user's events in time order inside
/// [start, end()). Validates the options first.
///
/// Cost: O(items) memory (the catalogue and its alias tables, about 150 bytes an item), none
/// per user or per event; time linear in interactions plus users (a few million events a
/// second to a null sink).
/// Reports Progress{"generating", events done, events total}; checks stop every few
/// thousand events and returns Outcome::Stopped (the sink has then seen a prefix).
Outcome generateShop(const SyntheticOptions& options, io::RecordSink& sink, JobObserver* observer,
                     std::stop_token stop);

/// The command line that reproduces options, for a dataset's source field:
/// "gen-synthetic --users 3000 --items 400 --interactions 60000 --seed 2026 --months 6 ...".
/// Options left at their defaults other than the four counts and the seed are omitted.
std::string syntheticRecipe(const SyntheticOptions& options);

}  // namespace reco::data
