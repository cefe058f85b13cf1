"""REST API of the registry (/api/v1/people/): persons, members and the quick search.

The same selectors and scope doors as the pages; personal data only ever masked.
"""

from django.urls import path
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from linli.core.drf import has_permission
from linli.core.shortcuts import get_visible_or_404

from . import selectors
from .forms import MemberFilterForm, PersonFilterForm
from .models import Member, Person


class PersonSerializer(serializers.ModelSerializer):
    gender_display = serializers.CharField(source="get_gender_display")
    age = serializers.IntegerField()
    node_name = serializers.CharField(source="node.name")
    household_label = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display")
    is_member = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "gender_display",
            "birth_date",
            "age",
            "ethnicity",
            "education",
            "id_number_masked",
            "phone_masked",
            "node",
            "node_name",
            "household",
            "household_label",
            "relation_to_head",
            "address",
            "is_resident",
            "status",
            "status_display",
            "is_member",
        ]
        read_only_fields = fields

    def get_household_label(self, person: Person) -> str:
        return person.household.label if person.household_id else ""

    def get_is_member(self, person: Person) -> bool:
        return hasattr(person, "member")


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    gender = serializers.CharField(source="person.gender")
    birth_date = serializers.DateField(source="person.birth_date")
    id_number_masked = serializers.CharField(source="person.id_number_masked")
    phone_masked = serializers.CharField(source="person.phone_masked")
    residence = serializers.CharField(source="person.node.name")
    status_display = serializers.CharField(source="get_status_display")
    category_display = serializers.CharField(source="get_category_display")
    branch_name = serializers.CharField(source="branch.name")
    work_unit_label = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "person",
            "name",
            "gender",
            "birth_date",
            "id_number_masked",
            "phone_masked",
            "residence",
            "status",
            "status_display",
            "join_date",
            "formal_date",
            "category",
            "category_display",
            "branch",
            "branch_name",
            "work_unit",
            "work_unit_label",
            "job_title",
            "record_state",
        ]
        read_only_fields = fields

    def get_work_unit_label(self, member: Member) -> str:
        return member.work_unit.name if member.work_unit_id else member.work_unit_name


class PersonListAPI(generics.ListAPIView):
    """Persons in scope; the same filters as the resident list (q, node, gender, age_min, age_max, tag …)."""

    serializer_class = PersonSerializer
    permission_classes = [has_permission("people.browse")]

    def get_queryset(self):
        form = PersonFilterForm(self.request.GET or None, user=self.request.user)
        return selectors.person_list(user=self.request.user, **form.selector_kwargs())


class PersonDetailAPI(generics.RetrieveAPIView):
    serializer_class = PersonSerializer
    permission_classes = [has_permission("people.view")]

    def get_object(self):
        return get_visible_or_404(
            Person.objects.select_related("node", "household__building", "member"),
            self.request.user,
            "people.view",
            pk=self.kwargs["pk"],
        )


class MemberListAPI(generics.ListAPIView):
    """Members in scope; the same filters as the member list (q, node, branch, category, status …)."""

    serializer_class = MemberSerializer
    permission_classes = [has_permission("people.browse")]

    def get_queryset(self):
        form = MemberFilterForm(self.request.GET or None, user=self.request.user)
        return selectors.member_list(user=self.request.user, **form.selector_kwargs())


class MemberDetailAPI(generics.RetrieveAPIView):
    serializer_class = MemberSerializer
    permission_classes = [has_permission("people.view")]

    def get_object(self):
        return get_visible_or_404(
            Member.objects.select_related("person__node", "branch", "work_unit"),
            self.request.user,
            "people.view",
            pk=self.kwargs["pk"],
        )


class SearchAPI(APIView):
    """Members and residents matching `q` (name, pinyin, initials, ID number, phone, last four digits)."""

    permission_classes = [has_permission("people.browse")]

    def get(self, request):
        q = request.query_params.get("q", "")
        hits = selectors.quick_search(user=request.user, q=q, limit=20)
        return Response(
            {
                "q": q,
                "results": [
                    {
                        "name": hit.name,
                        "is_member": hit.is_member,
                        "place": hit.place,
                        "id_number_masked": hit.id_number_masked,
                        "phone_masked": hit.phone_masked,
                        "detail": hit.detail,
                        "url": hit.url,
                    }
                    for hit in hits
                ],
            }
        )


urlpatterns = [
    path("persons/", PersonListAPI.as_view(), name="person_list"),
    path("persons/<int:pk>/", PersonDetailAPI.as_view(), name="person_detail"),
    path("members/", MemberListAPI.as_view(), name="member_list"),
    path("members/<int:pk>/", MemberDetailAPI.as_view(), name="member_detail"),
    path("search/", SearchAPI.as_view(), name="search"),
]
