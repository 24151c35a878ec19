-- The search documents of the entries anyone may see (published, 无条件 or 有条件开放: what
-- catalog/src/domain/resources/visibility.ts shows anonymous visitors, developers and API keys),
-- indexed apart. A public search then finds only public matches in the index and visits only
-- their rows, instead of every match and discarding those it may not show: about half the
-- work for a department-wide query (bench/RESULTS.md, catalogSearch, session 15). Staff see
-- every published entry and use the full index.
CREATE INDEX resources_public_search_idx ON resources USING gin (search_document)
  WHERE status = 'published' AND open_type IN ('open', 'conditional');
