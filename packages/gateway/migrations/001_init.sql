-- Pingyi store schema. Forward-only: never edit an applied migration, add the next number.
--
-- Units and groups belong to a cycle: a finalised year must reload bit-for-bit, so nothing a
-- cycle's results depend on may be shared with a later, still-editable year.

CREATE TABLE scheme_versions (
  scheme_id  text        NOT NULL CHECK (scheme_id <> ''),
  version    integer     NOT NULL CHECK (version >= 1),
  document   jsonb       NOT NULL,
  author     text        NOT NULL,
  reason     text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  based_on   integer,
  PRIMARY KEY (scheme_id, version),
  -- Publishing always starts from the latest version, so the chain has no gaps or forks.
  CHECK ((version = 1 AND based_on IS NULL) OR (version > 1 AND based_on = version - 1))
);

CREATE TABLE cycles (
  id             text        PRIMARY KEY CHECK (id <> ''),
  year           integer     NOT NULL,
  name           text        NOT NULL,
  scheme_id      text        NOT NULL,
  scheme_version integer     NOT NULL,
  status         text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finalised')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  finalised_at   timestamptz,
  FOREIGN KEY (scheme_id, scheme_version) REFERENCES scheme_versions (scheme_id, version)
);

CREATE TABLE groups (
  cycle_id text    NOT NULL REFERENCES cycles (id),
  id       text    NOT NULL CHECK (id <> ''),
  name     text    NOT NULL,
  ranked   boolean NOT NULL DEFAULT true,
  PRIMARY KEY (cycle_id, id)
);

CREATE TABLE units (
  cycle_id  text NOT NULL REFERENCES cycles (id),
  id        text NOT NULL CHECK (id <> ''),
  name      text NOT NULL,
  group_id  text NOT NULL,
  parent_id text,
  kind      text,
  PRIMARY KEY (cycle_id, id),
  FOREIGN KEY (cycle_id, group_id) REFERENCES groups (cycle_id, id),
  FOREIGN KEY (cycle_id, parent_id) REFERENCES units (cycle_id, id),
  CHECK (parent_id IS NULL OR parent_id <> id)
);

