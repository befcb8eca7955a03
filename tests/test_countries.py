import pytest

from cybercult.data.countries import harmonise
from cybercult.errors import UnmatchedCountryError


def test_tricky_names_resolve_to_the_right_country():
    names = {"Namibia": "NAM", "Niger": "NER", "Nigeria": "NGA", "Dominica": "DMA", "Dominican Rep.": "DOM",
             "Dem. Rep. of the Congo": "COD", "Sudan": "SDN", "South Sudan": "SSD", "Guinea": "GIN",
             "Guinea-Bissau": "GNB", "Equatorial Guinea": "GNQ", "Korea (Rep. of)": "KOR",
             "Dem. People's Rep. of Korea": "PRK", "Kosovo": "XKX", "Côte d'Ivoire": "CIV"}
    matched, excluded = harmonise(list(names), source="test")
    assert matched == names and excluded == {}


def test_unmatched_names_are_all_listed_with_source():
    with pytest.raises(UnmatchedCountryError) as exc:
        harmonise(["Denmark", "Atlantis", "Africa East", "Foo"], source="mysource")
    msg = str(exc.value)
    assert "'Atlantis'" in msg and "'Africa East'" in msg and "'Foo'" in msg and "mysource" in msg
    assert "Denmark" not in msg
    assert len(exc.value.problems) == 3


def test_exclusions_and_overrides():
    matched, excluded = harmonise(["Africa East", "Congo (Rep. of the)"], source="t",
                                  overrides={"Congo (Rep. of the)": "COG"}, exclude={"Africa East": "region"})
    assert matched == {"Congo (Rep. of the)": "COG"} and excluded == {"Africa East": "region"}


def test_codes_mode_rejects_non_iso_codes():
    with pytest.raises(UnmatchedCountryError, match="ROM"):
        harmonise(["DNK", "ROM"], source="t", codes=True)


def test_two_names_for_one_country_is_an_error():
    with pytest.raises(UnmatchedCountryError, match="same ISO3"):
        harmonise(["Czechia", "Czech Republic"], source="t")
