-- Usernames are one account whatever their letter case: sign-in already finds an account by
-- lower(username), so `Developer` beside `developer` was a second account that could never sign
-- in (and made sign-in pick either). The unique index keeps a case variant from being created.
-- An existing database holding such a pair cannot take the index: say which accounts, so the
-- operator renames one (UPDATE users SET username = … WHERE id = …) and migrates again.
DO $$
DECLARE
  pairs text;
BEGIN
  SELECT string_agg(names, '; ')
    INTO pairs
    FROM (SELECT string_agg(username || ' (' || id || ')', ', ' ORDER BY created_at) AS names
            FROM users
           GROUP BY lower(username)
          HAVING count(*) > 1) duplicates;
  IF pairs IS NOT NULL THEN
    RAISE EXCEPTION 'usernames that differ only in letter case: %', pairs
      USING HINT = 'rename all but one account of each group, then run the migration again';
  END IF;
END
$$;

CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
