"""indexer.countries: names, adjectives, codes and mentions in text."""

from __future__ import annotations

import pytest

from indexer.countries import (
    UN_MEMBERS,
    adjectives,
    find_organisations,
    find_states,
    label,
    resolve_state,
    state_names,
    un_name,
)

SEED = ("Meanwhile Ghana, Denmark, Argentina, Costa Rica, Netherlands, Uruguay, and the United "
        "States have appointed focal points")


def test_un_members_are_193_and_all_named() -> None:
    assert len(UN_MEMBERS) == 193
    assert set(state_names().values()) >= UN_MEMBERS | {"VAT", "PSE"}


@pytest.mark.parametrize("name, iso3", [
    ("Bolivia (Plurinational State of)", "BOL"), ("United States of America", "USA"),
    ("Netherlands (Kingdom of the)", "NLD"), ("Türkiye", "TUR"), ("Côte d'Ivoire", "CIV"),
    ("Côte d\u2019Ivoire", "CIV"), ("United States", "USA"), ("United Kingdom", "GBR"),
    ("Netherlands", "NLD"), ("Bolivia", "BOL"), ("Iran", "IRN"), ("Syria", "SYR"),
    ("Russia", "RUS"), ("South Korea", "KOR"), ("Republic of Korea", "KOR"), ("Viet Nam", "VNM"),
    ("Vietnam", "VNM"), ("Tanzania", "TZA"), ("Holy See", "VAT"), ("State of Palestine", "PSE"),
])
def test_state_names(name: str, iso3: str) -> None:
    assert state_names()[name] == iso3


@pytest.mark.parametrize("adj, iso3", [
    ("Norwegian", "NOR"), ("German", "DEU"), ("French", "FRA"), ("British", "GBR"),
    ("American", "USA"), ("Ghanaian", "GHA"), ("Danish", "DNK"), ("Argentine", "ARG"),
    ("Argentinian", "ARG"), ("Costa Rican", "CRI"), ("Dutch", "NLD"), ("Uruguayan", "URY"),
])
def test_adjectives(adj: str, iso3: str) -> None:
    assert adjectives()[adj] == iso3


@pytest.mark.parametrize("text, iso3", [
    ("hrv", "HRV"), ("HR", "HRV"), ("the Netherlands", "NLD"), ("norwegian", "NOR"),
    ("  United   States ", "USA"), ("Iran (Islamic Republic of)", "IRN"), ("Atlantis", None),
    ("African", None),
])
def test_resolve_state(text: str, iso3: str | None) -> None:
    assert resolve_state(text) == iso3


def test_names_and_labels() -> None:
    assert un_name("BOL") == "Bolivia (Plurinational State of)"
    assert un_name("gbr") == "United Kingdom of Great Britain and Northern Ireland"
    assert un_name("USA") == "United States of America"
    assert un_name("HRV") == "Croatia"
    assert un_name("EU") == "European Union"
    assert [label(c) for c in ("USA", "GBR", "NLD", "CRI", "BOL", "IRN")] == [
        "United States", "United Kingdom", "Netherlands", "Costa Rica", "Bolivia", "Iran"]


def test_find_states_seed_sentence_in_order() -> None:
    mentions = find_states(SEED)
    assert [m.iso3 for m in mentions] == ["GHA", "DNK", "ARG", "CRI", "NLD", "URY", "USA"]
    for m in mentions:
        assert SEED[m.start:m.end] == m.surface and not m.adjective


def test_find_states_longest_and_boundaries() -> None:
    text = ("Papua New Guinea, Niger and Nigeria, Dominica and the Dominican Republic, "
            "Guinea-Bissau, Equatorial Guinea, South Sudan and Sudan")
    assert [m.iso3 for m in find_states(text)] == [
        "PNG", "NER", "NGA", "DMA", "DOM", "GNB", "GNQ", "SSD", "SDN"]


def test_find_states_avoids_false_adjectives() -> None:
    text = ("Latin American and African states, the Organization of American States, the "
            "South American region, the Indian Ocean and the European Union met.")
    assert find_states(text) == []
    assert [m.code for m in find_organisations(text)] == ["OAS", "EU"]


def test_find_states_adjectives_flagged() -> None:
    mentions = find_states("Norwegian and Costa Rican diplomats, and South African troops")
    assert [(m.iso3, m.adjective) for m in mentions] == [
        ("NOR", True), ("CRI", True), ("ZAF", True)]


def test_find_organisations() -> None:
    found = find_organisations("ECOWAS, the African Union (AU), ASEAN and the Arab League")
    assert [o.code for o in found] == ["ECOWAS", "AU", "AU", "ASEAN", "LAS"]


