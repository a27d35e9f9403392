#include "core/storage/dataset_import.h"

#include <chrono>
#include <filesystem>

#include "core/common/error.h"
#include "core/io/csv_record_writer.h"
#include "core/io/format_reader.h"
#include "core/io/spooled_input.h"
#include "core/storage/dataset_writer.h"

namespace reco::storage {

namespace fs = std::filesystem;

namespace {

// Forwards records to the writer and keeps the writer told which file they come from.
class FileTrackingSink final : public io::RecordSink {
 public:
  explicit FileTrackingSink(DatasetWriter& writer) : writer_(writer) {}
  void begin(io::Feedback feedback) override { writer_.begin(feedback); }
  void beginFile(const std::string& path) override {
    writer_.setCurrentFile(fs::path(path).filename().string());
  }
  void interaction(const io::InteractionRecord& r) override { writer_.interaction(r); }
  void item(const io::ItemRecord& r) override { writer_.item(r); }
  void user(const io::UserRecord& r) override { writer_.user(r); }
  void reject(std::string_view reason, std::size_t line, std::string_view text) override {
    writer_.reject(reason, line, text);
  }

 private:
  DatasetWriter& writer_;
};

std::string defaultName(const std::string& path, io::Format format) {
  fs::path p(path);
  std::error_code ec;
  if (fs::is_directory(p, ec))
    return p.filename().empty() ? p.parent_path().filename().string() : p.filename().string();
  // MovieLens files have generic names (u.data, ratings.dat): the folder names the set.
  if (format == io::Format::MovieLens && p.has_parent_path())
    return fs::absolute(p).parent_path().filename().string();
  return p.stem().string();
}

ImportResult runImport(Workspace& workspace, const std::string& name, const std::string& format,
                       const std::string& source, const io::ImportOptions& options,
                       const std::function<Outcome(io::RecordSink&, DatasetWriter&)>& produce,
                       JobObserver* observer, std::stop_token stop) {
  const auto start = std::chrono::steady_clock::now();
  Database& db = workspace.db();
  // A larger page cache keeps the interactions index in memory during a bulk insert; it
  // is a fixed bound, not proportional to the file.
  db.exec("PRAGMA cache_size = -262144");
  ImportResult result;
  Transaction tx(db);
  DatasetWriter writer(db, workspace.uniqueDatasetName(name), format, source, options);
  FileTrackingSink sink(writer);
  if (produce(sink, writer) == Outcome::Stopped || stop.stop_requested()) {
    result.outcome = Outcome::Stopped;
    return result;  // the transaction rolls back
  }
  if (writer.finish(observer, stop, start) == Outcome::Stopped) {
    result.outcome = Outcome::Stopped;
    return result;
  }
  report(observer, Progress{"committing", 0, 0});
  tx.commit();
  result.report = writer.report();  // its seconds are the stored ones, so both sides agree
  auto info = workspace.findDataset(writer.datasetId());
  RECO_CHECK(info.has_value(), ErrorKind::Internal, "the imported dataset vanished");
  result.dataset = *info;
  return result;
}

/// importFile once the input is a regular file (a stream's copy, or the file itself).
ImportResult importInput(Workspace& workspace, const std::string& givenPath,
                         const io::SpooledInput& input, const io::ImportOptions& options,
                         JobObserver* observer, std::stop_token stop) {
  const std::string& path = input.path();
  io::ImportOptions resolved = options;
  if (resolved.format == io::Format::Auto) resolved.format = io::detectFormat(path);
  // A catalogue written beside the events (x.csv and x.items.csv, as gen-synthetic
  // writes them) is read without being named; the report says so.
  std::string foundItems;
  const bool tabular = resolved.format == io::Format::Events ||
                       resolved.format == io::Format::RatingsCsv ||
                       resolved.format == io::Format::Csv;
  std::error_code ec;
  if (tabular && resolved.itemsPath.empty() && !input.spooled() && fs::is_regular_file(path, ec)) {
    const std::string beside = io::itemsPathBeside(path);
    if (beside != path && fs::is_regular_file(beside, ec)) foundItems = resolved.itemsPath = beside;
  }
  const std::string name = options.name.empty()
                               ? defaultName(input.spooled() ? path : givenPath, resolved.format)
                               : options.name;
  std::string source;
  if (input.spooled()) {
    source = input.source();
  } else {
    for (const auto& file : io::sourceFiles(path, resolved.format))
      source += (source.empty() ? "" : ";") + file;
  }
  if (!resolved.itemsPath.empty()) source += ";" + resolved.itemsPath;
  return runImport(
      workspace, name, io::formatName(resolved.format), source, resolved,
      [&](io::RecordSink& sink, DatasetWriter& writer) {
        if (!foundItems.empty())
          writer.addNote("items read from " + fs::path(foundItems).filename().string() +
                         ", found beside " + fs::path(path).filename().string());
        if (input.spooled())
          writer.addNote("read from " + input.source() + " (a stream, read once)");
        return io::readSource(path, resolved, sink, observer, stop);
      },
      observer, stop);
}

}  // namespace

ImportResult importFile(Workspace& workspace, const std::string& givenPath,
                        const io::ImportOptions& options, JobObserver* observer,
                        std::stop_token stop) {
  options.validate();
  // A stream ("-", a named pipe) is read once, into a temporary copy; a file is read in place.
  const io::SpooledInput input(givenPath);
  try {
    return importInput(workspace, givenPath, input, options, observer, stop);
  } catch (const Error& e) {
    // A message about a stream names its temporary copy, which is gone by the time the
    // user reads it: name the stream as the user gave it ("standard input", the pipe).
    if (!input.spooled()) throw;
    std::string message = e.what();
    for (auto at = message.find(input.path()); at != std::string::npos;
         at = message.find(input.path(), at + input.source().size()))
      message.replace(at, input.path().size(), input.source());
    throw Error(e.kind(), message);
  }
}

ImportResult importRecords(Workspace& workspace, const std::string& format,
                           const std::string& source, const io::ImportOptions& options,
                           const RecordProducer& produce, JobObserver* observer,
                           std::stop_token stop) {
  options.validate();
  const std::string name = options.name.empty() ? format : options.name;
  return runImport(
      workspace, name, format, source, options,
      [&](io::RecordSink& sink, DatasetWriter& writer) {
        writer.setCurrentFile(format);
        return produce(sink);
      },
      observer, stop);
}

}  // namespace reco::storage
