-- 开放申请 / applications for 有条件开放 data: a developer asks the provider department for one
-- resource, with a purpose and who they are; the provider's steward or approver approves (the
-- applicant then claims a key that lists exactly that resource) or rejects with a reason. A key
-- reaches a 有条件开放 resource only through an approved application linked to it.

CREATE TYPE open_application_status AS ENUM (
  'submitted',  -- 待审核
  'approved',   -- 已批准
  'rejected',   -- 已驳回, with a reason
  'cancelled',  -- 已撤回 by the applicant
  'expired'     -- 已过期: approved, but its validity ended (the developer may apply again)
);

CREATE TABLE open_applications (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  resource_id     uuid NOT NULL REFERENCES resources (id) ON DELETE RESTRICT,
  applicant_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose         text NOT NULL CHECK (length(purpose) > 0),
  -- one of the platform's purpose codes (/v1/purposes), when one fits
  purpose_code    varchar(32) REFERENCES purposes (code) ON DELETE RESTRICT,
  -- the applicant's identity as they declare it
  real_name       varchar(100) NOT NULL,
  organisation    varchar(200) NOT NULL,
  contact         varchar(200) NOT NULL,
  intended_use    text NOT NULL,
  -- what the applicant asked for: read, download
  actions         text[] NOT NULL CHECK (cardinality(actions) > 0),
  status          open_application_status NOT NULL DEFAULT 'submitted',
  -- set on approval: the actions granted (a subset of `actions`), the key's daily quota, and
  -- the end of the validity (null: until revoked)
  granted_actions text[] NOT NULL DEFAULT '{}',
  daily_quota     integer CHECK (daily_quota > 0),
  valid_until     timestamptz(3),
  decided_by      varchar(300),
  decided_at      timestamptz(3),
  reject_reason   text,
  -- the key the applicant claimed (once); the key's own status says whether it still works
  api_key_id      uuid UNIQUE REFERENCES api_keys (id) ON DELETE SET NULL,
  key_claimed_at  timestamptz(3),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT open_applications_rejected_has_reason
    CHECK (status <> 'rejected' OR reject_reason IS NOT NULL)
);

-- one live application (submitted or approved) per developer and resource
CREATE UNIQUE INDEX open_applications_one_live
  ON open_applications (applicant_id, resource_id) WHERE status IN ('submitted', 'approved');
CREATE INDEX open_applications_applicant ON open_applications (applicant_id, created_at);
CREATE INDEX open_applications_resource ON open_applications (resource_id, status);
