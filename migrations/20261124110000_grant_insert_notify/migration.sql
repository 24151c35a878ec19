-- A new grant notifies `grant_changed` too, not only a changed or deleted one. The connector
-- workers keep the active subscription grants of each resource for up to a second
-- (GrantDirectory); without this, a grant approved a moment ago could miss the records enforced
-- within that second, and a sink created with `initialLoad` just after the approval found no
-- grant to answer its markers for (migration 20261124100000_initial_load).
CREATE OR REPLACE TRIGGER grants_notify_change
  AFTER INSERT OR UPDATE OR DELETE ON grants
  FOR EACH ROW EXECUTE FUNCTION grants_notify_change();
