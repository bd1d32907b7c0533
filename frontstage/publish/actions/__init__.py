"""Every change to publication, one module per part: `posts` (case reports, advisories),
`federation` (followers, deliveries), `reports` (transparency reports), `sor` (statements of
reasons to the DSA Transparency Database)."""