@pytest.mark.parametrize(("text", "some", "none"), [
    ("east and southeast asian countries", {"CHN", "JPN", "IDN", "PHL"}, {"IND", "KAZ"}),
    ("west african states", {"GHA", "SEN"}, {"KEN", "EGY"}),
    ("which central african states", {"CAF", "CMR"}, {"KEN"}),  # M49's Middle Africa
    ("eastern european countries", {"POL", "UKR"}, {"FRA", "ESP"}),
    ("the permanent members of the security council", {"CHN", "USA"}, {"DEU"}),
    ("former yugoslav republics", {"SVN", "MKD"}, {"ALB", "XKX"}),
    ("the baltic states", {"EST", "LVA", "LTU"}, {"FIN", "POL"}),
    ("benelux countries", {"BEL", "NLD", "LUX"}, {"FRA", "DEU"}),
    ("asean members", {"IDN", "VNM"}, {"CHN", "IND"}),
    ("the g7 governments", {"JPN", "CAN"}, {"CHN", "RUS"}),
    ("western balkan states", {"ALB", "SRB"}, {"HRV", "GRC"}),
    ("which balkan goverment", {"MNE", "HRV", "BGR"}, {"HUN", "ITA"}),
    ("the eastern european group", {"RUS", "EST", "ALB"}, {"AUT", "GRC"}),  # the UN's group
    ("weog members", {"NZL", "TUR", "AUS"}, {"POL", "JPN"}),
    ("visegrad countries", {"CZE", "HUN", "POL", "SVK"}, {"AUT"}),
    ("portuguese-speaking countries", {"BRA", "MOZ", "TLS"}, {"ESP"}),
    ("states of the americas or oceania", {"CAN", "BRA", "PLW", "AUS"}, {"JPN", "GBR"}),
    ("former soviet republics, leaving out the baltic states", {"UKR", "KAZ"}, {"EST", "LTU"}),
    ("brics members", {"BRA", "RUS", "IND", "CHN", "ZAF"}, {"MEX"}),
    ("sadc (southern african development community) members", {"BWA", "ZAF"}, {"KEN"}),
    ("ecowas states", {"GHA", "NGA"}, {"CMR"}),
    ("african union members", {"EGY", "ZAF"}, {"FRA"}),
    ("central american countries", {"GTM", "CRI", "NIC"}, {"BRA", "USA"}),
    ("south american states", {"BRA", "PER", "URY"}, {"MEX", "CRI"}),
])
def test_groups_of_states_by_sub_region_and_by_the_un(text: str, some: set, none: set) -> None:
    from indexer.regions import group_in

    members, rest = group_in(text)
    assert members is not None and some <= members and not (none & members)
    assert "african" not in rest.lower() and "european" not in rest.lower()


def test_a_body_named_after_a_region_is_no_group() -> None:
    from indexer.regions import group_in

    assert group_in("the southern african development union")[0] is None
    # a state's name is not its region's
    assert group_in("which referred to the Central African Republic?")[0] is None
    assert group_in("what did the South African Government say?")[0] is None
    assert group_in("which countries condemned south africa and namibia?")[0] is None
    # a sub-region of the Americas named as a place is the topic, not its states
    assert group_in("which states mentioned south america?")[0] is None
    # but their governments are its states
    members, rest = group_in("which european governments welcomed the withdrawal from gaza")
    assert members is not None and {"FRA", "GBR", "MLT"} <= members and "BEN" not in members
    assert "european" not in rest
    # a permanent seat a state seeks is not the permanent members
    text = "which countries did the UK back for permanent membership of the security council"
    assert group_in(text) == (None, text)


def test_a_groups_own_noun_and_an_exception_leave_the_text_with_the_group() -> None:
    from indexer.regions import group_in

    members, rest = group_in("visegrad group countries that brought up r2p")
    assert members == {"CZE", "HUN", "POL", "SVK"} and "group" not in rest
    members, rest = group_in("former soviet republics, leaving out the baltic states")
    assert members is not None and "EST" not in members and "leaving" not in rest
    assert "league" not in group_in("arab league members")[1]



def test_states_that_no_longer_exist_are_named_as_their_resolutions_name_them() -> None:
    text = ("Adopted by 8 votes to none, with 3 abstentions (Czechoslovakia, France, Union of "
            "Soviet Socialist Republics).")
    assert [(m.iso3, label(m.iso3)) for m in find_states(text)] == [
        ("CSK", "Czechoslovakia"), ("FRA", "France"), ("SUN", "Soviet Union")]
    assert resolve_state("USSR") == resolve_state("Soviet Union") == "SUN"


def test_a_name_broken_at_the_end_of_a_printed_line_is_still_found() -> None:
    for text in ("with 3 abstentions (France, Union of Soviet Socia- list Republics)",
                 "by 8 votes to 2 (Poland, Union of Soviet Socialist Re-publics)"):
        found = find_states(text)
        assert [m.iso3 for m in found][-1] == "SUN"
        assert all(text[m.start:m.end] == m.surface for m in found)  # offsets into the text
    # a hyphen before a capital is part of a name, not a break
    assert [m.iso3 for m in find_states("Guinea-Bissau and Timor-Leste")] == ["GNB", "TLS"]


def test_a_group_named_for_an_event_is_not_its_members() -> None:
    from indexer.regions import group_in

    summit = "which countries referred to the G-20 summit in Pittsburgh?"
    assert group_in(summit) == (None, summit)
    assert group_in("which states mentioned the Arab Spring?")[0] is None
    members, rest = group_in("which G20 countries mentioned the G-20 summit?")
    assert members is not None and "GBR" in members and "G-20 summit" in rest


def test_a_group_named_inside_a_body_s_name_is_not_its_members() -> None:
    from indexer.regions import group_in

    body = "which countries make up the Permanent Commission for the South Pacific?"
    assert group_in(body) == (None, body)  # its members are Chile, Colombia, Ecuador, Peru
    assert group_in("which South Pacific states mentioned R2P?")[0] is not None
    assert group_in("which countries of the African Union spoke?")[0] is not None


@pytest.mark.parametrize(("old", "iso3"), [
    ("Recommends that the Maldive Islands be admitted", "MDV"), ("Upper Volta", "BFA"),
    ("Dahomey", "BEN"), ("Ceylon", "LKA"), ("Tanganyika", "TZA"), ("Congo (Leopoldville)", "COD"),
    ("Congo (Brazzaville)", "COG"), ("Democratic Kampuchea", "KHM"), ("Viet-Nam", "VNM"),
])
def test_the_names_older_resolutions_give_to_members_of_today(old: str, iso3: str) -> None:
    assert [m.iso3 for m in find_states(old)] == [iso3]
