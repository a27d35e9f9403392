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

// Version 2: splits and runs. A split stores only its validation and test pairs; the
// training part is every other pair of the dataset's pair set (the interactions grouped
// by user and item, filtered by the split's rating threshold), so a split of a 10M-pair
// dataset costs a fifth of that, not a copy. Per-user metric values and top-N lists are
// BLOBs of packed arrays: one row per metric or per user instead of users x metrics rows.
const char* const kVersion2 = R"sql(
CREATE TABLE splits (
  id            INTEGER PRIMARY KEY,
  dataset_id    INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  protocol      TEXT NOT NULL CHECK (protocol IN ('random','temporal','leave-last')),
  options       TEXT NOT NULL,
  test          REAL NOT NULL,
  valid         REAL NOT NULL,
  cutoff        INTEGER,
  rating_threshold REAL,
  weighting     TEXT NOT NULL,
  seed          INTEGER NOT NULL,
  dataset_hash  TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  n_train       INTEGER NOT NULL,
  n_valid       INTEGER NOT NULL,
  n_test        INTEGER NOT NULL,
  n_test_users  INTEGER NOT NULL,
  UNIQUE (dataset_id, name)
);

-- part: 1 validation, 2 test.
CREATE TABLE split_pairs (
  split_id INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
  user_idx INTEGER NOT NULL,
  item_idx INTEGER NOT NULL,
  part     INTEGER NOT NULL CHECK (part IN (1, 2)),
  PRIMARY KEY (split_id, user_idx, item_idx)
) WITHOUT ROWID;

CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,
  dataset_id      INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  split_id        INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
  model           TEXT NOT NULL,
  options         TEXT NOT NULL,
  seed            INTEGER NOT NULL,
  dataset_hash    TEXT NOT NULL,
  device          TEXT NOT NULL,
  threads         INTEGER NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('running','done','failed','cancelled')),
  error           TEXT NOT NULL DEFAULT '',
  started_at      INTEGER NOT NULL,
  finished_at     INTEGER,
  train_seconds   REAL,
  eval_seconds    REAL,
  peak_memory     INTEGER,
  eval_users      BLOB
);

CREATE TABLE run_epochs (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch      INTEGER NOT NULL,
  loss       REAL NOT NULL,
  validation REAL,
  validation_metric TEXT NOT NULL DEFAULT '',
  seconds    REAL NOT NULL,
  PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;

-- Aggregates; sampled = 1 for metrics ranked against sampled negatives.
CREATE TABLE run_metrics (
  run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  metric  TEXT NOT NULL,
  mean    REAL NOT NULL,
  ci_low  REAL,
  ci_high REAL,
  n       INTEGER NOT NULL,
  sampled INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, metric)
);  -- a rowid table: rowid keeps the evaluator's metric order

-- One row per per-user metric: float64 values aligned with runs.eval_users (int32).
CREATE TABLE run_user_values (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  metric TEXT NOT NULL,
  vals   BLOB NOT NULL,
  PRIMARY KEY (run_id, metric)
) WITHOUT ROWID;

-- The stored top-N list of each evaluated user: int32 items and float32 scores.
CREATE TABLE run_recommendations (
  run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  user_idx INTEGER NOT NULL,
  items    BLOB NOT NULL,
  scores   BLOB NOT NULL,
  PRIMARY KEY (run_id, user_idx)
) WITHOUT ROWID;

CREATE TABLE run_models (
  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  bytes  INTEGER NOT NULL,
  data   BLOB NOT NULL
);
)sql";

// Version 3: how a run was trained beyond its model options (the part it was fitted on,
// per-epoch validation and early stopping, tuning), and the frozen negatives of sampled
// evaluation: drawn once per split and count, then read by every run on the split.
const char* const kVersion3 = R"sql(
ALTER TABLE runs ADD COLUMN protocol TEXT NOT NULL DEFAULT '{}';

-- items: int32, for each of the user's test items in turn (by item index) the negatives it
-- is ranked among; each item has the same number of them (count, or fewer when the user
-- has fewer items left).
CREATE TABLE split_negatives (
  split_id INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
  count    INTEGER NOT NULL,
  user_idx INTEGER NOT NULL,
  items    BLOB NOT NULL,
  PRIMARY KEY (split_id, count, user_idx)
) WITHOUT ROWID;
)sql";

// Version 4: what-if scenarios (scenario_store.h), an edited history saved by name. history:
// the dataset item indices, oldest first, as JSON text ("[12,7,301]"), short and readable
// by hand. user_idx: the user it started from, NULL for a new visitor; no foreign key to
// users, so that a scenario survives as what it is (a list of items) and deleting a dataset
// still takes it along.
const char* const kVersion4 = R"sql(
CREATE TABLE scenarios (
  id         INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  name       TEXT NOT NULL CHECK (name <> ''),
  user_idx   INTEGER,
  history    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (dataset_id, name)
);
)sql";

