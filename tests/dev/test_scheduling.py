"""How `make test` shares the tests between its two workers (tests/conftest.py)."""

from tests.conftest import demo_scope


def test_the_demo_package_is_one_unit_and_every_other_test_its_own():
    assert demo_scope("tests/demo/test_crawl.py::test_every_link[shuji]") == "tests/demo/"
    assert demo_scope("tests/demo/test_seed_scale.py::test_second_run") == "tests/demo/"
    assert demo_scope("tests/access/test_access_matrix.py::test_inside_scope[x-leader]") == (
        "tests/access/test_access_matrix.py::test_inside_scope[x-leader]"
    )
