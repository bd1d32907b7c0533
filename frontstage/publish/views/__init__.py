"""Public and console views of publication, one module per part: `channel` (channel pages,
posts, feeds, the publisher's drafts), `federation` (WebFinger and ActivityPub),
`transparency` (reports). Each exports `urlpatterns` (public) and `console_urlpatterns`."""