// Version 5: the presenter's story (story_store.h), workspace-wide. position: 0..n-1 in story
// order, kept dense by the store (not UNIQUE: a move shifts several rows in one transaction).
// state: the view to restore, a JSON object written by the GUI.
const char* const kVersion5 = R"sql(
CREATE TABLE bookmarks (
  id         INTEGER PRIMARY KEY,
  position   INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('compare','user','item')),
  title      TEXT NOT NULL CHECK (title <> ''),
  state      TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);
CREATE INDEX bookmarks_by_position ON bookmarks(position);
)sql";

// Version 6: a model file larger than one SQLite value may be (SQLITE_MAX_LENGTH, 1 GB; an
// EASE model of 17k items is more) is stored in parts (run_store.cpp, kModelPartBytes each):
// run_models keeps its row, with bytes = the whole file's size and data empty, and the file is
// data followed by the parts in part order (0, 1, ...). Smaller models stay one run_models row,
// as before, so workspaces of earlier versions need no rewrite.
const char* const kVersion6 = R"sql(
CREATE TABLE run_model_parts (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  part   INTEGER NOT NULL CHECK (part >= 0),
  data   BLOB NOT NULL,
  PRIMARY KEY (run_id, part)
) WITHOUT ROWID;
)sql";

// Version 7: tuning studies (study_store.h). A study belongs to its split (deleting the split
// or the dataset deletes it). study_models: the models in the study's order, the position
// of the best trial (study_trials.trial; NULL when none completed) and the final run, which
// stays an ordinary run: deleting it leaves the study with run_id NULL. study_trials: in the
// order they finished; validation NULL for a failed trial (its error says why).
// study_trial_options: the options each trial's model was built with, one row per option,
// so that reading a study back needs no JSON parser.
const char* const kVersion7 = R"sql(
CREATE TABLE studies (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE CHECK (name <> ''),
  dataset_id     INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  split_id       INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
  search         TEXT NOT NULL CHECK (search IN ('grid','random','smbo')),
  budget_trials  INTEGER CHECK (budget_trials >= 1),
  budget_seconds REAL CHECK (budget_seconds > 0),
  metric         TEXT NOT NULL,
  seed           INTEGER NOT NULL,
  options        TEXT NOT NULL DEFAULT '{}',
  created_at     INTEGER NOT NULL,
  seconds        REAL NOT NULL,
  CHECK ((budget_trials IS NULL) <> (budget_seconds IS NULL))
);
CREATE INDEX studies_by_split ON studies(split_id);

CREATE TABLE study_models (
  study_id   INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL CHECK (position >= 0),
  model      TEXT NOT NULL,
  space      TEXT NOT NULL DEFAULT '[]',
  best_trial INTEGER,
  run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  PRIMARY KEY (study_id, position)
) WITHOUT ROWID;
CREATE INDEX study_models_by_run ON study_models(run_id);

CREATE TABLE study_trials (
  study_id    INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  trial       INTEGER NOT NULL CHECK (trial >= 0),
  position    INTEGER NOT NULL,
  idx         INTEGER NOT NULL CHECK (idx >= 0),
  validation  REAL,
  fit_seconds REAL NOT NULL,
  seconds     REAL NOT NULL,
  error       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (study_id, trial),
  FOREIGN KEY (study_id, position) REFERENCES study_models(study_id, position) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE study_trial_options (
  study_id INTEGER NOT NULL,
  trial    INTEGER NOT NULL,
  option   TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (study_id, trial, option),
  FOREIGN KEY (study_id, trial) REFERENCES study_trials(study_id, trial) ON DELETE CASCADE
) WITHOUT ROWID;
)sql";

// Version 8: each user's training pair count per split (split_train_counts.h), one blob of
// int32 by user index, written when a split is drawn. A split drawn before gets its row on
// first use, so a workspace of version 7 needs no rewrite.
const char* const kVersion8 = R"sql(
CREATE TABLE split_train_counts (
  split_id INTEGER PRIMARY KEY REFERENCES splits(id) ON DELETE CASCADE,
  counts   BLOB NOT NULL
);
)sql";

}  // namespace

const std::vector<const char*>& schemaMigrations() {
  static const std::vector<const char*> kMigrations{kVersion1, kVersion2, kVersion3, kVersion4,
                                                    kVersion5, kVersion6, kVersion7, kVersion8};
  return kMigrations;
}

}  // namespace reco::storage
