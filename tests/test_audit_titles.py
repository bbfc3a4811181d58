"""What titles say about rank and reporting lines (audit/titles.py, data/titles.yaml). Titles are invented."""

from __future__ import annotations

import pytest

from counterpitch.audit.titles import Rank, holds_post, in_team, read_title

TITLES = [
    (("Head of Sonar Systems",), Rank("leader", "Sonar Systems")),
    (("Software Lead",), Rank("leader", "Software")),
    (("Director, Government Affairs",), Rank("leader", "Government Affairs")),
    (("Chief Engineer",), Rank("leader")),
    (("Deputy to the Chief Engineer",), Rank("deputy", "", "Chief Engineer")),
    (("Deputy Head of Assessment",), Rank("deputy", "", "Head of Assessment")),
    (
        ("Integrator", "Reporting to the Head of Combat Systems since 2021."),
        Rank("member", "", "Head of Combat Systems"),
    ),
    (("Engineer, Blue Team",), Rank("member", "Blue")),
    (("Engineer", "Member of the Sonar Trials team."), Rank("member", "Sonar Trials")),
    (("Data Analyst", "I write reports on retail trends."), Rank("member")),
    (("Leading Hand",), Rank("member")),
    (("Team player",), Rank("member")),
]


@pytest.mark.parametrize(("texts", "expected"), TITLES)
def test_when_a_title_states_rank_or_a_line_then_it_is_read(texts: tuple[str, ...], expected: Rank) -> None:
    assert read_title(*texts) == expected


def test_when_posts_and_teams_are_compared_then_case_and_articles_do_not_matter() -> None:
    assert holds_post("Chief  Engineer", "the chief engineer")
    assert not holds_post("Chief Engineer", "")
    assert in_team("Senior Sonar Systems Engineer", "Sonar Systems")
    assert not in_team("Personal Assistant", "PA")  # too short to match on
    assert not in_team("Sonarsystems Engineer", "Sonar Systems")
