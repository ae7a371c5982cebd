-- Units become an import kind: a province's 10,000 units load from one file, and removing the
-- import takes out the units it added (those corrected by hand since stay, as for records).

ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check
  CHECK (kind IN ('survey-forms', 'ballots', 'findings', 'scores', 'units'));

ALTER TABLE units ADD COLUMN import_id text REFERENCES imports (id);
