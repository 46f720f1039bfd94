"""Personal identity numbers: one normalisation for every page, import and search."""

import pytest
from django.core.exceptions import ValidationError

from people import identity


def test_personnummer_is_normalised_including_coordination_numbers():
    assert identity.normalize_personnummer("121212-1212") == "20121212-1212"
    assert identity.normalize_personnummer("191212121212") == "19121212-1212"
    assert identity.normalize_personnummer("701063-2391") == "19701063-2391"


@pytest.mark.parametrize("bad", ["19121212-1213", "abc", "", "20121312-1212"])
def test_invalid_personnummer_is_refused(bad):
    with pytest.raises(ValidationError):
        identity.normalize_personnummer(bad)
