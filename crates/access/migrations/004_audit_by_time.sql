-- The audit page counts reads per user and hour over the last day: a range of times.
CREATE INDEX audit_by_time ON audit_events(at);
