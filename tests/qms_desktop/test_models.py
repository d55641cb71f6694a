"""The attributes peewee adds at run time are declared on the models, and declared rightly.

The type checker only knows a foreign key's `<name>_id` and a backref from the bare
annotations in models.py; a renamed or new foreign key without them would leave mypy reading
a stale or missing type.
"""

from __future__ import annotations

from peewee import BackrefAccessor, ForeignKeyField, ObjectIdAccessor

from qms_desktop.models import ALL_MODELS, BaseModel


def declared(model: type[BaseModel]) -> dict[str, str]:
    """The model's own bare annotations (strings, as models.py postpones annotations)."""
    return {
        name: str(annotation)
        for name, annotation in vars(model).get("__annotations__", {}).items()
        if not str(annotation).startswith("ClassVar")
    }


def expected() -> dict[type[BaseModel], dict[str, str]]:
    wanted: dict[type[BaseModel], dict[str, str]] = {model: {} for model in ALL_MODELS}
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            if isinstance(field, ForeignKeyField):
                wanted[model][field.object_id_name] = "str | None" if field.null else "str"
                wanted[field.rel_model][field.backref] = f"ModelSelect[{model.__name__}]"
    return wanted


def test_every_foreign_key_id_and_backref_is_declared_with_its_type() -> None:
    wanted = expected()
    for model in ALL_MODELS:
        assert declared(model) == wanted[model], model.__name__


def test_a_declaration_is_not_taken_for_a_field_and_keeps_peewees_accessor() -> None:
    for model in ALL_MODELS:
        for name in declared(model):
            assert name not in model._meta.fields, f"{model.__name__}.{name}"
            accessor = vars(model)[name]
            assert isinstance(accessor, ObjectIdAccessor | BackrefAccessor), name
