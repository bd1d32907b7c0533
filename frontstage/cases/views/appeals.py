from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
# The affected user's pages: no login, reached by the link in their statement of reasons.
public_urlpatterns: list[URLPattern] = []
