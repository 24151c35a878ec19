-- 评分与评论 / dataset reviews: a signed-in person rates a published open dataset 1–5 and may add a
-- short comment; one review per person and dataset (changed or deleted by its author only). The
-- portal shows the average, the count and the comments newest first.

CREATE TABLE dataset_reviews (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  resource_id uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  rating      smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment     text CHECK (comment IS NULL OR length(comment) BETWEEN 1 AND 500),
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT dataset_reviews_one_per_user UNIQUE (resource_id, user_id)
);

CREATE INDEX dataset_reviews_newest ON dataset_reviews (resource_id, created_at DESC, id DESC);
