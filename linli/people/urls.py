"""URLs of the people app."""

from django.urls import path

from . import views, views_cadres, views_cards, views_floating, views_inservice, views_zones

app_name = "people"

urlpatterns = [
    # Residents (PPL-1)
    path("persons/", views.person_list, name="person_list"),
    path("persons/export/", views.person_export, name="person_export"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("persons/<int:pk>/status/", views.person_status, name="person_status"),
    path("persons/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("search/", views.search, name="search"),
    # Members (PPL-2)
    path("members/", views.member_list, name="member_list"),
    path("members/export/", views.member_export, name="member_export"),
    path("persons/<int:person_pk>/member/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    # In-service members (PPL-3)
    path("inservice/", views_inservice.inservice_list, name="inservice_list"),
    path("inservice/export/", views_inservice.inservice_export, name="inservice_export"),
    path("members/<int:member_pk>/inservice/new/", views_inservice.inservice_create, name="inservice_create"),
    path("inservice/<int:pk>/", views_inservice.inservice_edit, name="inservice_edit"),
    path("inservice/<int:pk>/evaluate/", views_inservice.inservice_evaluate, name="inservice_evaluate"),
    path("inservice/<int:pk>/end/", views_inservice.inservice_end, name="inservice_end"),
    path("inservice/<int:pk>/letter/", views_inservice.inservice_letter, name="inservice_letter"),
    # Floating members (PPL-4)
    path("floating/", views_floating.floating_list, name="floating_list"),
    path("floating/export/", views_floating.floating_export, name="floating_export"),
    path("members/<int:member_pk>/floating/new/", views_floating.floating_create, name="floating_create"),
    path("floating/<int:pk>/", views_floating.floating_detail, name="floating_detail"),
    path("floating/<int:pk>/edit/", views_floating.floating_edit, name="floating_edit"),
    path("floating/<int:pk>/contacts/", views_floating.floating_contact_add, name="floating_contact_add"),
    # Responsibility zones and posts (PPL-5)
    path("zones/", views_zones.zone_list, name="zone_list"),
    path("members/<int:member_pk>/zones/new/", views_zones.zone_create, name="zone_create"),
    path("zones/<int:pk>/edit/", views_zones.zone_edit, name="zone_edit"),
    path("posts/", views_zones.post_list, name="post_list"),
    path("members/<int:member_pk>/posts/new/", views_zones.post_create, name="post_create"),
    path("posts/<int:pk>/edit/", views_zones.post_edit, name="post_edit"),
    # Cadres (PPL-6)
    path("cadres/", views_cadres.cadre_overview, name="cadre_overview"),
    path("cadres/list/", views_cadres.cadre_list, name="cadre_list"),
    path("cadres/export/", views_cadres.cadre_export, name="cadre_export"),
    path("cadres/community/<int:community_pk>/", views_cadres.cadre_roster, name="cadre_roster"),
    path("persons/<int:person_pk>/positions/new/", views_cadres.cadre_create, name="cadre_create"),
    path("positions/<int:pk>/edit/", views_cadres.cadre_edit, name="cadre_edit"),
    # The five cards of seed 002
    path("cards/", views_cards.card_index, name="card_index"),
    path("cards/<str:kind>/community/<int:community_pk>/", views_cards.card_batch, name="card_batch"),
    path("members/<int:pk>/cards/<str:kind>/", views_cards.member_card, name="member_card"),
]
