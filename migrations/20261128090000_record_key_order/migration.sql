-- The order records are read in: by their key's values, typed. `record_key` is text (one key
-- value as text, several as a JSON array), and its text order puts 站序 10 before 1 and a
-- numeric key 10 before 2. `key_order` holds the key's values as a JSON array with their types,
-- which jsonb compares element by element, numbers as numbers; the record key follows it as the
-- tie-breaker. Queries, previews and exports order by (key_order, record_key) and keyset cursors
-- carry both. Every writer sets it from the same key fields as the record key.
ALTER TABLE records ADD COLUMN key_order jsonb;

-- records already stored: the key fields of the schema version each was written under
UPDATE records r
   SET key_order = COALESCE(
         (SELECT jsonb_agg(COALESCE(r.data -> k.field, 'null'::jsonb) ORDER BY k.n)
            FROM resource_schema_versions v,
                 jsonb_array_elements_text(v.json_schema -> 'x-key') WITH ORDINALITY AS k(field, n)
           WHERE v.resource_id = r.resource_id AND v.version = r.schema_version),
         jsonb_build_array(r.record_key));

ALTER TABLE records ALTER COLUMN key_order SET NOT NULL;

CREATE INDEX records_key_order_idx ON records (resource_id, key_order, record_key COLLATE "C");
