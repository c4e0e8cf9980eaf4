"""Dataset exports are streamed: JSON arrays element by element, JSONL line by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.adapters import dataset_file
from common.adapters.dataset_file import iter_dataset_file
from common.errors import ValidationError

VALUES = [
    [],
    [1, 22, 333333, -4.5e3, True, None, 'a,]b"c', {"x": [1, {"y": "]"}]}, []],
    [{"k": "v" * 300, "n": i} for i in range(20)],
]


@pytest.mark.parametrize("values", VALUES)
@pytest.mark.parametrize("chunk", [1, 7, 1 << 16])
def test_array_in_any_chunking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, values: list, chunk: int
) -> None:
    monkeypatch.setattr(dataset_file, "CHUNK", chunk)
    path = tmp_path / "items.json"
    path.write_text("  \n" + json.dumps(values, indent=1), encoding="utf-8")
    assert list(iter_dataset_file(path)) == values


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text('{"a": 1}\n\n{"b": [2]}\n', encoding="utf-8")
    assert list(iter_dataset_file(path)) == [{"a": 1}, {"b": [2]}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1,2", "unexpected end of file"),
        ("[1 2]", "expected ',' or ']'"),
        ("[1,]", "item at character 3"),
        ('[{"a":1},\n {]', "item at character 11"),
        ('{"a":1}\nnot json\n', ":2: not valid JSON"),
    ],
)
def test_broken_files_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        list(iter_dataset_file(path))


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot be read"):
        list(iter_dataset_file(tmp_path / "nope.json"))
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"[\xff\xfe]")
    with pytest.raises(ValidationError, match="not UTF-8"):
        list(iter_dataset_file(binary))


def test_array_is_not_loaded_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the first item of a large array reads only about one chunk of the file."""
    monkeypatch.setattr(dataset_file, "CHUNK", 4096)
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"n": i, "pad": "x" * 100} for i in range(5000)]))
    with path.open(encoding="utf-8") as handle:
        handle.read(1)
        first = next(dataset_file._array_items(handle, path))
        assert first["n"] == 0 and handle.tell() <= 3 * 4096


def test_format_is_read_from_the_content_not_the_name(tmp_path: Path) -> None:
    csv_named_json = tmp_path / "export.json"
    csv_named_json.write_text("title,companyName\nEngineer,Nordwind\n", encoding="utf-8")
    json_named_csv = tmp_path / "export.csv"
    json_named_csv.write_text('[{"title": "Engineer"}]', encoding="utf-8")
    assert list(iter_dataset_file(csv_named_json)) == [
        {"title": "Engineer", "companyName": "Nordwind"}
    ]
    assert list(iter_dataset_file(json_named_csv)) == [{"title": "Engineer"}]


def test_apify_csv_columns_are_unflattened(tmp_path: Path) -> None:
    path = tmp_path / "dataset.csv"
    path.write_text(
        "title,location/city,location/country,jobType/0,jobType/1,applyLink/0/link,"
        "applyLink/1/link,salary/min,note\n"
        'Nurse,Austin,US,Full-time,,https://a.example,,,"two\nlines"\n'
        "Cook,,,,,,,,\n",
        encoding="utf-8",
    )
    first, second = iter_dataset_file(path)
    assert first == {
        "title": "Nurse",
        "location": {"city": "Austin", "country": "US"},
        "jobType": ["Full-time"],
        "applyLink": [{"link": "https://a.example"}],
        "salary": {},
        "note": "two\nlines",
    }
    assert second["title"] == "Cook" and second["location"] == {} and second["note"] == ""


@pytest.mark.parametrize("index", ["", "Unnamed: 0", "#", "index"])
def test_a_spreadsheets_index_column_is_dropped(tmp_path: Path, index: str) -> None:
    path = tmp_path / "reexport.csv"
    path.write_text(f"{index},id,title\n0,41,Analyst\n1,42,Cook\n", encoding="utf-8")
    assert [i["id"] for i in iter_dataset_file(path)] == ["41", "42"]
    assert all(set(i) == {"id", "title"} for i in iter_dataset_file(path))


def test_spreadsheet_csv_dialects(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffid;title;city\r\n7;Ingénieur;Zürich\r\n\r\n".encode())
    assert list(iter_dataset_file(path)) == [{"id": "7", "title": "Ingénieur", "city": "Zürich"}]
    tabs = tmp_path / "tabs.tsv"
    tabs.write_text("id\ttitle\n8\tCook\n", encoding="utf-8")
    assert list(iter_dataset_file(tabs)) == [{"id": "8", "title": "Cook"}]
    bom_json = tmp_path / "bom.json"
    bom_json.write_bytes('\ufeff[{"a": 1}]'.encode())
    assert list(iter_dataset_file(bom_json)) == [{"a": 1}]


def test_a_spreadsheet_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "jobs.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    with pytest.raises(ValidationError, match="save it as CSV"):
        list(iter_dataset_file(path))


def test_broken_csv_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('id,title\n1,ok\n2,"bad"cell\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad.csv:3: not valid CSV"):
        list(iter_dataset_file(path))


def test_jsonl_with_two_values_on_a_line(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text('{"a": 1}\n{"b": 2} {"c": 3}\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r":2: not valid JSON \(extra data"):
        list(iter_dataset_file(path))


def test_csv_is_not_loaded_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("id,pad\n" + "".join(f"{i},{'x' * 100}\n" for i in range(20000)))
    with path.open(encoding="utf-8", newline="") as handle:
        first = next(dataset_file._csv_items(handle, path))
        assert first["id"] == "0" and handle.buffer.tell() <= 64 * 1024
