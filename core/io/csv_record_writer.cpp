#include "core/io/csv_record_writer.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include "core/common/error.h"
#include "core/common/output_file.h"
#include "core/io/import_options.h"

namespace reco::io {

namespace {

constexpr std::size_t kFlushAt = 1 << 20;

void appendField(std::string& out, std::string_view field) {
  bool plain = true;
  for (const char c : field) plain &= c != ',' && c != '"' && c != '\r' && c != '\n';
  if (plain) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void appendNumber(std::string& out, double value) {
  char buffer[32];
  // Shortest text that reads back as the same double: "12.99", not "12.9900000000000002".
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

}  // namespace

std::string itemsPathBeside(const std::string& eventsPath) {
  constexpr std::string_view kCsv = ".csv";
  if (eventsPath.size() > kCsv.size() &&
      eventsPath.compare(eventsPath.size() - kCsv.size(), kCsv.size(), kCsv) == 0)
    return eventsPath.substr(0, eventsPath.size() - kCsv.size()) + ".items.csv";
  return eventsPath + ".items.csv";
}

CsvRecordWriter::CsvRecordWriter(std::string eventsPath, std::string itemsPath)
    : eventsPath_(std::move(eventsPath)), itemsPath_(std::move(itemsPath)) {
  events_.path = eventsPath_;
  itemsOut_.path = itemsPath_;
  open(events_);
  try {
    open(itemsOut_);
  } catch (...) {
    discard(events_);
    throw;
  }
  events_.buffer.reserve(kFlushAt + 4096);
  events_.buffer = "timestamp,user_id,event,item_id\n";
  itemsOut_.buffer = "item_id,title,category,price,brand\n";
}

CsvRecordWriter::~CsvRecordWriter() {
  // Best effort only: an exception from a destructor ends the program (it is noexcept), and
  // one during unwinding would too. finish() is where write errors surface.
  discard(events_);
  discard(itemsOut_);
}

// The files are written beside their targets and renamed into place by finish(), so a
// failed or killed generation never leaves half a file under the name asked for.
void CsvRecordWriter::open(Output& output) {
  checkOutputTarget(output.path, {});
  std::string partial = output.path + ".partial-" + std::to_string(::getpid());
  output.file = std::fopen(partial.c_str(), "wb");
  if (!output.file)
    throw Error(ErrorKind::Io, "cannot create " + output.path + ": " + errnoText(errno));
  output.partial = std::move(partial);
}

void CsvRecordWriter::begin(Feedback feedback) {
  if (feedback != Feedback::Event && feedback != Feedback::Binary)
    throw Error(ErrorKind::Config,
                std::string("the events CSV writer has no value column, so it cannot keep ") +
                    feedbackName(feedback) + " feedback");
}

void CsvRecordWriter::interaction(const InteractionRecord& record) {
  RECO_CHECK(events_.file, ErrorKind::Internal, "CsvRecordWriter: a record after finish()");
  std::string& out = events_.buffer;
  if (record.time != kNoTime) {
    // formatDateTime once per day for "YYYY-MM-DD "; the time of day is appended here.
    const std::int64_t day =
        record.time >= 0 ? record.time / 86400 : -((-record.time + 86399) / 86400);
    if (day != cachedDay_) {
      cachedDay_ = day;
      cachedDate_ = formatDateTime(day * 86400);
      cachedDate_.resize(cachedDate_.size() - 8);  // drop "00:00:00"
    }
    const auto seconds = int(record.time - day * 86400);
    const int parts[3] = {seconds / 3600, seconds / 60 % 60, seconds % 60};
    out.append(cachedDate_);
    for (int i = 0; i < 3; ++i) {
      if (i > 0) out.push_back(':');
      out.push_back(char('0' + parts[i] / 10));
      out.push_back(char('0' + parts[i] % 10));
    }
  }
  out.push_back(',');
  appendField(out, record.user);
  out.push_back(',');
  appendField(out, record.event);
  out.push_back(',');
  appendField(out, record.item);
  out.push_back('\n');
  ++interactions_;
  if (out.size() >= kFlushAt) flush(events_);
}

void CsvRecordWriter::item(const ItemRecord& record) {
  RECO_CHECK(itemsOut_.file, ErrorKind::Internal, "CsvRecordWriter: a record after finish()");
  std::string& out = itemsOut_.buffer;
  appendField(out, record.id);
  out.push_back(',');
  appendField(out, record.title);
  out.push_back(',');
  appendField(out, record.category);
  out.push_back(',');
  if (record.price) appendNumber(out, *record.price);
  out.push_back(',');
  for (const auto& [key, value] : record.attributes) {
    if (key == "brand") {
      appendField(out, value);
      break;
    }
  }
  out.push_back('\n');
  ++items_;
  if (out.size() >= kFlushAt) flush(itemsOut_);
}

void CsvRecordWriter::flush(Output& output) {
  if (!output.file || output.buffer.empty()) return;
  if (std::fwrite(output.buffer.data(), 1, output.buffer.size(), output.file) !=
      output.buffer.size())
    output.failed = true;
  output.buffer.clear();
}

// Allocates nothing and throws nothing, so the destructor may call it.
void CsvRecordWriter::discard(Output& output) noexcept {
  if (output.file) std::fclose(output.file);
  output.file = nullptr;
  if (!output.partial.empty()) std::remove(output.partial.c_str());
  output.partial.clear();
}

void CsvRecordWriter::finish() {
  // Both files are written and closed before either is renamed, so a write error in the
  // second does not leave the first behind under its name.
  for (Output* output : {&events_, &itemsOut_}) {
    if (!output->file) continue;
    flush(*output);
    const bool closeFailed = std::fclose(output->file) != 0;
    output->file = nullptr;
    if (output->failed || closeFailed) {
      discard(events_);
      discard(itemsOut_);
      throw Error(ErrorKind::Io, "cannot write " + output->path + " (is the disk full?)");
    }
  }
  for (Output* output : {&events_, &itemsOut_}) {
    if (output->partial.empty()) continue;
    std::error_code ec;
    std::filesystem::rename(output->partial, output->path, ec);
    if (ec) {
      discard(events_);
      discard(itemsOut_);
      throw Error(ErrorKind::Io, "cannot write " + output->path + ": " + errorCodeText(ec));
    }
    output->partial.clear();
  }
}

}  // namespace reco::io
