"""Role, group and permission names as people read them, in their language.

The stored names stay as they are (group names are the keys accounts/roles.py keeps in step;
permission names are written in English by ``migrate``): only the displayed text is translated.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import roles

_DEFAULT_ACTIONS = {
    "add": _("Can add %(thing)s"),
    "change": _("Can change %(thing)s"),
    "delete": _("Can delete %(thing)s"),
    "view": _("Can view %(thing)s"),
}


def group_label(group) -> str:
    return roles.group_label(group.name)


def permission_label(permission) -> str:
    """``Customers | agency | Can view agency`` in the user's language (Django's own format)."""
    content_type = permission.content_type
    model = content_type.model_class()
    name = gettext(permission.name)
    if model is not None:
        action, _sep, model_name = permission.codename.partition("_")
        if action in _DEFAULT_ACTIONS and model_name == model._meta.model_name:
            name = str(_DEFAULT_ACTIONS[action] % {"thing": model._meta.verbose_name})
        return f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name} | {name}"
    return f"{content_type} | {name}"
