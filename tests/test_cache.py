"""The app's caches (assessment.cache): bounded, least recently used out, one per app."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import Flask

from assessment import cache
from assessment.cache import LRUCache


def test_a_value_is_computed_once_then_served():
    calls: list[str] = []
    lru: LRUCache[str, str] = LRUCache(4)

    def compute() -> str:
        calls.append("computed")
        return "value"

    assert lru.get_or_compute("key", compute) == "value"
    assert lru.get_or_compute("key", compute) == "value"
    assert calls == ["computed"] and len(lru) == 1 and "key" in lru


def test_the_least_recently_used_entry_goes_first():
    lru: LRUCache[str, int] = LRUCache(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "b" is now the least recently used
    lru.put("c", 3)
    assert "b" not in lru and lru.get("a") == 1 and lru.get("c") == 3


def test_weight_bounds_the_cache_but_the_newest_entry_is_always_kept():
    lru: LRUCache[str, list[int]] = LRUCache(5, weigh=len)
    lru.put("three", [1, 2, 3])
    lru.put("two", [1, 2])
    assert lru.weight == 5 and len(lru) == 2
    lru.put("one", [1])
    assert "three" not in lru and lru.weight == 3
    lru.put("huge", list(range(50)))  # over the bound on its own: kept, everything else out
    assert len(lru) == 1 and lru.get("huge") is not None


def test_the_first_value_put_under_a_key_is_kept():
    lru: LRUCache[str, list[int]] = LRUCache(4)
    first = lru.put("key", [1])
    assert lru.put("key", [1]) is first


def test_clear_forgets_everything():
    lru: LRUCache[str, int] = LRUCache(4)
    lru.put("a", 1)
    lru.clear()
    assert len(lru) == 0 and lru.weight == 0 and lru.get("a") is None


def test_a_bound_below_one_is_refused():
    with pytest.raises(ValueError, match="max_weight"):
        LRUCache(0)


def test_threads_sharing_a_cache_keep_it_consistent():
    lru: LRUCache[int, int] = LRUCache(50)
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for number in range(2000):
                key = (number + offset) % 120
                assert lru.get_or_compute(key, lambda key=key: key * 2) == key * 2
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(lru) == lru.weight <= 50


def bare_app(tmp_path: Path) -> Flask:
    app = Flask(__name__, instance_path=str(tmp_path))
    cache.init_app(app)
    return app


def test_each_app_has_its_own_caches(tmp_path):
    first, second = bare_app(tmp_path / "one"), bare_app(tmp_path / "two")
    with first.app_context():
        cache.app_cache("charts", 8).put("key", b"first")
        assert cache.app_cache("charts", 8) is cache.app_cache("charts", 999)  # same cache
    with second.app_context():
        assert cache.app_cache("charts", 8).get("key") is None
    assert cache.app_cache("charts", 8, app=first).get("key") == b"first"
    cache.clear_app_caches(first)
    assert cache.app_cache("charts", 8, app=first).get("key") is None
