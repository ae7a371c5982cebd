-- A published version withdrawn by an administrator (a wrong points value found after publishing):
-- no cycle may be created on it or moved onto it again. The version itself is kept, readable and
-- diffable, so its withdrawal is a row of its own beside it rather than a change to scheme_versions
-- (append-only); a version is withdrawn once and for good, so this table is append-only too.
-- Every version published before this migration stays usable: none has a row here.
CREATE TABLE scheme_version_withdrawals (
  scheme_id        text        NOT NULL,
  version          integer     NOT NULL,
  withdrawn_at     timestamptz NOT NULL DEFAULT now(),
  withdrawn_by     text        NOT NULL,
  withdrawn_reason text        NOT NULL CHECK (withdrawn_reason <> ''),
  PRIMARY KEY (scheme_id, version),
  FOREIGN KEY (scheme_id, version) REFERENCES scheme_versions (scheme_id, version)
);

CREATE TRIGGER scheme_version_withdrawals_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON scheme_version_withdrawals
  FOR EACH STATEMENT EXECUTE FUNCTION pingyi_append_only();
