-- The review queue reads a list's candidates a page at a time, best first: this index
-- gives them in that order without sorting the whole list.
CREATE INDEX match_candidates_by_score ON match_candidates (list, score DESC, row, person);
