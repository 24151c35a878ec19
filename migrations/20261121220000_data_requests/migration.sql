-- 数据需求 / data requests: a signed-in person asks for data the directory does not offer (or not
-- openly); everyone sees the requests and the answers; a steward of the wanted department (of
-- any department when none is wanted) answers publicly: 已答复 (an answer), 已开放 (with the code
-- of the published dataset that serves it) or 暂不开放 (with the reason). The contact stays
-- between the requester and the departments; the public list never shows it.

CREATE TYPE data_request_status AS ENUM (
  'pending',   -- 待答复
  'answered',  -- 已答复
  'opened',    -- 已开放, with a dataset code
  'declined'   -- 暂不开放, with a reason
);

CREATE TABLE data_requests (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title                  varchar(100) NOT NULL CHECK (length(title) > 0),
  description            text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
  wanted_department_id   uuid REFERENCES departments (id) ON DELETE SET NULL,
  contact                varchar(100) NOT NULL,
  requester_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status                 data_request_status NOT NULL DEFAULT 'pending',
  -- the latest answer: its text (the reason when declined), the dataset that serves the
  -- request when opened, who answered and for which department
  answer                 text,
  dataset_code           varchar(32),
  answered_by            varchar(300),
  answered_department_id uuid REFERENCES departments (id) ON DELETE SET NULL,
  answered_at            timestamptz(3),
  created_at             timestamptz(3) NOT NULL DEFAULT now(),
  updated_at             timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT data_requests_answered_has_text
    CHECK (status = 'pending' OR (answer IS NOT NULL AND answered_at IS NOT NULL)),
  CONSTRAINT data_requests_opened_has_dataset
    CHECK (status <> 'opened' OR dataset_code IS NOT NULL)
);

CREATE INDEX data_requests_newest ON data_requests (created_at DESC, id DESC);
CREATE INDEX data_requests_requester ON data_requests (requester_id, created_at);
