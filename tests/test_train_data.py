"""POST /api/data: generated sets are deterministic per seed and shaped as documented; tables are checked."""

from __future__ import annotations

import pytest

from helpers import strict_json

CLASSIFICATION = ["xor", "gaussians", "circles", "spiral"]
REGRESSION = ["line", "sine"]


def data(client, body: dict, status: int = 200) -> dict:
    r = client.post("/api/data", json=body)
    assert r.status_code == status, r.text[:2000]
    return strict_json(r.content)


@pytest.mark.parametrize("name", CLASSIFICATION + REGRESSION)
def test_a_generated_set_is_the_same_for_the_same_seed_and_differs_for_another(client, name):
    body = {"name": name, "n": 60, "noise": 0.1, "seed": 5, "test_fraction": 0.25}
    first, again = data(client, body), data(client, body)
    assert first == again
    other = data(client, {**body, "seed": 6})
    assert other["x"] != first["x"]
    assert other["test"] != first["test"]


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_a_classification_set_has_2_inputs_and_a_0_1_column_or_class_indices(client, name):
    column = data(client, {"name": name, "n": 40, "seed": 1})
    assert (column["task"], column["inputs"], column["classes"]) == ("classification", 2, 2)
    assert len(column["x"]) == 40 and all(len(row) == 2 for row in column["x"])
    assert all(row in ([0.0], [1.0]) for row in column["y"])
    assert {row[0] for row in column["y"]} == {0.0, 1.0}
    classes = data(client, {"name": name, "n": 40, "seed": 1, "targets": "classes"})
    assert classes["x"] == column["x"]
    assert classes["y"] == [int(row[0]) for row in column["y"]]


@pytest.mark.parametrize("name", ["gaussians", "spiral"])
def test_gaussians_and_spiral_take_more_classes_as_indices(client, name):
    d = data(client, {"name": name, "n": 30, "classes": 3, "seed": 2})
    assert d["classes"] == 3 and sorted(set(d["y"])) == [0, 1, 2] and d["y"].count(0) == 10


@pytest.mark.parametrize("name", REGRESSION)
def test_a_regression_set_has_1_input_in_minus_1_to_1_and_a_column_of_targets(client, name):
    d = data(client, {"name": name, "n": 50, "seed": 3})
    assert (d["task"], d["inputs"], d["classes"]) == ("regression", 1, None)
    assert all(len(row) == 1 and -1 <= row[0] <= 1 for row in d["x"])
    assert all(len(row) == 1 for row in d["y"]) and len(d["y"]) == 50


def test_noise_free_xor_labels_each_point_by_its_quadrant(client):
    d = data(client, {"name": "xor", "n": 100, "seed": 4})
    for (a, b), (label,) in zip(d["x"], d["y"]):
        assert label == (1.0 if a * b < 0 else 0.0) and abs(a) >= 0.1 and abs(b) >= 0.1


def test_the_line_without_noise_is_exactly_the_line(client):
    d = data(client, {"name": "line", "n": 20, "seed": 0})
    for (x,), (y,) in zip(d["x"], d["y"]):
        assert y == pytest.approx(0.8 * x - 0.3, abs=1e-12)


def test_the_split_partitions_the_rows_with_the_documented_test_share(client):
    d = data(client, {"name": "circles", "n": 50, "seed": 9, "test_fraction": 0.3})
    assert len(d["test"]) == 15 and len(d["train"]) == 35
    assert sorted(d["train"] + d["test"]) == list(range(50))
    assert d["train"] == sorted(d["train"]) and d["test"] == sorted(d["test"])
    assert data(client, {"name": "circles", "n": 50, "seed": 9})["test"] == []


def test_a_table_comes_back_with_its_split_and_its_task(client):
    table = {"x": [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], "y": [[0.0], [1.0], [1.0], [0.0]]}
    d = data(client, {**table, "test_fraction": 0.25, "seed": 3})
    assert d["x"] == table["x"] and d["y"] == table["y"] and d["task"] == "classification"
    assert len(d["test"]) == 1 and sorted(d["train"] + d["test"]) == [0, 1, 2, 3]
    regression = data(client, {"x": [[0.2, 0.9, -1.1], [0.1, 0.2, 0.3]], "y": [[1.0], [0.5]]})
    assert regression["task"] == "regression" and regression["inputs"] == 3
    labels = data(client, {"x": [[0.0], [1.0]], "y": [0, 2]})
    assert labels["classes"] == 3 and labels["y"] == [0, 2]


@pytest.mark.parametrize("body, loc, words", [
    ({}, ["body"], "generated set's `name`"),
    ({"name": "xor", "x": [[1.0, 2.0]], "y": [[1.0]]}, ["body", "x"], "not both"),
    ({"x": [[1.0, 2.0]]}, ["body", "y"], "needs targets"),
    ({"x": [], "y": []}, ["body", "x"], "no rows"),
    ({"x": [[1.0, 2.0], [3.0]], "y": [[1.0], [0.0]]}, ["body", "x", 1], "every row must have 2 values"),
    ({"x": [[1.0], [2.0]], "y": [[1.0]]}, ["body", "y"], "one target per row"),
    ({"x": [[1.0], [2.0]], "y": [[1.0], [1.0, 2.0]]}, ["body", "y", 1], "every target row"),
    ({"x": [[1.0]], "y": [-1]}, ["body", "y"], "start at 0"),
    ({"name": "xor", "n": 5000}, ["body", "n"], "at most 1024 samples (limit train_max_samples"),
    ({"name": "sine", "targets": "classes"}, ["body", "targets"], "regression"),
    ({"name": "xor", "classes": 3}, ["body", "classes"], "only gaussians and spiral"),
    ({"name": "xor", "n": 2, "test_fraction": 0.9}, ["body", "test_fraction"], "no training rows"),
    ({"name": "xor", "noise": 5.0}, ["body", "noise"], "less than or equal to 2"),
    ({"name": "moons"}, ["body", "name"], "xor"),
    ({"name": "xor", "test_fraction": 0.95}, ["body", "test_fraction"], "0.9"),
])
def test_bad_data_is_a_422_naming_the_field(client, body, loc, words):
    detail = data(client, body, 422)["detail"]
    assert any(e["loc"] == loc and words in e["msg"] for e in detail), detail
