-- Session tags of temporary credentials (JSON of the domain's SessionTags: the tags and which
-- are transitive), from a web identity token's tags claim or inherited through role chaining.
ALTER TABLE sts_sessions ADD COLUMN session_tags TEXT COLLATE "C";
