-- API tokens may expire: unix seconds after which the token opens nothing (NULL: never).
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
