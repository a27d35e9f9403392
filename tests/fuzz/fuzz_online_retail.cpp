// The UCI Online Retail export (InvoiceNo,StockCode,...), as `reco import --format online-retail`
// reads it. The input is the whole file.
#include "core/io/import_options.h"
#include "tests/fuzz/support.h"

namespace {

void fuzzOnlineRetail(reco::fuzz::Bytes input) {
  reco::fuzz::checkSingleFile(input, reco::io::Format::OnlineRetail, "online_retail.csv");
}

}  // namespace

RECO_FUZZ_TARGET("online_retail", fuzzOnlineRetail)
