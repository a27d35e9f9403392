#include "core/report/document.h"

namespace reco::report {

const Section* Document::section(const std::string& id) const {
  for (const auto& section : sections) {
    if (section.id == id) return &section;
  }
  return nullptr;
}

std::vector<const Table*> Document::tables() const {
  std::vector<const Table*> found;
  for (const auto& section : sections) {
    for (const auto& block : section.blocks) {
      if (const auto* table = std::get_if<Table>(&block)) found.push_back(table);
    }
  }
  return found;
}

}  // namespace reco::report
