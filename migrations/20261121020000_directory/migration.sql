-- Resource directory (政务信息资源目录): statutory functions, themes, resources, information
-- items, record schema versions, change history, and the hosted record store.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- 数据主管部门: the department whose approvers review directory entries (大数据局)
ALTER TABLE departments ADD COLUMN is_data_authority boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX departments_one_data_authority_per_region
  ON departments (region_id) WHERE is_data_authority;

-- 三定职责 / 权责清单: a department's statutory functions; resources cite them
CREATE TABLE statutory_functions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  department_id  uuid NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
  code           varchar(64) NOT NULL,
  name           varchar(300) NOT NULL,
  description    text,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (department_id, code)
);

-- 主题分类: the five base databases (基础库) and thematic domains (主题库)
CREATE TABLE themes (
  code        varchar(32) PRIMARY KEY,
  name        varchar(100) NOT NULL,
  kind        varchar(16) NOT NULL CHECK (kind IN ('base', 'domain')),
  -- 资源分类 类(1) + 项(2): the first digits of every resource code in this theme
  class_code  char(3) NOT NULL UNIQUE CHECK (class_code ~ '^[1-3][0-9]{2}$'),
  position    integer NOT NULL
);

INSERT INTO themes (code, name, kind, class_code, position) VALUES
  ('population',      '人口基础信息库',          'base',   '101', 1),
  ('legal-entity',    '法人单位基础信息库',      'base',   '102', 2),
  ('spatial',         '自然资源和空间地理基础信息库', 'base', '103', 3),
  ('credit',          '社会信用信息库',          'base',   '104', 4),
  ('e-license',       '电子证照库',              'base',   '105', 5),
  ('education',       '教育文化',                'domain', '201', 10),
  ('health',          '医疗卫生',                'domain', '202', 11),
  ('social-security', '社会保障',                'domain', '203', 12),
  ('employment',      '劳动就业',                'domain', '204', 13),
  ('transport',       '交通出行',                'domain', '205', 14),
  ('environment',     '生态环境',                'domain', '206', 15),
  ('market',          '市场监管',                'domain', '207', 16),
  ('urban',           '城建住房',                'domain', '208', 17),
  ('public-safety',   '公共安全',                'domain', '209', 18),
  ('weather',         '气象服务',                'domain', '210', 19),
  ('civil-affairs',   '民政服务',                'domain', '211', 20),
  ('agriculture',     '农业农村',                'domain', '212', 21),
  ('finance-tax',     '财税金融',                'domain', '213', 22),
  ('culture-tourism', '文化旅游',                'domain', '214', 23),
  ('government',      '机构团体',                'domain', '215', 24),
  ('justice',         '司法公正',                'domain', '216', 25);

CREATE TYPE sharing_type AS ENUM ('unconditional', 'conditional', 'none');
CREATE TYPE open_type AS ENUM ('open', 'conditional', 'none');
CREATE TYPE update_cycle AS ENUM ('realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular');
CREATE TYPE resource_status AS ENUM ('draft', 'in_review', 'published', 'retired');
CREATE TYPE data_grade AS ENUM ('general', 'important', 'core');
CREATE TYPE resource_format AS ENUM ('database', 'spreadsheet', 'document', 'image', 'geo', 'stream', 'api', 'other');
CREATE TYPE item_type AS ENUM ('string', 'integer', 'number', 'boolean', 'date', 'datetime');

