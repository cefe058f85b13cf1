"""URLs of the orgs app."""

from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("nodes/<int:pk>/", views.node_detail, name="node_detail"),
    path("nodes/<int:parent_pk>/new/", views.node_create, name="node_create"),
    path("nodes/<int:pk>/edit/", views.node_edit, name="node_edit"),
    path("nodes/<int:node_pk>/party-orgs/new/", views.party_org_create, name="party_org_create"),
    path("party-orgs/<int:pk>/edit/", views.party_org_edit, name="party_org_edit"),
    path("nodes/<int:grid_pk>/buildings/new/", views.building_create, name="building_create"),
    path("buildings/<int:pk>/edit/", views.building_edit, name="building_edit"),
    path("households/", views.household_list, name="household_list"),
    path("households/export/", views.household_export, name="household_export"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_edit, name="household_edit"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<int:pk>/edit/", views.tag_edit, name="tag_edit"),
    path("tags/<int:pk>/delete/", views.tag_delete, name="tag_delete"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export/", views.coverage_export, name="coverage_export"),
]
