-- Up Migration

-- What the archive (services/processing, `archive`) has written to object storage. One row per
-- dataset and UTC hour that has a partition: the fingerprint of the rows it was built from (their count and the sum of a hash of
-- their text, computed in SQL, so that a run can tell a changed hour without reading it), and the
-- sha256 of the manifest it wrote. The manifest in the store is what readers trust; this table is how
-- the job knows, cheaply, which hours it must rebuild.
CREATE TABLE archive_partitions (
  dataset          text        NOT NULL,
  hour_start       timestamptz NOT NULL,
  row_count        int         NOT NULL CHECK (row_count >= 0),
  fingerprint      text        NOT NULL,
  manifest_sha256  text        NOT NULL,
  archived_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dataset, hour_start)
);

-- The watermark: every hour of a dataset before `archived_through` has been archived (an hour with no
-- rows has no partition). It only advances after every partition before it is written.
CREATE TABLE archive_watermarks (
  dataset           text        PRIMARY KEY,
  archived_through  timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE archive_watermarks;
DROP TABLE archive_partitions;
