// A delimited file with a column map (`reco import --format csv --map ...`). The input is
// "MAP\0FILE": the map as the user types it ("user=customer,item=1,time=when"), then the
// file. The header, delimiter and format are detected, as on the command line.
#include "core/io/import_options.h"
#include "tests/fuzz/support.h"

namespace {

void fuzzCsvMapped(reco::fuzz::Bytes input) {
  using namespace reco;
  static const char* const kRoles[] = {"user",  "item",     "time", "rating",
                                       "event", "quantity", nullptr};
  const auto parts = fuzz::splitParts(input, 2);
  fuzz::ImportCase c;
  c.options.format = io::Format::Csv;
  try {
    c.options.map = io::parseColumnMap(parts[0], kRoles);
  } catch (const Error& e) {
    return fuzz::requireAnswer(e, {ErrorKind::Config});
  }
  c.folder = fuzz::freshScratchFolder();
  c.path = fuzz::writeScratchFile(c.folder, "shop.csv", parts[1]);
  fuzz::checkImport(c);
}

}  // namespace

RECO_FUZZ_TARGET("csv_mapped", fuzzCsvMapped)
