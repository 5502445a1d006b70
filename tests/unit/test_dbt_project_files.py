"""The dbt project's YAML as dbt reads it: a key given twice in one mapping silently drops the first value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gewh.settings import DBT_PROJECT_DIR

_MERGE = "tag:yaml.org,2002:merge"


class _RejectingDuplicateKeys(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"{key!r} given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


PROJECT_FILES = sorted(
    path for path in DBT_PROJECT_DIR.rglob("*.yml") if not {"target", "logs", "dbt_packages"} & set(path.parts)
)


@pytest.mark.parametrize("path", PROJECT_FILES, ids=[str(p.relative_to(DBT_PROJECT_DIR)) for p in PROJECT_FILES])
def test_no_key_is_given_twice(path: Path):
    yaml.load(path.read_text(encoding="utf-8"), Loader=_RejectingDuplicateKeys)
