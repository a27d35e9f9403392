// A ratings file (user,item,rating[,timestamp], a header or none), as `reco import --format
// ratings-csv` reads it. The input is the whole file.
#include "core/io/import_options.h"
#include "tests/fuzz/support.h"

namespace {

void fuzzRatings(reco::fuzz::Bytes input) {
  reco::fuzz::checkSingleFile(input, reco::io::Format::RatingsCsv, "ratings.csv");
}

}  // namespace

RECO_FUZZ_TARGET("ratings", fuzzRatings)
