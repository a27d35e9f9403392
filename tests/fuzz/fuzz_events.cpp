// An event log (timestamp,visitorid,event,itemid), as `reco import --format events` reads it.
// The input is the whole file.
#include "core/io/import_options.h"
#include "tests/fuzz/support.h"

namespace {

void fuzzEvents(reco::fuzz::Bytes input) {
  reco::fuzz::checkSingleFile(input, reco::io::Format::Events, "events.csv");
}

}  // namespace

RECO_FUZZ_TARGET("events", fuzzEvents)
