-- A cycle may follow the cycle of an earlier year: a veto type in force for more than one year
-- ("this year and next") bars a unit in the years after its incident, so scoring a cycle reads
-- the vetoes of the cycles it follows. Years strictly decrease along the links (checked on write).

ALTER TABLE cycles ADD COLUMN previous_cycle_id text REFERENCES cycles (id);
ALTER TABLE cycles ADD CONSTRAINT cycles_previous_not_self CHECK (previous_cycle_id IS NULL OR previous_cycle_id <> id);
CREATE INDEX cycles_previous ON cycles (previous_cycle_id) WHERE previous_cycle_id IS NOT NULL;
