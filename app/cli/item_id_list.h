#pragma once
/// A list of the dataset's item ids on the command line ("P1,P7, P9"), as `reco recommend
/// --history` and `reco scenario save --history` take it.

#include <cstdint>
#include <string>
#include <vector>

namespace reco::cli {

/// The dataset item indices of `text`'s comma-separated ids, in order; "" (or blanks) gives
/// none. `itemIds` holds the external id of each index ("" where none). Throws Config for an
/// empty entry ("A,,B") or an unknown id, naming `option`, the entry's position and `where`
/// ("run 'ease''s data", "dataset 'ml100k'").
std::vector<std::int32_t> parseItemIdList(const std::string& text,
                                          const std::vector<std::string>& itemIds,
                                          const std::string& option, const std::string& where);

}  // namespace reco::cli
