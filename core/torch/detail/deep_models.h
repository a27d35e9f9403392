#pragma once
/// Registration of each deep model, one function per model file (neumf.cpp, mlp.cpp,
/// sasrec.cpp, hybrid.cpp); registerTorchModels() calls them. Includes no torch header.

namespace reco {
class Registry;
}  // namespace reco

namespace reco::deep {

/// "neumf": Neural Collaborative Filtering (He et al. 2017), GMF + MLP branches.
void registerNeuMf(Registry& registry);
/// "mlp": a two-tower MLP over user features (id, activity) and item features (id,
/// category, price band), scored by the dot product of the towers plus an item bias.
void registerMlp(Registry& registry);
/// "sasrec": SASRec (Kang & McAuley 2018), causal self-attention over each user's ordered
/// history; recommends the next items.
void registerSasRec(Registry& registry);
/// "hybrid": w1 <user, item> id embeddings + w2 <item content, user behaviour>, the content
/// from category, price band and title tokens, so items without interactions get scores.
void registerHybrid(Registry& registry);

}  // namespace reco::deep
