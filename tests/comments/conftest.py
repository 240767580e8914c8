import pytest

from tests.comments.helpers import NOW


@pytest.fixture
def an_hour_after_publication(time_machine):
    """Freeze the clock an hour after the factories' articles go out: comments are open."""
    time_machine.move_to(NOW, tick=False)
