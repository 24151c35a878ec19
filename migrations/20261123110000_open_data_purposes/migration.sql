-- 开放数据用途: why a developer or company asks for 有条件开放 data (科学研究, 公益服务, 创新应用…),
-- a vocabulary apart from the sharing purposes departments cite (行政审批, 司法协查…), which make
-- no sense to an applicant from outside government. Both live in `purposes`, told apart by
-- `applies_to`, so open_applications.purpose_code keeps its foreign key to purposes(code) and an
-- application made earlier with a sharing purpose still reads with its name; new applications and
-- sharing requests accept only their own kind (the exchange checks, per use).
ALTER TABLE purposes
  ADD COLUMN applies_to varchar(16) NOT NULL DEFAULT 'sharing'
    CONSTRAINT purposes_applies_to CHECK (applies_to IN ('sharing', 'open-data'));

-- codes distinct from the sharing ones (the sharing 其他 is OTHER)
INSERT INTO purposes (code, name, position, applies_to) VALUES
  ('RESEARCH',       '科学研究', 101, 'open-data'),
  ('PUBLIC_WELFARE', '公益服务', 102, 'open-data'),
  ('INNOVATION',     '创新应用', 103, 'open-data'),
  ('TEACHING',       '教学培训', 104, 'open-data'),
  ('JOURNALISM',     '新闻报道', 105, 'open-data'),
  ('COMMERCIAL',     '商业开发', 106, 'open-data'),
  ('OPEN_OTHER',     '其他',     199, 'open-data');
