-- Why a change was made, where the change takes a reason: a cycle moved to another scheme version
-- (required when forced past the check, which leaves its ranking failing), finalised or deleted.
-- The entry said who and when; a reader of the history asks why. Null where none was given, and
-- for every entry written before this migration.
ALTER TABLE audit_log ADD COLUMN reason text;