CREATE TABLE imports (
  id         text        PRIMARY KEY CHECK (id <> ''),
  cycle_id   text        NOT NULL REFERENCES cycles (id),
  kind       text        NOT NULL CHECK (kind IN ('survey-forms', 'ballots', 'findings', 'scores')),
  format     text        NOT NULL CHECK (format IN ('csv', 'xlsx', 'json')),
  row_count  integer     NOT NULL DEFAULT 0,
  file_hash  text        NOT NULL DEFAULT '',
  actor      text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX imports_cycle ON imports (cycle_id, created_at);

CREATE TABLE direct_scores (
  cycle_id  text    NOT NULL,
  unit_id   text    NOT NULL,
  category  text    NOT NULL CHECK (category <> ''),
  value     numeric NOT NULL,
  import_id text    REFERENCES imports (id),
  PRIMARY KEY (cycle_id, unit_id, category),
  FOREIGN KEY (cycle_id, unit_id) REFERENCES units (cycle_id, id)
);

CREATE TABLE formula_inputs (
  cycle_id text    NOT NULL,
  unit_id  text    NOT NULL,
  name     text    NOT NULL CHECK (name <> ''),
  value    numeric NOT NULL,
  PRIMARY KEY (cycle_id, unit_id, name),
  FOREIGN KEY (cycle_id, unit_id) REFERENCES units (cycle_id, id)
);

CREATE TABLE ballots (
  cycle_id  text    NOT NULL,
  category  text    NOT NULL CHECK (category <> ''),
  voter     text    NOT NULL CHECK (voter <> ''),
  unit_id   text    NOT NULL,
  role      text,
  score     numeric,
  grade     text,
  import_id text    REFERENCES imports (id),
  PRIMARY KEY (cycle_id, category, voter, unit_id),
  FOREIGN KEY (cycle_id, unit_id) REFERENCES units (cycle_id, id),
  CHECK ((score IS NULL) <> (grade IS NULL))
);

-- Millions of rows per cycle: no primary key or per-row index to maintain on bulk import;
-- the engine only ever sees the GROUP BY tallies.
CREATE TABLE survey_forms (
  cycle_id         text NOT NULL,
  category         text NOT NULL,
  unit_id          text NOT NULL,
  respondent_group text NOT NULL,
  answer           text NOT NULL,
  import_id        text REFERENCES imports (id),
  FOREIGN KEY (cycle_id, unit_id) REFERENCES units (cycle_id, id)
);
CREATE INDEX survey_forms_cycle ON survey_forms (cycle_id);

CREATE TABLE findings (
  cycle_id      text    NOT NULL,
  id            text    NOT NULL CHECK (id <> ''),
  unit_id       text    NOT NULL,
  type          text    NOT NULL,
  level         text    NOT NULL,
  rectification text    CHECK (rectification IN ('on-time', 'late', 'not-rectified', 'pending')),
  repeated      boolean NOT NULL DEFAULT false,
  note          text,
  deadline      date,
  rectified_on  date,
  import_id     text    REFERENCES imports (id),
  PRIMARY KEY (cycle_id, id),
  FOREIGN KEY (cycle_id, unit_id) REFERENCES units (cycle_id, id)
);

CREATE TABLE bonus_events (
  cycle_id text NOT NULL,
  id       text NOT NULL CHECK (id <> ''),
  unit_id  text NOT NULL,
  type     text NOT NULL,
  level    text NOT NULL,
  note     text,
  PRIMARY KEY (cycle_id, id),
  FOREIGN KEY (cycle_id, unit_id) REFERENCES units (cycle_id, id)
);

CREATE TABLE veto_events (
  cycle_id text NOT NULL,
  id       text NOT NULL CHECK (id <> ''),
  unit_id  text NOT NULL,
  type     text NOT NULL,
  reason   text NOT NULL,
  PRIMARY KEY (cycle_id, id),
  FOREIGN KEY (cycle_id, unit_id) REFERENCES units (cycle_id, id)
);

-- What-if scenarios never change a cycle, so they stay writable after finalisation.
CREATE TABLE scenarios (
  id         text        PRIMARY KEY,
  cycle_id   text        NOT NULL REFERENCES cycles (id),
  owner      text        NOT NULL,
  name       text        NOT NULL CHECK (name <> ''),
  patch      jsonb       NOT NULL,
  shared     boolean     NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (cycle_id, owner, name)
);

-- No foreign keys: the trail must outlive whatever it describes.
CREATE TABLE audit_log (
  id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text        NOT NULL,
  action    text        NOT NULL,
  entity    text        NOT NULL,
  entity_id text        NOT NULL,
  cycle_id  text,
  before    jsonb,
  after     jsonb
);
CREATE INDEX audit_log_cycle ON audit_log (cycle_id, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

-- Append-only tables ------------------------------------------------------------------------

CREATE FUNCTION pingyi_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'PY002';
END
$$;

CREATE TRIGGER scheme_versions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON scheme_versions
  FOR EACH STATEMENT EXECUTE FUNCTION pingyi_append_only();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION pingyi_append_only();

-- Finalised cycles --------------------------------------------------------------------------

CREATE FUNCTION pingyi_cycle_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'finalised' THEN
    RAISE EXCEPTION 'cycle ''%'' is finalised', OLD.id USING ERRCODE = 'PY001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER cycles_frozen BEFORE UPDATE OR DELETE ON cycles
  FOR EACH ROW EXECUTE FUNCTION pingyi_cycle_frozen();

-- Statement-level with transition tables: a 5,000-row import batch costs one check, not 5,000.
-- FOR SHARE on the cycle rows makes a concurrent finalise wait for (or be seen by) the write.
CREATE FUNCTION pingyi_rows_cycle_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    FOR c IN SELECT id, status FROM cycles WHERE id IN (SELECT DISTINCT cycle_id FROM new_rows) ORDER BY id FOR SHARE LOOP
      IF c.status = 'finalised' THEN
        RAISE EXCEPTION 'cycle ''%'' is finalised', c.id USING ERRCODE = 'PY001';
      END IF;
    END LOOP;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    FOR c IN SELECT id, status FROM cycles WHERE id IN (SELECT DISTINCT cycle_id FROM old_rows) ORDER BY id FOR SHARE LOOP
      IF c.status = 'finalised' THEN
        RAISE EXCEPTION 'cycle ''%'' is finalised', c.id USING ERRCODE = 'PY001';
      END IF;
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION pingyi_truncate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM cycles WHERE status = 'finalised') THEN
    RAISE EXCEPTION 'cannot truncate %: a finalised cycle''s rows would change', TG_TABLE_NAME USING ERRCODE = 'PY001';
  END IF;
  RETURN NULL;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['groups', 'units', 'imports', 'direct_scores', 'formula_inputs', 'ballots',
                           'survey_forms', 'findings', 'bonus_events', 'veto_events'] LOOP
    EXECUTE format('CREATE TRIGGER %1$s_open_ins AFTER INSERT ON %1$I REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION pingyi_rows_cycle_open()', t);
    EXECUTE format('CREATE TRIGGER %1$s_open_upd AFTER UPDATE ON %1$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION pingyi_rows_cycle_open()', t);
    EXECUTE format('CREATE TRIGGER %1$s_open_del AFTER DELETE ON %1$I REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION pingyi_rows_cycle_open()', t);
    EXECUTE format('CREATE TRIGGER %1$s_open_trunc BEFORE TRUNCATE ON %1$I
                    FOR EACH STATEMENT EXECUTE FUNCTION pingyi_truncate_guard()', t);
  END LOOP;
END
$$;
