#pragma once
/// The classic models' registration, one function per family (each in its own file, next
/// to its models). registerBuiltinModels (registry.h) calls them in this order.

namespace reco {

class Registry;

void registerBaselineModels(Registry& registry);       ///< random, pop
void registerNeighbourhoodModels(Registry& registry);  ///< itemknn, userknn
void registerFactorModels(Registry& registry);         ///< puresvd, biasedmf, als, bpr
void registerLinearModels(Registry& registry);         ///< ease
void registerContentModels(Registry& registry);        ///< content

}  // namespace reco
