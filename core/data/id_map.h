#pragma once
/// External id (string) <-> dense index, in order of first appearance.
/// Memory: one string and one hash slot per distinct id.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace reco {

class IdMap {
 public:
  static constexpr std::int32_t kAbsent = -1;

  /// The index of id, adding it (as size()) when new.
  std::int32_t getOrAdd(std::string_view id) {
    if (auto it = index_.find(id); it != index_.end()) return it->second;
    const auto idx = static_cast<std::int32_t>(ids_.size());
    ids_.emplace_back(id);
    index_.emplace(ids_.back(), idx);
    return idx;
  }
  std::int32_t find(std::string_view id) const {
    const auto it = index_.find(id);
    return it == index_.end() ? kAbsent : it->second;
  }
  const std::string& externalId(std::int32_t idx) const { return ids_[std::size_t(idx)]; }
  std::size_t size() const { return ids_.size(); }
  void reserve(std::size_t n) {
    ids_.reserve(n);
    index_.reserve(n);
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::vector<std::string> ids_;
  std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> index_;
};

}  // namespace reco
