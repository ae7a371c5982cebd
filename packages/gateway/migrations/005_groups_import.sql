-- A group a units import created goes with the import when no unit is left in it; a group made
-- by hand, copied from another cycle, or there before the import stays. Groups created before
-- this migration have no import recorded (nothing tells which import made them) and stay.
ALTER TABLE groups ADD COLUMN import_id text REFERENCES imports (id);
