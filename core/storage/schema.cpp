#include "core/storage/schema.h"

namespace reco::storage {

namespace {

// Version 1: datasets with their users, items, interactions and import reports.
// Indices (idx) are dense per dataset in order of first appearance; after k-core
// filtering some may be unused (their rows are deleted), so they are stable ids, not
// guaranteed to be contiguous. interactions has no foreign keys to users/items: the
// import pipeline guarantees them, and checking two parents per row would cost a
// quarter of the import time. Deleting a dataset cascades to everything below it.
const char* const kVersion1 = R"sql(
CREATE TABLE datasets (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  format         TEXT NOT NULL,
  source         TEXT NOT NULL,
  feedback       TEXT NOT NULL CHECK (feedback IN ('rating','quantity','event','binary')),
  options        TEXT NOT NULL DEFAULT '{}',
  content_hash   TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  n_users        INTEGER NOT NULL DEFAULT 0,
  n_items        INTEGER NOT NULL DEFAULT 0,
  n_interactions INTEGER NOT NULL DEFAULT 0,
  first_time     INTEGER,
  last_time      INTEGER
);

CREATE TABLE users (
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  external_id TEXT NOT NULL,
  n_interactions INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (dataset_id, idx)
) WITHOUT ROWID;
CREATE UNIQUE INDEX users_by_external_id ON users(dataset_id, external_id);

CREATE TABLE items (
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  external_id TEXT NOT NULL,
  title       TEXT NOT NULL DEFAULT '',
  category    TEXT NOT NULL DEFAULT '',
  price       REAL,
  n_interactions INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (dataset_id, idx)
) WITHOUT ROWID;
CREATE UNIQUE INDEX items_by_external_id ON items(dataset_id, external_id);

CREATE TABLE user_attributes (
  dataset_id INTEGER NOT NULL,
  user_idx   INTEGER NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (dataset_id, user_idx, key),
  FOREIGN KEY (dataset_id, user_idx) REFERENCES users(dataset_id, idx) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE item_attributes (
  dataset_id INTEGER NOT NULL,
  item_idx   INTEGER NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (dataset_id, item_idx, key),
  FOREIGN KEY (dataset_id, item_idx) REFERENCES items(dataset_id, idx) ON DELETE CASCADE
) WITHOUT ROWID;

-- Event types of a dataset: interactions.event refers to code (0 = untyped).
CREATE TABLE event_types (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  code       INTEGER NOT NULL,
  name       TEXT NOT NULL,
  weight     REAL NOT NULL,
  n_interactions INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (dataset_id, code)
) WITHOUT ROWID;

-- value: the rating, the quantity, or the event's weight (datasets.feedback says which).
-- time: Unix seconds, NULL when the source has none. seq: the row's position in the
-- import (file order), which makes the key unique. Clustered by user: one B-tree to
-- maintain during a bulk import (a rowid table plus an index cost twice as much), and a
-- user's history is one range scan.
CREATE TABLE interactions (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  user_idx   INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  item_idx   INTEGER NOT NULL,
  time       INTEGER,
  event      INTEGER NOT NULL DEFAULT 0,
  value      REAL NOT NULL,
  PRIMARY KEY (dataset_id, user_idx, seq)
) WITHOUT ROWID;

CREATE TABLE import_reports (
  dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
  rows_read  INTEGER NOT NULL,
  rows_kept  INTEGER NOT NULL,
  seconds    REAL NOT NULL,
  notes      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE import_rejections (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  reason     TEXT NOT NULL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, reason)
) WITHOUT ROWID;

CREATE TABLE import_examples (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  reason     TEXT NOT NULL,
  file       TEXT NOT NULL,
  line       INTEGER NOT NULL,
  text       TEXT NOT NULL
);
CREATE INDEX import_examples_by_dataset ON import_examples(dataset_id);

-- Cached statistics (quantiles, category and event mix), keyed by name.
CREATE TABLE dataset_stats (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  value      REAL NOT NULL,
  PRIMARY KEY (dataset_id, key)
) WITHOUT ROWID;
)sql";

}  // namespace

const std::vector<const char*>& schemaMigrations() {
  static const std::vector<const char*> migrations{kVersion1};
  return migrations;
}

}  // namespace reco::storage
