-- AssumeRole's managed session policies (PolicyArns): a JSON array of policy ARNs, kept by
-- reference as AWS keeps them (each request evaluates their default versions at that time).
ALTER TABLE sts_sessions ADD COLUMN session_policy_arns TEXT;
