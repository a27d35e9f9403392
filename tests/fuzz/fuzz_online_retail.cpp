// The UCI Online Retail export (InvoiceNo,StockCode,...), as `reco import --format online-retail`
// reads it. The input is the whole file.
#include "core/io/import_options.h"
#include "tests/fuzz/support.h"

namespace {

void fuzzOnlineRetail(reco::fuzz::Bytes input) {
  using namespace reco;
  fuzz::ImportCase c;
  c.options.format = io::Format::OnlineRetail;
  c.folder = fuzz::freshScratchFolder();
  c.path = fuzz::writeScratchFile(
      c.folder, "online_retail.csv",
      std::string_view(reinterpret_cast<const char*>(input.data()), input.size()));
  fuzz::checkImport(c);
}

}  // namespace

RECO_FUZZ_TARGET("online_retail", fuzzOnlineRetail)
