from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FILINGS = CORPUS / "filings"
REFERENCE = FILINGS / "absc-2003-he2_8k_2003-12-15.txt"


@pytest.fixture(scope="session")
def reference_path() -> str:
    # Relative to the repository, so snapshots do not depend on where it is checked out.
    return str(REFERENCE.relative_to(ROOT))


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch):
    monkeypatch.chdir(ROOT)