CREATE TABLE resources (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- 信息资源代码: 分类(类1 项2 目3 细目3) - provider organisation code (9) - sequence (6).
  -- Assigned at creation and never changed.
  code                    varchar(40) NOT NULL UNIQUE CHECK (code ~ '^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$'),
  name                    varchar(200) NOT NULL,
  abstract                text NOT NULL,
  provider_id             uuid NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
  theme_code              varchar(32) NOT NULL REFERENCES themes (code),
  service_category        varchar(100),
  keywords                text[] NOT NULL DEFAULT '{}',
  format                  resource_format NOT NULL,
  sharing_type            sharing_type NOT NULL,
  sharing_conditions      text,
  sharing_methods         text[] NOT NULL DEFAULT '{}',
  sharing_legal_basis     text,
  open_type               open_type NOT NULL,
  open_conditions         text,
  update_cycle            update_cycle NOT NULL,
  publish_date            date,
  source_system           varchar(200),
  related_resource_codes  text[] NOT NULL DEFAULT '{}',
  function_id             uuid REFERENCES statutory_functions (id) ON DELETE SET NULL,
  data_grade              data_grade NOT NULL DEFAULT 'general',
  contact_name            varchar(100),
  contact_phone           varchar(40),
  contact_email           varchar(200),
  status                  resource_status NOT NULL DEFAULT 'draft',
  -- metadata revision, for optimistic concurrency of edits
  revision                integer NOT NULL DEFAULT 1,
  -- latest published record schema version (0 before the first publication)
  schema_version          integer NOT NULL DEFAULT 0,
  -- when the data itself was last refreshed (for overdue reports)
  data_updated_at         timestamptz(3),
  review_comment          text,
  created_by              varchar(100) NOT NULL,
  created_at              timestamptz(3) NOT NULL DEFAULT now(),
  updated_at              timestamptz(3) NOT NULL DEFAULT now(),
  published_at            timestamptz(3),
  retired_at              timestamptz(3),
  -- full-text search document: Chinese text segmented into words by the application
  search_document         tsvector NOT NULL DEFAULT ''::tsvector,
  -- 不予共享 must cite its legal basis
  CONSTRAINT resources_not_shared_cites_basis
    CHECK (sharing_type <> 'none' OR coalesce(length(trim(sharing_legal_basis)), 0) > 0),
  CONSTRAINT resources_methods_known
    CHECK (sharing_methods <@ ARRAY['api', 'file', 'subscription']::text[])
);
CREATE INDEX resources_provider_id_idx ON resources (provider_id);
CREATE INDEX resources_theme_code_idx ON resources (theme_code);
CREATE INDEX resources_status_idx ON resources (status);
CREATE INDEX resources_function_id_idx ON resources (function_id);
CREATE INDEX resources_search_document_idx ON resources USING gin (search_document);
CREATE INDEX resources_name_trgm_idx ON resources USING gin (name gin_trgm_ops);

-- 信息项: the fields of a resource's records
CREATE TABLE information_items (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  resource_id  uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  position     integer NOT NULL,
  name         varchar(64) NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]*$'),
  label        varchar(100) NOT NULL,
  data_type    item_type NOT NULL,
  unit         varchar(32),
  max_length   integer CHECK (max_length IS NULL OR max_length > 0),
  data_grade   data_grade NOT NULL DEFAULT 'general',
  is_personal  boolean NOT NULL DEFAULT false,
  is_required  boolean NOT NULL DEFAULT false,
  -- part of the record key (records are upserted by it)
  is_key       boolean NOT NULL DEFAULT false,
  description  text,
  UNIQUE (resource_id, name),
  UNIQUE (resource_id, position)
);

CREATE TYPE schema_compatibility AS ENUM ('initial', 'compatible', 'breaking');

-- The record JSON Schema generated from the information items, one row per published change.
CREATE TABLE resource_schema_versions (
  resource_id    uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  version        integer NOT NULL CHECK (version > 0),
  json_schema    jsonb NOT NULL,
  compatibility  schema_compatibility NOT NULL,
  changes        jsonb NOT NULL DEFAULT '[]',
  created_by     varchar(100) NOT NULL,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (resource_id, version)
);

CREATE TYPE resource_action AS ENUM (
  'create', 'update', 'submit', 'approve', 'reject', 'publish', 'retire', 'revise', 'import'
);

-- Who changed what and when, with a field-level diff.
CREATE TABLE resource_changes (
  id           bigserial PRIMARY KEY,
  resource_id  uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  action       resource_action NOT NULL,
  actor        varchar(100) NOT NULL,
  actor_kind   varchar(16) NOT NULL,
  comment      text,
  diff         jsonb NOT NULL DEFAULT '[]',
  from_status  resource_status,
  to_status    resource_status NOT NULL,
  at           timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX resource_changes_resource_id_idx ON resource_changes (resource_id, id);

-- Hosted record store: the records of hosted resources, upserted by their key.
CREATE TABLE records (
  resource_id     uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  record_key      text NOT NULL,
  data            jsonb NOT NULL,
  schema_version  integer NOT NULL,
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (resource_id, record_key)
);
