#pragma once
// Test support: interactions written out as a table of rows in a test, sent to an
// importer's record sink as if read from a file.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/io/record_sink.h"

namespace reco::testing {

/// One interaction; `event` may be "" (binary feedback).
struct EventRow {
  const char* user;
  const char* item;
  const char* event;
  std::int64_t time;
};

/// Sends `rows` to `sink` in order as interactions on file lines 2, 3, … (line 1 being
/// the header).
inline void sendEvents(io::RecordSink& sink, std::span<const EventRow> rows) {
  std::size_t line = 2;
  for (const EventRow& row : rows) {
    io::InteractionRecord record;
    record.user = row.user;
    record.item = row.item;
    record.event = row.event;
    record.time = row.time;
    record.line = line++;
    sink.interaction(record);
  }
}

}  // namespace reco::testing
