// The item catalogue beside an interaction file (`reco import FILE --items CATALOGUE
// [--items-map ...]`). The input is "ITEMS_MAP\0CATALOGUE": the map as typed
// ("id=sku,title=name,category=2", empty: detected from the header), then the catalogue.
// The interactions are a fixed, valid ratings file whose items the catalogue may name.
#include "core/io/import_options.h"
#include "tests/fuzz/support.h"

namespace {

constexpr std::string_view kRatings =
    "user,item,rating,timestamp\nu1,p1,5,978300760\nu1,p2,3,978302109\nu2,p1,4,978301968\n"
    "u2,p3,2,978300275\nu3,p2,5,978824291\n";

void fuzzItems(reco::fuzz::Bytes input) {
  using namespace reco;
  static const char* const kRoles[] = {"id", "title", "category", "price", nullptr};
  const auto parts = fuzz::splitParts(input, 2);
  fuzz::ImportCase c;
  c.options.format = io::Format::RatingsCsv;
  try {
    if (!parts[0].empty()) c.options.itemsMap = io::parseColumnMap(parts[0], kRoles);
  } catch (const Error& e) {
    return fuzz::requireAnswer(e, {ErrorKind::Config});
  }
  c.folder = fuzz::freshScratchFolder();
  c.path = fuzz::writeScratchFile(c.folder, "ratings.csv", kRatings);
  c.options.itemsPath = fuzz::writeScratchFile(c.folder, "items.csv", parts[1]);
  fuzz::checkImport(c);
}

}  // namespace

RECO_FUZZ_TARGET("items", fuzzItems)
