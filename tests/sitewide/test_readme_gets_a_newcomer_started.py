"""What a newcomer copies from the README works from a fresh clone: every command runs the Python that has Django
(`.venv/bin/python`; a bare `python manage.py` failed with "No module named 'django'"), every make target is in
its table with the variables that move its ports, the demo cohort's slug is named, and the PostgreSQL quick start
creates its database."""

import re
from pathlib import Path

from devdata.demo import DEMO_SLUG

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def make_targets_table() -> str:
    section = README.split("### Make targets", 1)[1]
    return section.split("\n#", 1)[0]


def test_every_manage_py_command_names_the_virtualenvs_python():
    bare = [line.strip() for line in README.splitlines() if re.search(r"(?<!\.venv/bin/)\bpython3? manage\.py", line)]
    assert bare == []


def test_every_make_target_is_in_the_table():
    phony = re.search(r"^\.PHONY:(.*)$", (ROOT / "Makefile").read_text(), re.M).group(1).split()
    listed = set(re.findall(r"^\| `make ([\w-]+)` \|", make_targets_table(), re.M))
    assert sorted(set(phony) - listed) == []


def test_every_port_a_bench_run_listens_on_is_in_the_table():
    variables = set()
    for script in (ROOT / "bench").glob("*.py"):
        text = script.read_text()
        variables |= set(re.findall(r'port_from_env\("(\w+)"', text))
        variables |= set(re.findall(r'os\.environ\.get\("(\w*PORT\w*)"', text))
    assert {"FAULTS_WEB_PORT", "FAULTS_PG_PORT", "FAULTS_REDIS_PORT", "LOAD_PORT", "BENCH_PORT"} <= variables
    table = make_targets_table()
    assert sorted(name for name in variables if f"`{name}`" not in table) == []


def test_the_demo_cohorts_slug_is_named():
    assert f"the cohort's slug, which commands take as `--cohort`, is `{DEMO_SLUG}`" in README


def test_the_postgresql_quick_start_creates_its_database():
    quick_start = README.split("### On PostgreSQL and Redis", 1)[1].split("```", 2)[1]
    assert "createdb" in quick_start and "DATABASE_URL=postgres://" in quick_start
