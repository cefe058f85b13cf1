"""The benchmark's URL configuration: every page of Linli plus the floor view. Never the deployed configuration."""

from django.urls import path

from linli.urls import urlpatterns as linli_urlpatterns

from .views import floor

urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *linli_urlpatterns]
