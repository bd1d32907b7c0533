from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
console_urlpatterns: list[URLPattern] = []
