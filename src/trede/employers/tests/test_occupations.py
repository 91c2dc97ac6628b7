"""A typed job title becomes an ISCO-08 occupation through the ESCO labels and synonyms."""

from __future__ import annotations

import csv
from importlib import resources

from trede.employers.matching import occupations
from trede.employers.matching.rules import isco_labels


def test_the_shipped_esco_file_has_every_occupation_linked_to_a_labelled_isco_group():
    text = resources.files("trede.employers.matching").joinpath("data/esco_occupations_nl.csv")
    rows = list(csv.DictReader(text.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 3039
    assert all(r["isco_code"] in isco_labels() for r in rows)
    readme = resources.files("trede.employers.matching").joinpath("data/README.md").read_text()
    assert "© European Union" in readme and "2011/833/EU" in readme


def test_an_exact_label_comes_first_and_a_synonym_finds_its_occupation():
    assert occupations.search("kok")[0].label == "kok"
    assert occupations.search("Kok")[0].isco_code == "5120"
    # 'magazijnmedewerker' is a label and a synonym of others: the label first.
    hits = occupations.search("magazijnmedewerker")
    assert hits[0].label == "magazijnmedewerker" and hits[0].isco_name.endswith("(9333)")
    # Accents, case and punctuation do not matter.
    assert occupations.normalise("Chef-kök ") == "chef kok"


def test_a_code_is_never_shown_without_its_label():
    for hit in occupations.search("schoonmaker"):
        assert hit.isco_label and hit.isco_name == f"{hit.isco_label} ({hit.isco_code})"


def test_best_is_only_an_exact_label_or_synonym():
    assert occupations.best("verzorgende").isco_code in {"5321", "3412"}
    assert occupations.best("schoonma") is None
    assert occupations.search("x") == [] and occupations.search("qqqqzzz") == []
