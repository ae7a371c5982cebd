-- Veto and bonus events become import kinds: a year's vetoes (一票否决) and commendations (加分)
-- load from a file as its findings do, and removing the import takes out the events it added
-- (those corrected by hand since stay, as for every other record).

ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check
  CHECK (kind IN ('survey-forms', 'ballots', 'findings', 'scores', 'units', 'vetoes', 'bonuses'));

ALTER TABLE veto_events ADD COLUMN import_id text REFERENCES imports (id);
ALTER TABLE bonus_events ADD COLUMN import_id text REFERENCES imports (id);
