// The synthetic shop's catalogue: a fixed category tree with brands, product nouns and
// price levels, from which items are drawn. The portable random helpers live here too.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "core/data/synthetic.h"
#include "core/data/synthetic_detail.h"

namespace reco::data::detail {

// ---- portable math ----

namespace {

// 1/n! for the Taylor series of e^r, and 1/(2n+1) for that of atanh; constant expressions
// are evaluated with IEEE rounding, so the tables are the same everywhere.
constexpr std::array<double, 14> kExpCoefficients = [] {
  std::array<double, 14> c{};
  double factorial = 1;
  for (int n = 0; n < 14; ++n) {
    if (n > 0) factorial *= n;
    c[std::size_t(n)] = 1.0 / factorial;
  }
  return c;
}();
constexpr std::array<double, 12> kAtanhCoefficients = [] {
  std::array<double, 12> c{};
  for (int n = 0; n < 12; ++n) c[std::size_t(n)] = 1.0 / double(2 * n + 1);
  return c;
}();

}  // namespace

double portableExp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.78) return HUGE_VAL;
  if (x < -745.2) return 0.0;
  // x = k ln2 + r with |r| <= ln2 / 2; k * kLn2Hi is exact (kLn2Hi has 32 low zero bits).
  const double k = std::round(x * kInvLn2);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  // Taylor series to r^13: the remainder is below 1e-17 for |r| <= 0.347.
  double sum = kExpCoefficients[13];
  for (std::size_t n = 13; n-- > 0;) sum = sum * r + kExpCoefficients[n];
  const int exponent = int(k);
  if (exponent >= -1022 && exponent <= 1023)
    return sum * std::bit_cast<double>(std::uint64_t(exponent + 1023) << 52);  // exact
  return std::ldexp(sum, exponent);
}

double portableLog(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -HUGE_VAL;
  if (std::isinf(x)) return x;
  // x = m 2^e with m in [0.5, 1), read from the bits for normal numbers.
  int e = 0;
  double m = 0;
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const auto biased = int((bits >> 52) & 0x7FF);
  if (biased != 0) {
    e = biased - 1022;
    m = std::bit_cast<double>((bits & 0x000FFFFFFFFFFFFFull) | (std::uint64_t(1022) << 52));
  } else {
    m = std::frexp(x, &e);
  }
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    --e;
  }
  // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: series to s^23.
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  double poly = kAtanhCoefficients[11];
  for (std::size_t n = 11; n-- > 1;) poly = poly * z + kAtanhCoefficients[n];
  const double logM = 2.0 * s + 2.0 * s * z * poly;
  return double(e) * kLn2Hi + (double(e) * kLn2Lo + logM);
}

double Random::normal() {
  if (hasSpare_) {
    hasSpare_ = false;
    return spare_;
  }
  for (;;) {
    const double u = 2.0 * uniform() - 1.0;
    const double v = 2.0 * uniform() - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) {
      const double factor = std::sqrt(-2.0 * portableLog(s) / s);
      spare_ = v * factor;
      hasSpare_ = true;
      return u * factor;
    }
  }
}

double Random::gamma(double shape) {
  if (shape < 1.0) {
    // Gamma(a) = Gamma(a + 1) * U^(1/a).
    const double boost = portableExp(portableLog(uniformPositive()) / shape);
    return gamma(shape + 1.0) * boost;
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = 0, v = 0;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniformPositive();
    if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return d * v;
    if (portableLog(u) < 0.5 * x * x + d * (1.0 - v + portableLog(v))) return d * v;
  }
}

AliasTable::AliasTable(const std::vector<double>& weights) : entries_(weights.size(), Entry{0, 0}) {
  const std::size_t n = weights.size();
  double sum = 0;
  for (double w : weights) sum += w;
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * double(n) / sum;
    (scaled[i] < 1.0 ? small : large).push_back(std::uint32_t(i));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back();
    small.pop_back();
    const std::uint32_t l = large.back();
    entries_[s] = Entry{std::uint32_t(scaled[s] * 4294967296.0), l};  // scaled[s] < 1
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left is 1 up to rounding: always kept.
  for (std::uint32_t i : large) entries_[i] = Entry{0xFFFFFFFFu, i};
  for (std::uint32_t i : small) entries_[i] = Entry{0xFFFFFFFFu, i};
}

std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const std::int64_t era = floorDiv(year, 400);
  const auto yoe = unsigned(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + std::int64_t(doe) - 719468;
}

