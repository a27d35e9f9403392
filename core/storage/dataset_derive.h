#pragma once
/// A sampled dataset derived from one already in the workspace: the sparse and basket
/// stand-ins of a shop (issue 18), or any thinner copy an analyst wants to try a model on.
///
/// A basket is a user's lines at one timestamp: the workspace keeps no invoice number, and
/// an Online Retail invoice is one customer's lines at one InvoiceDate (two invoices of one
/// customer in the same minute make one basket). A line without a time is a basket of its
/// own. Sampling:
/// - basketFraction F < 1: each basket of n lines keeps floor(F·n) lines, plus one more with
///   probability frac(F·n), drawn uniformly among its lines; so each line is kept with
///   probability exactly F, and every basket keeps as close to F of its lines as it can.
/// - linesPerUserMin/Max A..B (both 0: keep all): then each user keeps k of its remaining
///   lines, k uniform in [A, B] (all of them when it has fewer than k).
/// A user left with no line is dropped; every item of the source stays an item of the
/// derived dataset with its title, category, price and attributes, bought or not (the
/// "full catalogue"). Lines keep their time, event and value, and their order.
///
/// The draws of a user come from the stream (seed, user index): the same source and the
/// same options give the same dataset, byte for byte (its creation time aside). The derived
/// dataset is written through the import's DatasetWriter in one transaction: a failure or
/// a stop leaves the workspace as it was. Its source text is the recipe
/// ("derive --dataset retail --lines-per-user 1-2 --seed 42"), its format "derived", and
/// its import report counts the lines left out by each rule.
/// Memory: the source's users and items with their attributes, the kept lines and the
/// largest user's history; never the whole interaction table (unless everything is kept).

#include <cstdint>
#include <stop_token>
#include <string>

#include "core/common/progress.h"
#include "core/data/dataset_info.h"
#include "core/storage/workspace.h"

namespace reco::storage {

struct DeriveOptions {
  std::string name;         ///< the new dataset's name; must be unused
  int linesPerUserMin = 0;  ///< 1 <= min <= max, or both 0 (keep every line)
  int linesPerUserMax = 0;
  double basketFraction = 1.0;  ///< in (0, 1]; 1 keeps every line
  std::uint64_t seed = 0;

  bool thinsUsers() const { return linesPerUserMax > 0; }
  bool samplesBaskets() const { return basketFraction < 1.0; }
  /// Throws Error(Config) saying what was expected and what was found.
  void validate() const;
  /// "derive --dataset SRC [--basket-fraction F] [--lines-per-user A-B] --seed S": what the
  /// dataset's source text records, and what `reco derive` prints to redo it.
  std::string recipe(const std::string& sourceName) const;
};

struct DeriveResult {
  Outcome outcome = Outcome::Completed;
  DatasetInfo dataset;              ///< valid when Completed
  ImportReport report;              ///< rows read = the source's lines; rejected = left out
  std::int64_t catalogueItems = 0;  ///< items of the derived dataset, bought or not
  std::int64_t droppedUsers = 0;    ///< source users left with no line
};

/// Derives options.name from `source` (a dataset of `workspace`). Throws Error(Config) for
/// bad options, a taken name or a source that is gone, Error(Data) when the sample keeps no
/// line, Error(Workspace) for a damaged source; the workspace is unchanged then. The caller
/// has called Workspace::prepareForWriting.
DeriveResult deriveDataset(Workspace& workspace, const DatasetInfo& source,
                           const DeriveOptions& options, JobObserver* observer,
                           std::stop_token stop);

}  // namespace reco::storage
