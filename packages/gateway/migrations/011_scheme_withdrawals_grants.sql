-- 010 made scheme_version_withdrawals with its owner's privileges alone: a gateway role granted
-- SELECT, INSERT, UPDATE, DELETE ON ALL TABLES before the upgrade (docs/operators.md) had none on
-- it, and every read of a scheme version failed with permission denied. Each role (PUBLIC too) is
-- given here what it has on scheme_versions, the table it sits beside, so that grants made table by
-- table keep working. A migration of its own: 010 changed would be refused on a database at 010.
DO $$
DECLARE
  g record;
BEGIN
  -- Anyone else's GRANT only warns, and the migration would be recorded having granted nothing.
  IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'scheme_version_withdrawals'::regclass), 'USAGE') THEN
    RAISE EXCEPTION 'must be owner of table scheme_version_withdrawals' USING ERRCODE = '42501';
  END IF;
  FOR g IN
    SELECT a.privilege_type, a.is_grantable,
           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee
    FROM pg_class c, aclexplode(c.relacl) a
    WHERE c.oid = 'scheme_versions'::regclass AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('GRANT %s ON scheme_version_withdrawals TO %s%s', g.privilege_type, g.grantee,
                   CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
END
$$;
