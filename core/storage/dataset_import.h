#pragma once
/// The import pipeline: records from a reader (or the generator) become a new dataset of
/// a workspace, in one transaction. Ids are mapped to dense indices, the user's filters
/// applied (rating threshold, date range, event weights), duplicates merged by policy,
/// k-core filtering iterated until stable, statistics and the report stored. A failure or
/// a stop rolls everything back: the workspace is left exactly as it was.

#include <functional>
#include <stop_token>
#include <string>

#include "core/common/progress.h"
#include "core/data/dataset_info.h"
#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/storage/workspace.h"

namespace reco::storage {

struct ImportResult {
  Outcome outcome = Outcome::Completed;
  DatasetInfo dataset;  ///< valid when Completed
  ImportReport report;
};

/// Imports a file or folder in options.format (Auto: detected) as a new dataset.
/// Throws Error(Io/Data/Config/Workspace) with file and line; the workspace is unchanged then.
ImportResult importFile(Workspace& workspace, const std::string& path,
                        const io::ImportOptions& options, JobObserver* observer,
                        std::stop_token stop);

/// Imports whatever `produce` pushes into the sink it is given (the synthetic generator,
/// a test's records). `format` and `source` are recorded on the dataset.
using RecordProducer = std::function<Outcome(io::RecordSink& sink)>;
ImportResult importRecords(Workspace& workspace, const std::string& format,
                           const std::string& source, const io::ImportOptions& options,
                           const RecordProducer& produce, JobObserver* observer,
                           std::stop_token stop);

}  // namespace reco::storage
