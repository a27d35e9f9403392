#pragma once
/// Reading a source in any supported format into a RecordSink. Streaming: memory is
/// bounded by a line, never by the file size.

#include <stop_token>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/io/import_options.h"
#include "core/io/record_sink.h"

namespace reco::io {

/// Guesses the format of a file or folder from its name and first lines:
/// a folder or file named u.data (with u.item beside it) -> MovieLens; ratings.dat with
/// "::" -> MovieLens; the Online Retail header (InvoiceNo,StockCode,...) -> OnlineRetail;
/// a header with timestamp/visitorid/event/itemid (or user/item/event) -> Events;
/// a header or first row shaped like user,item,rating[,timestamp] -> RatingsCsv;
/// anything else delimited -> Csv (which then needs options.map).
/// Throws Error(Io) when the path does not exist or cannot be read, Error(Data) when it is
/// empty or binary.
Format detectFormat(const std::string& path);

/// The files a source is read from, for the dataset's record and the content hash
/// (for MovieLens 100K: u.data, u.item, u.user).
std::vector<std::string> sourceFiles(const std::string& path, Format format);

/// Reads path (and options.itemsPath when set) in options.format (Auto: detected) and
/// pushes every row to sink: begin() first, then users and items metadata and
/// interactions in file order. Reports progress in bytes over all files; checks stop
/// every few thousand rows and returns Outcome::Stopped when it fired.
/// Throws Error(Io/Data) naming file, line and column for a source that cannot be
/// imported at all (missing, empty, binary, a mapped column absent, ragged throughout).
Outcome readSource(const std::string& path, const ImportOptions& options, RecordSink& sink,
                   JobObserver* observer, std::stop_token stop);

}  // namespace reco::io
