-- Deleting units (removing a units import: 10,000 at once) checks for each one that no sub-unit
-- still names it as parent; without an index that is a scan of the cycle's units per unit
-- (measured on PGlite, 10,000 units: 5.9 s, 2.5 s with the index).
CREATE INDEX units_parent ON units (cycle_id, parent_id) WHERE parent_id IS NOT NULL;
