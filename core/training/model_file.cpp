#include "core/training/model_file.h"

#include <sstream>

#include "core/common/binary_io.h"
#include "core/models/registry.h"
#include "core/rerank/reranked_model.h"

namespace reco {

namespace {

/// A read-only stream buffer over bytes the caller keeps alive: the model is read from them in
/// place, where an istringstream first copies the whole file (440 MB for a 1M-user SASRec).
class BytesBuffer : public std::streambuf {
 public:
  explicit BytesBuffer(const std::string& bytes) {
    // Never written through: there is no put area, and putback past the data fails.
    char* begin = const_cast<char*>(bytes.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    setg(begin, begin, begin + bytes.size());
  }

 protected:
  pos_type seekoff(off_type off, std::ios_base::seekdir dir,
                   std::ios_base::openmode which) override {
    if (!(which & std::ios_base::in)) return pos_type(off_type(-1));
    const off_type size = egptr() - eback();
    const off_type base = dir == std::ios_base::beg   ? 0
                          : dir == std::ios_base::cur ? gptr() - eback()
                                                      : size;
    const off_type to = base + off;
    if (to < 0 || to > size) return pos_type(off_type(-1));
    setg(eback(), eback() + to, egptr());
    return pos_type(to);
  }
  pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
    return seekoff(off_type(pos), std::ios_base::beg, which);
  }
};

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
  binary::requireBytes(in, n, sizeof(std::uint64_t), what);  // each one has a length field
  std::vector<std::string> values(n);
  for (auto& v : values) v = binary::readString(in, what);
  return values;
}
}  // namespace

namespace {

void writeTo(std::ostream& out, const ModelFileHeader& header, const Recommender& model) {
  binary::writeHeader(out, kFileTag, kVersion);
  binary::writeString(out, header.model);
  binary::write<std::uint64_t>(out, header.options.size());
  for (const auto& [key, value] : header.options) {
    binary::writeString(out, key);
    binary::writeString(out, value);
  }
  writeStrings(out, header.userIds);
  writeStrings(out, header.itemIds);
  // A re-ranked model: the base run's whole model file first (same ids, the base's own
  // name and options), written straight into this stream, then the re-ranker's state.
  if (const auto* reranked = dynamic_cast<const RerankedModel*>(&model)) {
    const ModelFileHeader base{std::string(reranked->base().modelName()), reranked->baseOptions(),
                               header.userIds, header.itemIds};
    writeTo(out, base, reranked->base());
  }
  model.save(out);
}

LoadedModel readFrom(std::istream& in, const Registry& registry, const ComputeOptions& compute) {
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
  if (loaded.header.model == "rerank") {
    // Not in the registry: the nested base file, read from the same stream (no second copy
    // of its bytes), wrapped.
    LoadedModel base = readFrom(in, registry, compute);
    auto reranked = std::make_unique<RerankedModel>(std::move(base.model));
    reranked->setBaseOptions(std::move(base.header.options));
    reranked->load(in);
    loaded.model = std::move(reranked);
    return loaded;
  }
  // A deep model's file names a model of the reco_torch module, which loads on first use.
  if (&registry == &defaultRegistry() && registry.find(loaded.header.model) == nullptr)
    findModel(loaded.header.model);
  loaded.model = registry.create(loaded.header.model, loaded.header.options, compute);
  loaded.model->load(in);
  return loaded;
}

}  // namespace

std::string writeModelFile(const ModelFileHeader& header, const Recommender& model) {
  std::ostringstream out(std::ios::binary);
  writeTo(out, header, model);
  return std::move(out).str();
}

LoadedModel readModelFile(const std::string& bytes, const Registry& registry,
                          const ComputeOptions& compute) {
  BytesBuffer buffer(bytes);
  std::istream in(&buffer);
  return readModelFile(in, registry, compute);
}

LoadedModel readModelFile(std::istream& in, const Registry& registry,
                          const ComputeOptions& compute) {
  LoadedModel loaded = readFrom(in, registry, compute);
  // The id maps are the dataset's users and items, which every model is trained over: a
  // model that claims more (a damaged count the model's own file holds nothing against,
  // like the random model's) must not size a score row by it.
  if (loaded.model->userCount() > loaded.header.userIds.size() ||
      loaded.model->itemCount() > loaded.header.itemIds.size())
    throw Error(ErrorKind::Model, "model file is corrupt: the '" + loaded.header.model +
                                      "' model has " + std::to_string(loaded.model->userCount()) +
                                      " users and " + std::to_string(loaded.model->itemCount()) +
                                      " items, its id maps " +
                                      std::to_string(loaded.header.userIds.size()) + " and " +
                                      std::to_string(loaded.header.itemIds.size()));
  return loaded;
}

}  // namespace reco