CivilDate civilFromDays(std::int64_t days) {
  days += 719468;
  const std::int64_t era = floorDiv(days, 146097);
  const auto doe = unsigned(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {std::int64_t(yoe) + era * 400 + (month <= 2), month, day};
}

// ---- the category tree ----

namespace {

struct LeafSpec {
  std::string_view name;
  double medianPrice = 0;    // in the shop's currency
  double sessionWeight = 0;  // relative, within the top category
  std::array<std::string_view, 4> nouns{};
  std::array<std::string_view, 5> variants{};  // sizes, colours, editions
};

struct TopSpec {
  std::string_view name;
  double share = 0;       // of sessions and of the catalogue
  double priceSigma = 0;  // of log price around a leaf's median
  std::array<std::string_view, 8> brands{};
  std::array<LeafSpec, 6> leaves{};
};

// Invented brands: any likeness to real ones is accidental.
constexpr std::array<TopSpec, 8> kTree{{
    {"Electronics",
     0.19,
     0.45,
     {"Aurora", "Voltix", "Nimbus", "Kestrel", "Orbit", "Lumen", "Quanta", "Helix"},
     {{{"Headphones",
        65,
        1.6,
        {"Wireless Headphones", "Noise-Cancelling Headphones", "True Wireless Earbuds",
         "Over-Ear Headphones"},
        {"X2", "Pro", "Lite", "Max", "Sport"}},
       {"Smartphones",
        420,
        1.1,
        {"Smartphone", "5G Smartphone", "Rugged Phone"},
        {"128 GB", "256 GB", "Pro", "Mini", "Plus"}},
       {"Laptops",
        850,
        0.7,
        {"Laptop", "Ultrabook", "Gaming Laptop", "2-in-1 Laptop"},
        {"14-inch", "16-inch", "Pro", "Air", "16 GB RAM"}},
       {"Cameras",
        480,
        0.4,
        {"Mirrorless Camera", "Action Camera", "Instant Camera"},
        {"Kit", "Body Only", "X2", "4K", "Mini"}},
       {"Smart Home",
        45,
        0.9,
        {"Smart Plug", "Smart Speaker", "Video Doorbell", "Smart Bulb"},
        {"2nd Gen", "Mini", "Plus", "2-Pack", "4-Pack"}},
       {"Chargers & Cables",
        16,
        1.3,
        {"USB-C Cable", "Fast Charger", "Power Bank", "Wireless Charging Pad"},
        {"1 m", "2 m", "65 W", "20000 mAh", "2-Pack"}}}}},
    {"Home & Kitchen",
     0.16,
     0.5,
     {"Hearth & Co", "Maplewood", "Casa Verde", "Ironleaf", "Nordhaus", "Willow Lane", "Brightnest",
      "Copperline"},
     {{{"Cookware",
        45,
        1.2,
        {"Non-Stick Frying Pan", "Stainless Saucepan", "Cast Iron Dutch Oven", "Wok"},
        {"24 cm", "28 cm", "5 qt", "Set of 2", "Induction"}},
       {"Small Appliances",
        75,
        1.2,
        {"Blender", "Toaster", "Electric Kettle", "Coffee Maker"},
        {"1.7 L", "2-Slice", "4-Slice", "Stainless", "Matte Black"}},
       {"Bedding",
        55,
        0.9,
        {"Duvet Cover", "Pillow Set", "Cotton Sheet Set", "Weighted Blanket"},
        {"Queen", "King", "Double", "Sage", "White"}},
       {"Furniture",
        190,
        0.6,
        {"Bookshelf", "Desk Chair", "Side Table", "Floor Lamp"},
        {"Oak", "Walnut", "White", "Charcoal", "Compact"}},
       {"Storage",
        22,
        0.8,
        {"Storage Bins", "Drawer Organizer", "Shoe Rack"},
        {"Set of 3", "Set of 6", "Large", "Stackable", "Grey"}}}}},
    {"Fashion",
     0.17,
     0.45,
     {"Linea", "Northbound", "Vela", "Marlow", "Ashby", "Solene", "Thread & Pine", "Corvo"},
     {{{"Women's Clothing",
        38,
        1.3,
        {"Wrap Dress", "Linen Blouse", "Knit Cardigan", "Denim Jacket"},
        {"Black", "Navy", "Olive", "Ivory", "Burgundy"}},
       {"Men's Clothing",
        36,
        1.1,
        {"Oxford Shirt", "Chinos", "Hoodie", "Wool Sweater"},
        {"Slim Fit", "Relaxed Fit", "Navy", "Grey", "Olive"}},
       {"Shoes",
        75,
        1.1,
        {"Running Sneakers", "Chelsea Boots", "Leather Loafers", "Canvas Sneakers"},
        {"Black", "White", "Tan", "Wide Fit", "Suede"}},
       {"Bags",
        55,
        0.7,
        {"Backpack", "Tote Bag", "Crossbody Bag", "Weekender Bag"},
        {"Black", "Cognac", "Canvas", "20 L", "Mini"}},
       {"Watches",
        130,
        0.4,
        {"Chronograph Watch", "Minimalist Watch", "Dive Watch"},
        {"40 mm", "42 mm", "Steel", "Leather Strap", "Gold Tone"}}}}},
    {"Beauty",
     0.11,
     0.4,
     {"Lumiere", "Petal & Moss", "Dermaline", "Aveline", "Glowhaus", "Seabright", "Orchidia",
      "Purely"},
     {{{"Skincare",
        24,
        1.4,
        {"Hydrating Moisturizer", "Vitamin C Serum", "Gentle Cleanser", "Sunscreen SPF 50"},
        {"50 ml", "30 ml", "Fragrance Free", "Sensitive Skin", "Travel Size"}},
       {"Makeup",
        16,
        1.1,
        {"Matte Lipstick", "Volumizing Mascara", "Liquid Foundation", "Eyeshadow Palette"},
        {"Rosewood", "Nude", "Black", "Warm Beige", "Long-Wear"}},
       {"Hair Care",
        13,
        0.9,
        {"Repair Shampoo", "Conditioner", "Argan Hair Oil", "Styling Cream"},
        {"250 ml", "500 ml", "Curly Hair", "Sulfate Free", "Travel Size"}},
       {"Fragrance",
        58,
        0.5,
        {"Eau de Parfum", "Eau de Toilette", "Body Mist"},
        {"50 ml", "100 ml", "30 ml", "Gift Set", "Intense"}}}}},
    {"Sports & Outdoors",
     0.1,
     0.55,
     {"Summit", "Trailhead", "Apex", "Stride", "Ridgeback", "Tidewater", "Pacer", "Boulder"},
     {{{"Fitness",
        32,
        1.3,
        {"Yoga Mat", "Adjustable Dumbbells", "Resistance Bands", "Kettlebell"},
        {"6 mm", "12 kg", "Set of 5", "Pro", "Non-Slip"}},
       {"Cycling",
        60,
        0.7,
        {"Bike Helmet", "Bike Light Set", "Cycling Jersey", "Bike Lock"},
        {"Medium", "Large", "Hi-Vis", "Black", "Pro"}},
       {"Camping",
        90,
        0.8,
        {"Dome Tent", "Sleeping Bag", "Camping Stove", "Headlamp"},
        {"2-Person", "4-Person", "Ultralight", "3-Season", "400 Lumen"}},
       {"Running",
        42,
        1.0,
        {"Running Shorts", "Running Vest", "Hydration Belt", "Running Socks"},
        {"Medium", "Large", "Reflective", "3-Pack", "Lightweight"}},
       {"Water Sports",
        70,
        0.4,
        {"Swim Goggles", "Snorkel Set", "Dry Bag", "Inflatable Paddle Board"},
        {"Anti-Fog", "Junior", "20 L", "10 ft", "Pro"}}}}},
    {"Toys & Games",
     0.08,
     0.5,
     {"Brickly", "Funhouse", "Little Owl", "Puzzlecraft", "Starlight", "Tinkerbox", "Hoppity",
      "Meeple Works"},
     {{{"Board Games",
        32,
        1.2,
        {"Strategy Board Game", "Party Game", "Cooperative Board Game", "Card Game"},
        {"Deluxe Edition", "Travel Edition", "Family Edition", "Expansion", "Classic"}},
       {"Building Sets",
        45,
        1.0,
        {"Castle Building Set", "Marble Run", "Space Station Kit"},
        {"500 Pieces", "1200 Pieces", "Starter Set", "Deluxe", "Junior"}},
       {"Puzzles",
        18,
        0.7,
        {"Jigsaw Puzzle", "3D Puzzle", "Brain Teaser Set"},
        {"500 Pieces", "1000 Pieces", "Panorama", "Kids", "Wooden"}},
       {"Dolls & Figures",
        22,
        0.8,
        {"Action Figure", "Fashion Doll", "Plush Toy", "Dollhouse"},
        {"Collector Edition", "Set of 3", "Large", "Classic", "Mini"}},
       {"Outdoor Play",
        38,
        0.5,
        {"Water Blaster", "Kite", "Kick Scooter", "Sandbox Set"},
        {"Junior", "Pro", "Foldable", "Rainbow", "Large"}}}}},
    {"Books",
     0.07,
     0.35,
     {"Harbor Press", "Lantern Books", "Quill & Ink", "Bluebird", "Northlight", "Paper Crane",
      "Saffron House", "Atlas House"},
     {{{"Fiction",
        14,
        1.4,
        {"Mystery Novel", "Literary Novel", "Fantasy Saga", "Thriller"},
        {"Hardcover", "Paperback", "Box Set", "Large Print", "Pocket Edition"}},
       {"Cookbooks",
        26,
        0.7,
        {"Baking Cookbook", "Vegetarian Cookbook", "Weeknight Dinners Cookbook"},
        {"Hardcover", "Paperback", "2nd Edition", "Spiral-Bound", "Illustrated"}},
       {"Children's Books",
        9,
        0.9,
        {"Picture Book", "Bedtime Stories", "Early Reader"},
        {"Board Book", "Paperback", "Hardcover", "Box Set", "Illustrated"}},
       {"Science & Nature",
        21,
        0.5,
        {"Field Guide to Birds", "Illustrated Atlas", "Popular Science"},
        {"Hardcover", "Paperback", "2nd Edition", "Pocket Edition", "Illustrated"}},
       {"Business",
        23,
        0.5,
        {"Leadership Handbook", "Startup Guide", "Personal Finance Guide"},
        {"Hardcover", "Paperback", "2nd Edition", "Workbook", "Audio CD"}}}}},
    {"Grocery",
     0.12,
     0.4,
     {"Golden Field", "Farmhouse", "Mountain Roast", "Green Basket", "Sunny Acres", "Blue Mill",
      "Harvest Moon", "Pantry Co"},
     {{{"Coffee & Tea",
        12,
        1.3,
        {"Ground Coffee", "Espresso Beans", "Green Tea", "Chai Tea"},
        {"250 g", "500 g", "1 kg", "Decaf", "Organic"}},
       {"Snacks",
        4.5,
        1.2,
        {"Trail Mix", "Granola Bars", "Sea Salt Crackers", "Dark Chocolate"},
        {"200 g", "Pack of 6", "Organic", "Family Size", "Gluten Free"}},
       {"Pantry",
        6,
        1.0,
        {"Extra Virgin Olive Oil", "Durum Pasta", "Basmati Rice", "Tomato Sauce"},
        {"500 ml", "500 g", "1 kg", "Organic", "Family Size"}},
       {"Beverages",
        5,
        0.8,
        {"Sparkling Water", "Orange Juice", "Cold Brew", "Kombucha"},
        {"1 L", "Pack of 6", "Pack of 12", "No Sugar Added", "Ginger"}},
       {"Breakfast",
        6,
        0.7,
        {"Crunchy Granola", "Rolled Oats", "Wildflower Honey", "Fruit Jam"},
        {"500 g", "1 kg", "Organic", "Low Sugar", "Family Size"}}}}},
}};

template <std::size_t N>
std::size_t usedCount(const std::array<std::string_view, N>& values) {
  std::size_t n = 0;
  while (n < N && !values[n].empty()) ++n;
  return n;
}

// A shop price: x.49 / x.99 below 10, whole x.99 below 200, then tens minus a cent.
std::int64_t shopPrice(double raw) {
  if (raw < 10) return std::max<std::int64_t>(49, std::int64_t(std::llround(raw * 2.0)) * 50 - 1);
  if (raw < 200) return std::int64_t(std::llround(raw)) * 100 - 1;
  return std::int64_t(std::llround(raw / 10.0)) * 1000 - 1;
}

void appendItemId(std::string& pool, std::size_t index, int width) {
  const std::string digits = std::to_string(index + 1);
  pool.push_back('P');
  if (int(digits.size()) < width) pool.append(std::size_t(width) - digits.size(), '0');
  pool.append(digits);
}

}  // namespace

Catalog buildCatalog(std::int64_t itemCount, double popularityExponent, Random& random) {
  Catalog catalog;
  const auto n = std::size_t(itemCount);

  // Leaves, with the catalogue weight of each (its top's share times its own weight).
  std::vector<double> leafCatalogWeight;
  std::vector<const LeafSpec*> leafSpec;
  for (std::uint32_t t = 0; t < kTree.size(); ++t) {
    CatalogTop top;
    top.name = std::string(kTree[t].name);
    catalog.tops.push_back(std::move(top));
    double sum = 0;
    for (const LeafSpec& leaf : kTree[t].leaves)
      if (!leaf.name.empty()) sum += leaf.sessionWeight;
    for (const LeafSpec& leaf : kTree[t].leaves) {
      if (leaf.name.empty()) continue;
      CatalogLeaf out;
      out.top = t;
      out.path = std::string(kTree[t].name) + " > " + std::string(leaf.name);
      catalog.leaves.push_back(std::move(out));
      leafSpec.push_back(&leaf);
      leafCatalogWeight.push_back(kTree[t].share * leaf.sessionWeight / sum);
    }
  }
  const std::size_t leafCount = catalog.leaves.size();

  // Every leaf gets an item when there are enough; the rest follow the weights; the
  // assignment is then shuffled so that item ids do not reveal the tree.
  std::vector<std::uint32_t> leafOf(n);
  const AliasTable leafTable(leafCatalogWeight);
  for (std::size_t i = 0; i < n; ++i)
    leafOf[i] = n >= leafCount && i < leafCount ? std::uint32_t(i) : leafTable.sample(random);
  for (std::size_t i = n; i > 1; --i) std::swap(leafOf[i - 1], leafOf[random.below(i)]);

  // Popularity: a random rank per item, weight 1 / (rank + 1)^exponent.
  std::vector<std::uint32_t> rank(n);
  for (std::size_t i = 0; i < n; ++i) rank[i] = std::uint32_t(i);
  for (std::size_t i = n; i > 1; --i) std::swap(rank[i - 1], rank[random.below(i)]);
  std::vector<double> weight(n);
  for (std::size_t i = 0; i < n; ++i)
    weight[i] = portableExp(-popularityExponent * portableLog(double(rank[i]) + 1.0));

  // A price level per brand, so that brands read as budget or premium.
  std::array<std::array<double, 8>, kTree.size()> brandFactor{};
  for (auto& top : brandFactor)
    for (double& factor : top) factor = random.logNormal(1.0, 0.25);

  int width = 4;
  for (std::size_t m = n; m >= 10000; m /= 10) ++width;
  std::unordered_set<std::string> titles;
  titles.reserve(n);
  catalog.items.resize(n);
  catalog.idWidth = std::size_t(width) + 1;
  catalog.idPool.reserve(n * catalog.idWidth);
  for (std::size_t i = 0; i < n; ++i) {
    CatalogItem& item = catalog.items[i];
    appendItemId(catalog.idPool, i, width);
    item.leaf = leafOf[i];
    const std::uint32_t t = catalog.leaves[item.leaf].top;
    const TopSpec& top = kTree[t];
    const LeafSpec& leaf = *leafSpec[item.leaf];
    std::size_t brand = 0;
    // A few tries for a title not yet used; a large catalogue may still repeat one.
    for (int attempt = 0; attempt < 6; ++attempt) {
      brand = random.below(usedCount(top.brands));
      item.title.assign(top.brands[brand]);
      item.title.push_back(' ');
      item.title.append(leaf.nouns[random.below(usedCount(leaf.nouns))]);
      if (random.chance(0.8)) {
        item.title.push_back(' ');
        item.title.append(leaf.variants[random.below(usedCount(leaf.variants))]);
      }
      if (titles.insert(item.title).second) break;
    }
    item.brand = top.brands[brand];
    item.cents =
        shopPrice(random.logNormal(leaf.medianPrice * brandFactor[t][brand], top.priceSigma));
    catalog.leaves[item.leaf].items.push_back(std::uint32_t(i));
    catalog.tops[t].items.push_back(std::uint32_t(i));
  }

  // Sampling tables. A leaf or top without items gets no sessions.
  auto tableOver = [&](const std::vector<std::uint32_t>& members) {
    std::vector<double> w(members.size());
    for (std::size_t k = 0; k < members.size(); ++k) w[k] = weight[members[k]];
    return AliasTable(w);
  };
  for (std::size_t l = 0; l < leafCount; ++l) {
    CatalogLeaf& leaf = catalog.leaves[l];
    if (leaf.items.empty()) continue;
    leaf.byPopularity = tableOver(leaf.items);
    leaf.sessionWeight = leafSpec[l]->sessionWeight;
    catalog.tops[leaf.top].leaves.push_back(std::uint32_t(l));
  }
  for (std::uint32_t t = 0; t < catalog.tops.size(); ++t) {
    CatalogTop& top = catalog.tops[t];
    if (top.items.empty()) continue;
    top.share = kTree[t].share;
    top.byPopularity = tableOver(top.items);
    std::vector<double> w;
    for (std::uint32_t l : top.leaves) w.push_back(catalog.leaves[l].sessionWeight);
    top.leafBySessions = AliasTable(w);
  }
  catalog.byPopularity = AliasTable(weight);
  return catalog;
}

}  // namespace reco::data::detail
