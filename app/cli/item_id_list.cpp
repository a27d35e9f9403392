#include "app/cli/item_id_list.h"

#include <unordered_map>

#include "core/common/error.h"

namespace reco::cli {

std::vector<std::int32_t> parseItemIdList(const std::string& text,
                                          const std::vector<std::string>& itemIds,
                                          const std::string& option, const std::string& where) {
  std::vector<std::int32_t> out;
  if (text.find_first_not_of(" \t") == std::string::npos) return out;
  std::unordered_map<std::string, std::int32_t> index;
  for (std::size_t i = 0; i < itemIds.size(); ++i)
    if (!itemIds[i].empty()) index.emplace(itemIds[i], std::int32_t(i));
  std::size_t start = 0, position = 1;
  while (true) {
    const std::size_t comma = text.find(',', start);
    std::string id =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto first = id.find_first_not_of(" \t");
    id = first == std::string::npos ? "" : id.substr(first, id.find_last_not_of(" \t") - first + 1);
    if (id.empty())
      throw Error(ErrorKind::Config, option + ": item " + std::to_string(position) +
                                         " of the list is empty; expected ID,ID,...");
    const auto it = index.find(id);
    if (it == index.end())
      throw Error(ErrorKind::Config, option + ": item '" + id + "' (position " +
                                         std::to_string(position) + " of the list) is not in " +
                                         where);
    out.push_back(it->second);
    if (comma == std::string::npos) break;
    start = comma + 1;
    ++position;
  }
  return out;
}

}  // namespace reco::cli
