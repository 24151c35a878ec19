-- 数据异议 / data objections: a consumer (a department holding a grant, or anyone signed in for
-- an open resource) reports that a provider's data is wrong; the provider must answer within a
-- deadline of working days. The state is on the objection; every step is kept in
-- objection_events (the thread both parties see) and in the evidence log.

CREATE TYPE objection_state AS ENUM (
  'open',       -- 待处理: waiting for the provider's answer
  'accepted',   -- 已受理: the provider agrees and will correct
  'rejected',   -- 已驳回: the provider disagrees, with a reason
  'corrected',  -- 已更正: the provider says the data is fixed
  'reopened',   -- 重新打开: the raiser disagrees with the answer or the fix; waiting again
  'closed',     -- 已关闭: the raiser confirmed
  'withdrawn'   -- 已撤回: the raiser took it back
);
CREATE TYPE objection_event_kind AS ENUM (
  'raised', 'accepted', 'rejected', 'corrected', 'reopened', 'closed', 'withdrawn'
);

-- numbers 异议编号 YY<yyyymmdd><seq>: the sequence keeps them unique without locking
CREATE SEQUENCE objection_number_seq;

CREATE TABLE objections (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number                varchar(32) NOT NULL UNIQUE DEFAULT (
    'YY' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')
         || lpad(nextval('objection_number_seq')::text, 6, '0')
  ),
  resource_id           uuid NOT NULL REFERENCES resources (id) ON DELETE RESTRICT,
  -- the resource's provider when raised: the department that must answer
  provider_id           uuid NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
  -- the record objected to (records.record_key), if one is named
  record_key            text,
  -- information items (信息项) objected to; empty: the record or resource as a whole
  fields                text[] NOT NULL DEFAULT '{}',
  description           text NOT NULL CHECK (length(description) > 0),
  -- { field: the value the raiser claims is correct }
  claimed_values        jsonb,
  -- links to supporting material (证明材料), as text
  evidence_links        text[] NOT NULL DEFAULT '{}',
  -- the raising party: a department (its steward or system) or a person (developer, citizen)
  raiser_department_id  uuid REFERENCES departments (id) ON DELETE RESTRICT,
  raiser_user_id        uuid REFERENCES users (id) ON DELETE RESTRICT,
  -- describeActor(actor) of whoever raised it, and its kind
  raised_by             varchar(300) NOT NULL,
  raised_by_kind        varchar(20) NOT NULL,
  -- the grant that let a department see the data, if it raised under one
  grant_id              uuid REFERENCES grants (id) ON DELETE SET NULL,
  state                 objection_state NOT NULL DEFAULT 'open',
  -- when the provider's answer is due (working days); moved on when reopened
  due_at                timestamptz(3) NOT NULL,
  -- one more per event; objection_events.seq is the revision the event produced
  revision              integer NOT NULL DEFAULT 1,
  created_at            timestamptz(3) NOT NULL DEFAULT now(),
  updated_at            timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT objections_one_raiser CHECK ((raiser_department_id IS NULL) <> (raiser_user_id IS NULL))
);
CREATE INDEX objections_provider_state_idx ON objections (provider_id, state, due_at);
CREATE INDEX objections_raiser_department_idx ON objections (raiser_department_id, created_at);
CREATE INDEX objections_raiser_user_idx ON objections (raiser_user_id, created_at);
CREATE INDEX objections_resource_idx ON objections (resource_id);

-- The thread of an objection, oldest first: never updated, never deleted by the application.
CREATE TABLE objection_events (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  objection_id     uuid NOT NULL REFERENCES objections (id) ON DELETE CASCADE,
  -- 1 for `raised`, then the objection's revision after the event
  seq              integer NOT NULL CHECK (seq > 0),
  kind             objection_event_kind NOT NULL,
  from_state       objection_state,
  to_state         objection_state NOT NULL,
  actor            varchar(300) NOT NULL,
  actor_kind       varchar(20) NOT NULL,
  department_code  varchar(64),
  -- the reply, reason or note that came with the step
  comment          text,
  at               timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT objection_events_seq_unique UNIQUE (objection_id, seq)
);

-- Objection steps are evidence too: widen the evidence log's operations by one.
ALTER TABLE evidence_entries DROP CONSTRAINT evidence_entries_operation_check;
ALTER TABLE evidence_entries ADD CONSTRAINT evidence_entries_operation_check
  CHECK (operation IN ('query', 'get', 'verify', 'export', 'subscription-delivery', 'ingest',
                       'request', 'grant-change', 'refusal', 'open-data', 'objection'));
