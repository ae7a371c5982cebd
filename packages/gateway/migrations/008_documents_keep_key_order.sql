-- Scheme documents and scenario patches keep their keys in the order they were written. jsonb
-- stores an object's keys sorted (shorter first), so the seed year's survey answers came back as
-- "dont-know, satisfied, dissatisfied, basically-satisfied": an administrator reading a published
-- version saw them reordered, and explanations computed over GraphQL listed answers, roles and
-- levels in another order than the engine gives for the same document. json keeps the text as it
-- was sent. Rows stored before this migration keep the order jsonb gave them; publishing the
-- document again stores it as written. Both columns are only ever read whole or by one key
-- (`document->'groups'`), which json serves as jsonb did.
ALTER TABLE scheme_versions ALTER COLUMN document TYPE json USING document::json;
ALTER TABLE scenarios ALTER COLUMN patch TYPE json USING patch::json;
