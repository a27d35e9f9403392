#include "core/training/model_file.h"

#include <sstream>

#include "core/common/binary_io.h"
#include "core/models/registry.h"

namespace reco {

namespace {
constexpr const char* kFileTag = "model-file";
constexpr std::uint32_t kVersion = 1;

void writeStrings(std::ostream& out, const std::vector<std::string>& values) {
  binary::write<std::uint64_t>(out, values.size());
  for (const auto& v : values) binary::writeString(out, v);
}

std::vector<std::string> readStrings(std::istream& in, const char* what) {
  const auto n = binary::read<std::uint64_t>(in, what);
  if (n > (1ull << 32))
    throw Error(ErrorKind::Model, std::string("model file is corrupt: ") + what);
  std::vector<std::string> values(n);
  for (auto& v : values) v = binary::readString(in, what);
  return values;
}
}  // namespace

std::string writeModelFile(const ModelFileHeader& header, const Recommender& model) {
  std::ostringstream out(std::ios::binary);
  binary::writeHeader(out, kFileTag, kVersion);
  binary::writeString(out, header.model);
  binary::write<std::uint64_t>(out, header.options.size());
  for (const auto& [key, value] : header.options) {
    binary::writeString(out, key);
    binary::writeString(out, value);
  }
  writeStrings(out, header.userIds);
  writeStrings(out, header.itemIds);
  model.save(out);
  return std::move(out).str();
}

LoadedModel readModelFile(const std::string& bytes, const Registry& registry,
                          const ComputeOptions& compute) {
  std::istringstream in(bytes, std::ios::binary);
  binary::checkHeader(in, kFileTag, kVersion);
  LoadedModel loaded;
  loaded.header.model = binary::readString(in, "the model name");
  const auto options = binary::read<std::uint64_t>(in, "the option count");
  if (options > 4096)
    throw Error(ErrorKind::Model, "model file is corrupt: " + std::to_string(options) + " options");
  for (std::uint64_t i = 0; i < options; ++i) {
    std::string key = binary::readString(in, "an option name");
    loaded.header.options[key] = binary::readString(in, "an option value");
  }
  loaded.header.userIds = readStrings(in, "the user ids");
  loaded.header.itemIds = readStrings(in, "the item ids");
  // A deep model's file names a model of the reco_torch module, which loads on first use.
  if (&registry == &defaultRegistry() && registry.find(loaded.header.model) == nullptr)
    findModel(loaded.header.model);
  loaded.model = registry.create(loaded.header.model, loaded.header.options, compute);
  loaded.model->load(in);
  return loaded;
}

}  // namespace reco
