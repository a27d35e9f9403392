#pragma once
/// A run's model file: a header naming the model, its options and the dataset's id maps
/// (so the file alone says which user and item each index is), then the model's own save()
/// bytes. Stored in the workspace with the run; `reco export` can write it out.
///
/// A re-ranked run's model (model "rerank", rerank/reranked_model.h) is not in the registry:
/// its file is its header, then the base run's whole model file (header with the same ids,
/// then the base's state), then the re-ranker's state. readModelFile reads the nested file
/// from the same stream and wraps it, so no second copy of the base's bytes is kept.

#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "core/models/model_options.h"
#include "core/models/recommender.h"

namespace reco {

class Registry;

struct ModelFileHeader {
  std::string model;                 ///< registry name
  OptionValues options;              ///< effective values
  std::vector<std::string> userIds;  ///< external id by user index ("" for unused indices)
  std::vector<std::string> itemIds;
};

std::string writeModelFile(const ModelFileHeader& header, const Recommender& model);

struct LoadedModel {
  ModelFileHeader header;
  std::unique_ptr<Recommender> model;
};
/// Rebuilds the model through the registry and loads its state. Throws Model for bytes
/// that are not a model file, naming what was expected; Config when the registry does not
/// know the model (a deep model without the torch module).
LoadedModel readModelFile(const std::string& bytes, const Registry& registry,
                          const ComputeOptions& compute = {});
/// The same from a stream (a stored run's model, storage/stored_model.h), read to the
/// model's end. binary::bytesLeft must work on it (it seeks to the end and back).
LoadedModel readModelFile(std::istream& in, const Registry& registry,
                          const ComputeOptions& compute = {});

}  // namespace reco
