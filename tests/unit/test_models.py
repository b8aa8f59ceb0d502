import pytest
from pydantic import ValidationError

from lt_interview.domain.lifecycle import Status, check_transition
from lt_interview.domain.models import Conversation, Episode, Note, Review
from lt_interview.errors import LifecycleError


def test_review_slug_and_defaults():
    review = Review(name="Child Q — review (2026)")
    assert review.slug == "child-q-review-2026"
    assert review.blind_mode is True


def test_text_fields_are_sanitised_on_assignment_and_creation():
    note = Note(conversation_id="c", stage_id="overview", author_id="a", text="x\x1b[31my")
    assert note.text == "x[31my"
    note.text = "again\x07"
    assert note.text == "again"


def test_unknown_fields_and_bad_values_are_refused():
    with pytest.raises(ValidationError):
        Review(name="x", colour="red")
    with pytest.raises(ValidationError):
        Review(name="")
    with pytest.raises(ValidationError):
        Episode(conversation_id="c", title="")
    with pytest.raises(ValidationError):
        Conversation(practitioner_id="not an id!")


def test_fuzzy_when_is_kept_as_said():
    episode = Episode(conversation_id="c", title="Home visit", when="after the strategy discussion")
    assert episode.when == "after the strategy discussion"


def test_lifecycle_allows_the_method_and_refuses_shortcuts():
    check_transition(Status.PLANNED, Status.IN_PROGRESS)
    check_transition(Status.SENT_FOR_CHECKING, Status.AGREED)
    with pytest.raises(LifecycleError):
        check_transition(Status.PLANNED, Status.AGREED)


def test_pydantic_plugins_never_see_case_data(monkeypatch):
    """An installed package could register a pydantic plugin, which is handed every value
    validated; importing lt_interview switches plugins off before any model is built."""
    import lt_interview  # noqa: F401
    from pydantic.plugin import _loader

    seen: list[str] = []

    class Spy:
        name, value = "spy", "spy_plugin:plugin"

        def load(self):
            seen.append("loaded")
            return object()

    monkeypatch.setattr(_loader, "entry_points", lambda **_: [Spy()])
    monkeypatch.setattr(_loader, "_plugins", None)
    assert list(_loader.get_plugins()) == []
    assert seen == []
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS")  # the spy is found when plugins are on
    assert len(list(_loader.get_plugins())) == 1
