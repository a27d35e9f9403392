// UCI Online Retail (and Online Retail II): one row per invoice line. The hot loop of the
// largest real file we import (541,909 rows), so it allocates nothing per row.

#include <cstring>

#include "core/common/error.h"
#include "core/io/readers.h"

namespace reco::io::detail {

namespace {

constexpr const char* kExpected =
    "the Online Retail header InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,"
    "CustomerID,Country and invoice lines";

/// "17850" or "17850.0" -> "17850"; empty when the id is anything else.
std::string_view customerId(std::string_view text) {
  std::size_t n = text.size();
  if (n > 2 && text[n - 2] == '.' && text[n - 1] == '0') n -= 2;
  if (n == 0) return {};
  for (std::size_t i = 0; i < n; ++i) {
    if (text[i] < '0' || text[i] > '9') return {};
  }
  return text.substr(0, n);
}

/// Upper-cases code into storage when it has a lower-case letter (85123a is 85123A).
std::string_view upperCode(std::string_view code, std::string& storage) {
  bool lower = false;
  for (char c : code) lower |= (c >= 'a' && c <= 'z');
  if (!lower) return code;
  storage.assign(code);
  for (char& c : storage) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return storage;
}

/// ^[0-9]{5}[A-Z]*$: a product, unlike POST, D, M, DOT, C2, BANK CHARGES, gift_0001_40.
bool isProductCode(std::string_view code) {
  if (code.size() < 5) return false;
  for (std::size_t i = 0; i < 5; ++i) {
    if (code[i] < '0' || code[i] > '9') return false;
  }
  for (std::size_t i = 5; i < code.size(); ++i) {
    if (code[i] < 'A' || code[i] > 'Z') return false;
  }
  return true;
}

struct RetailColumns {
  int invoice = -1, code = -1, description = -1, quantity = -1, date = -1, price = -1,
      customer = -1, country = -1;
};

RetailColumns findRetailColumns(const std::string& path, const std::vector<std::string>& header) {
  RetailColumns c;
  struct Want {
    int* index;
    const char* name;
    std::string_view aliases[2];
  };
  const Want wants[] = {
      {&c.invoice, "InvoiceNo", {"InvoiceNo", "Invoice"}},
      {&c.code, "StockCode", {"StockCode", "StockCode"}},
      {&c.description, "Description", {"Description", "Description"}},
      {&c.quantity, "Quantity", {"Quantity", "Quantity"}},
      {&c.date, "InvoiceDate", {"InvoiceDate", "InvoiceDate"}},
      {&c.price, "UnitPrice", {"UnitPrice", "Price"}},
      {&c.customer, "CustomerID", {"CustomerID", "Customer ID"}},
      {&c.country, "Country", {"Country", "Country"}},
  };
  for (const Want& want : wants) {
    *want.index = findColumn(header, Names(want.aliases));
    if (*want.index < 0) {
      throw Error(ErrorKind::Data, describeLocation(path, 1) + ": column '" + want.name +
                                       "' is not in the header (expected " + kExpected +
                                       "); the columns are: " + listColumns(header));
    }
  }
  return c;
}

}  // namespace

Outcome readOnlineRetail(const std::string& path, ReadContext& ctx) {
  TextReader reader(path, kExpected);
  ctx.beginFile(reader);
  RecordSink& sink = ctx.sink;
  std::string_view record;
  while (reader.nextRecord(record, ',') && trim(record).empty()) {
  }
  const std::vector<std::string> header = splitToStrings(record, ',');
  const RetailColumns col = findRetailColumns(path, header);
  FieldCountGuard guard(path, header.size(), describeDelimiter(','));
  FieldSplitter f;
  std::string codeStorage;
  UserRecord user;
  user.attributes.emplace_back("country", std::string());
  std::string lastUser, lastCountry;
  ItemRecord item;
  InteractionRecord r;
  r.event = "purchase";

  while (reader.nextRecord(record, ',')) {
    if (!ctx.tick(reader)) return Outcome::Stopped;
    if (record.empty()) continue;
    const std::size_t line = reader.line();
    if (!guard.check(f.split(record, ','), line)) {
      sink.reject("wrong number of fields", line, record);
      continue;
    }
    std::string_view customerText = trim(f[col.customer]);
    if (customerText.empty()) {
      sink.reject("no customer id", line, record);
      continue;
    }
    std::string_view customer = customerId(customerText);
    if (customer.empty()) {
      sink.reject("bad customer id", line, record);
      continue;
    }
    if (trim(f[col.invoice]).substr(0, 1) == "C") {
      sink.reject("cancelled invoice", line, record);
      continue;
    }
    std::int64_t quantity = 0;
    NumberStatus qs = parseInteger(f[col.quantity], quantity);
    if (qs != NumberStatus::Ok) {
      sink.reject(qs == NumberStatus::OutOfRange ? "quantity out of range" : "bad quantity", line,
                  record);
      continue;
    }
    if (quantity <= 0) {
      sink.reject("non-positive quantity", line, record);
      continue;
    }
    std::string_view code = upperCode(trim(f[col.code]), codeStorage);
    if (!isProductCode(code)) {
      sink.reject("non-product stock code", line, record);
      continue;
    }
    auto time = parseDateTime(trim(f[col.date]));
    if (!time) {
      sink.reject("bad date", line, record);
      continue;
    }
    double price = 0;
    NumberStatus ps = parseReal(f[col.price], price);
    if (ps != NumberStatus::Ok || price <= 0) {
      sink.reject(
          ps == NumberStatus::OutOfRange ? "unit price out of range" : "non-positive unit price",
          line, record);
      continue;
    }

    // The country of a customer, sent again only when it changes (rows come per invoice).
    std::string_view country = trim(f[col.country]);
    if (!country.empty() && (customer != lastUser || country != lastCountry)) {
      lastUser.assign(customer);
      lastCountry.assign(country);
      user.id = lastUser;
      user.attributes[0].second.assign(country);
      sink.user(user);
    }
    item.id = code;
    item.title = trim(f[col.description]);
    item.price = price;
    sink.item(item);

    r.user = customer;
    r.item = code;
    r.time = *time;
    r.value = static_cast<double>(quantity);
    r.line = line;
    sink.interaction(r);
  }
  guard.finish();
  ctx.endFile(reader);
  return Outcome::Completed;
}

}  // namespace reco::io::detail
