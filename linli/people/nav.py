"""Menu entries of the people app."""

from linli.core.navigation import NavItem, register

# Roster import (PPL-7): its own register call, so other entries of this app merge beside it.
register(
    NavItem(
        "花名册导入",
        "people:import_upload",
        "people.import",
        icon="file-earmark-arrow-up",
        group="组织与人员",
        order=190,
    ),
)
