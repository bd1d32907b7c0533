"""Console views of casework, one module per page family: `queue`, `case_page`, `triage`,
`evidence`, `decisions` and `appeals` (which also serves the affected user's statement page)."""
