// An event log (timestamp,visitorid,event,itemid), as `reco import --format events` reads it.
// The input is the whole file.
#include "core/io/import_options.h"
#include "tests/fuzz/support.h"

namespace {

void fuzzEvents(reco::fuzz::Bytes input) {
  using namespace reco;
  fuzz::ImportCase c;
  c.options.format = io::Format::Events;
  c.folder = fuzz::freshScratchFolder();
  c.path = fuzz::writeScratchFile(
      c.folder, "events.csv",
      std::string_view(reinterpret_cast<const char*>(input.data()), input.size()));
  fuzz::checkImport(c);
}

}  // namespace

RECO_FUZZ_TARGET("events", fuzzEvents)
