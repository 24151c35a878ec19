-- Organisation: regions (tree), departments, users and service systems.

CREATE TYPE region_level AS ENUM ('province', 'city', 'district', 'street');
CREATE TYPE department_kind AS ENUM (
  'agency', 'court', 'procuratorate', 'congress', 'cppcc',
  'state_enterprise', 'public_institution', 'other'
);
CREATE TYPE user_kind AS ENUM ('staff', 'developer');
CREATE TYPE account_status AS ENUM ('active', 'disabled');

CREATE TABLE regions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        varchar(12) NOT NULL UNIQUE CHECK (code ~ '^[0-9]{12}$'),
  name        varchar(100) NOT NULL,
  level       region_level NOT NULL,
  parent_id   uuid REFERENCES regions (id) ON DELETE RESTRICT,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  -- only a province may be a root; everything else hangs under a parent
  CONSTRAINT regions_root_is_province CHECK ((parent_id IS NULL) = (level = 'province'))
);
CREATE INDEX regions_parent_id_idx ON regions (parent_id);

CREATE TABLE departments (
  id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code                        varchar(64) NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]*$'),
  name                        varchar(200) NOT NULL,
  short_name                  varchar(100),
  unified_social_credit_code  char(18) NOT NULL UNIQUE CHECK (unified_social_credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  kind                        department_kind NOT NULL DEFAULT 'agency',
  region_id                   uuid NOT NULL REFERENCES regions (id) ON DELETE RESTRICT,
  contact_name                varchar(100),
  contact_phone               varchar(40),
  contact_email               varchar(200),
  created_at                  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at                  timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX departments_region_id_idx ON departments (region_id);

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username       varchar(100) NOT NULL UNIQUE,
  display_name   varchar(100) NOT NULL,
  email          varchar(200) UNIQUE,
  phone          varchar(40),
  kind           user_kind NOT NULL DEFAULT 'staff',
  roles          text[] NOT NULL DEFAULT '{}',
  department_id  uuid REFERENCES departments (id) ON DELETE RESTRICT,
  status         account_status NOT NULL DEFAULT 'active',
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  -- department staff belong to a department; developers are outside any
  CONSTRAINT users_staff_have_department CHECK (kind = 'developer' OR department_id IS NOT NULL)
);
CREATE INDEX users_department_id_idx ON users (department_id);

CREATE TABLE service_systems (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  department_id  uuid NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
  name           varchar(200) NOT NULL,
  client_id      varchar(100) NOT NULL UNIQUE,
  description    text,
  status         account_status NOT NULL DEFAULT 'active',
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX service_systems_department_id_idx ON service_systems (department_id);
