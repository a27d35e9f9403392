// A ratings file (user,item,rating[,timestamp], a header or none), as `reco import --format
// ratings-csv` reads it. The input is the whole file.
#include "core/io/import_options.h"
#include "tests/fuzz/support.h"

namespace {

void fuzzRatings(reco::fuzz::Bytes input) {
  using namespace reco;
  fuzz::ImportCase c;
  c.options.format = io::Format::RatingsCsv;
  c.folder = fuzz::freshScratchFolder();
  c.path = fuzz::writeScratchFile(
      c.folder, "ratings.csv",
      std::string_view(reinterpret_cast<const char*>(input.data()), input.size()));
  fuzz::checkImport(c);
}

}  // namespace

RECO_FUZZ_TARGET("ratings", fuzzRatings)
